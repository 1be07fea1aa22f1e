"""Deleting what applications point to is refused the way Wagtail refuses a
protected object, on every path, without a ProtectedError and without the
applications in Wagtail's reference index: the round's delete view, an
ancestor's (the programme, the home page), the bulk delete of pages, and the
delete and bulk delete of a faculty snippet."""

import pytest
from django.urls import reverse
from wagtail.models import Page, ReferenceIndex

from mentoring_cms.models import Application, Faculty, ProgramRoundPage

from .utils import make_application, make_faculty, make_round, set_admin_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    set_admin_language(superuser, "en")
    client.force_login(superuser)
    return client


@pytest.fixture
def applications(open_round, faculty):
    return [make_application(round=open_round, faculty=faculty) for _ in range(3)]


def page_delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def bulk_url(app, model, pks):
    url = reverse("wagtail_bulk_action", args=[app, model, "delete"])
    return url + "?" + "&".join(f"id={pk}" for pk in pks)


def snippet_delete_url(faculty):
    return reverse("wagtailsnippets_mentoring_cms_faculty:delete", args=[faculty.pk])


def assert_refused(response, count, status):
    assert response.status_code == status
    html = response.content.decode()
    assert "cannot be deleted" in html
    assert f"{count} applications" in html


def page_paths(open_round, programme, home):
    return {
        "round": open_round,
        "programme (ancestor)": programme,
        "home page (ancestor)": home,
    }


@pytest.mark.parametrize(
    "which", ["round", "programme (ancestor)", "home page (ancestor)"]
)
def test_the_page_delete_view_refuses(
    admin_client, applications, open_round, programme, home, which
):
    page = page_paths(open_round, programme, home)[which]
    assert_refused(admin_client.get(page_delete_url(page)), 3, 200)
    assert_refused(admin_client.post(page_delete_url(page)), 3, 403)
    assert Page.objects.filter(pk=page.pk).exists()
    assert Application.objects.count() == 3


def test_the_bulk_delete_of_pages_refuses(
    admin_client, applications, open_round, programme
):
    other = make_round(programme, title="Tom runde", slug="tom-runde")
    url = bulk_url("wagtailcore", "page", [open_round.pk, other.pk])
    assert_refused(admin_client.get(url), 3, 200)
    assert_refused(admin_client.post(url, {}), 3, 403)
    assert (
        ProgramRoundPage.objects.filter(pk__in=[open_round.pk, other.pk]).count() == 2
    )


def test_a_round_without_applications_can_still_be_deleted(admin_client, programme):
    empty = make_round(programme, title="Tom runde", slug="tom-runde")
    response = admin_client.get(page_delete_url(empty))
    assert "cannot be deleted" not in response.content.decode()
    response = admin_client.post(page_delete_url(empty))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=empty.pk).exists()


def test_the_faculty_snippet_delete_view_refuses(admin_client, applications, faculty):
    assert_refused(admin_client.get(snippet_delete_url(faculty)), 3, 200)
    assert_refused(admin_client.post(snippet_delete_url(faculty)), 3, 403)
    assert Faculty.objects.filter(pk=faculty.pk).exists()


def test_the_faculty_bulk_delete_refuses(admin_client, applications, faculty):
    unused = make_faculty(name="Ubrukt fakultet")
    url = bulk_url("mentoring_cms", "faculty", [faculty.pk, unused.pk])
    assert_refused(admin_client.get(url), 3, 200)
    assert_refused(admin_client.post(url, {}), 3, 403)
    assert Faculty.objects.filter(pk__in=[faculty.pk, unused.pk]).count() == 2


def test_an_unused_faculty_can_still_be_deleted(admin_client, applications):
    unused = make_faculty(name="Ubrukt fakultet")
    response = admin_client.post(snippet_delete_url(unused))
    assert response.status_code == 302
    assert not Faculty.objects.filter(pk=unused.pk).exists()


def test_applications_stay_out_of_the_reference_index(applications, open_round):
    # Saving an application (a signal) never indexes it.
    applications[0].save()
    assert not ReferenceIndex.get_references_to(open_round).exists()
    assert not ReferenceIndex.objects.filter(
        base_content_type__model="application"
    ).exists()


def test_the_bulk_delete_hook_refuses_even_without_the_confirm_screen(
    rf, superuser, applications, open_round
):
    """The ``before_bulk_action`` hook, for a page bulk delete that another
    app may have registered in place of ours."""
    from mentoring_cms.wagtail_hooks import (
        refuse_bulk_deleting_rounds_with_applications,
    )

    request = rf.post("/")
    request.user = superuser
    response = refuse_bulk_deleting_rounds_with_applications(
        request, "delete", [open_round], None
    )
    assert response.status_code == 403
    response.render()
    assert "kan ikke slettes: 3 søknader" in response.content.decode()


def test_empty_pages_can_still_be_deleted_in_bulk(admin_client, programme):
    empty = make_round(programme, title="Tom runde", slug="tom-runde")
    url = bulk_url("wagtailcore", "page", [empty.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "cannot be deleted" not in response.content.decode()
    response = admin_client.post(url, {})
    assert response.status_code == 302
    assert not Page.objects.filter(pk=empty.pk).exists()
