"""The page tree rules, and editors' bad input refused with a clear message
in the admin while nothing is saved."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import HomePage
from mentoring_cms.models import (
    ContactPage,
    ProgramPage,
    ProgramRoundPage,
    SessionPage,
)

from .utils import make_programme, make_round, make_session, make_site, oslo


class PageTreeTests(WagtailPageTestCase):
    def test_home_holds_programmes_and_contact_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {ProgramPage, ContactPage})
        self.assertCanCreateAt(HomePage, ProgramPage)
        self.assertCanCreateAt(HomePage, ContactPage)
        self.assertCanNotCreateAt(HomePage, ProgramRoundPage)
        self.assertCanNotCreateAt(HomePage, SessionPage)

    def test_programme_holds_rounds_and_a_contact_page(self):
        self.assertAllowedSubpageTypes(ProgramPage, {ProgramRoundPage, ContactPage})
        self.assertCanCreateAt(ProgramPage, ProgramRoundPage)
        self.assertCanNotCreateAt(ProgramPage, SessionPage)
        self.assertCanNotCreateAt(ProgramPage, ProgramPage)

    def test_round_holds_sessions_only(self):
        self.assertAllowedParentPageTypes(ProgramRoundPage, {ProgramPage})
        self.assertAllowedSubpageTypes(ProgramRoundPage, {SessionPage})
        self.assertCanCreateAt(ProgramRoundPage, SessionPage)
        self.assertCanNotCreateAt(ProgramRoundPage, ProgramRoundPage)
        self.assertCanNotCreateAt(ProgramRoundPage, ContactPage)

    def test_sessions_and_contact_pages_are_leaves(self):
        self.assertAllowedParentPageTypes(SessionPage, {ProgramRoundPage})
        self.assertAllowedSubpageTypes(SessionPage, set())
        self.assertAllowedSubpageTypes(ContactPage, set())
        self.assertCanNotCreateAt(SessionPage, SessionPage)
        self.assertCanNotCreateAt(Page, ProgramRoundPage)

    def test_created_pages_are_routable_and_render(self):
        home = make_site()
        programme = make_programme(home)
        programme_round = make_round(programme)
        session = make_session(programme_round)
        for page in (home, programme, programme_round, session):
            # Wagtail's assertPageIsRoutable does not know the /nb/ prefix of
            # i18n_patterns, so the route is checked through a request.
            self.assertEqual(self.client.get(page.url).status_code, 200)
            self.assertPageIsRenderable(page)


# Editors' bad input, posted through the Wagtail admin as a superuser.


def round_form(**overrides):
    data = {
        "title": "Runde 2027",
        "slug": "runde-2027",
        "intro": rich_text(""),
        "period_start": "2027-08-15",
        "period_end": "2028-06-15",
        "application_opens": "2027-03-01 09:00",
        "application_closes": "2027-04-01 12:00",
        "mentee_places": "20",
        "mentor_places": "20",
        "faculty_quota": "4",
        "meetings_min": "8",
        "meetings_max": "10",
        "gathering_language": "nb",
        "form_intro": rich_text(""),
        "privacy_notice": rich_text(""),
        "confirmation_text": rich_text(""),
        "comments": inline_formset([]),
        # The round's selection criteria (none: a new round gets the seed's).
        "selection_criteria": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def session_form(**overrides):
    data = {
        "title": "Samling",
        "slug": "samling",
        "start": "2027-09-01 09:00",
        "end": "2027-09-01 15:00",
        "place": "Gløshaugen",
        "format": "on_site",
        "audience": "all",
        "mandatory": "on",
        "agenda": rich_text(""),
        "topics": rich_text(""),
        "homework": rich_text(""),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


# Django's own message, in the editor's language (Norwegian by default).
AT_LEAST_ONE = "Verdien må være større enn eller lik 1."


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


@pytest.fixture
def admin_client_nb(client, django_user_model, home):
    user = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "pw"
    )
    client.force_login(user)
    return client


@pytest.fixture
def planned_round(programme):
    return make_round(
        programme,
        title="Runde 2027",
        slug="runde-2027",
        application_opens=oslo(2027, 3, 1, 9),
        application_closes=oslo(2027, 4, 1, 12),
        period_start=oslo(2027, 8, 15).date(),
        period_end=oslo(2028, 6, 15).date(),
    )


def test_valid_round_is_created(admin_client_nb, programme):
    response = admin_client_nb.post(
        add_url(ProgramRoundPage, programme), round_form(), follow=False
    )
    assert response.status_code == 302
    assert ProgramRoundPage.objects.filter(slug="runde-2027").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"application_closes": "2027-02-01 09:00"},
            "application_closes",
            "Søknadsperioden må slutte etter at den har startet.",
        ),
        (
            {"period_end": "2027-08-01"},
            "period_end",
            "Runden kan ikke slutte før den har startet.",
        ),
        (
            {"application_closes": "2027-09-01 12:00"},
            "application_closes",
            "Søknadsfristen må være før runden starter.",
        ),
        ({"mentee_places": "0"}, "mentee_places", AT_LEAST_ONE),
        ({"mentor_places": "0"}, "mentor_places", AT_LEAST_ONE),
        ({"faculty_quota": "0"}, "faculty_quota", AT_LEAST_ONE),
    ],
)
def test_bad_round_is_refused_and_not_saved(
    admin_client_nb, programme, overrides, field, message
):
    before = Page.objects.count()
    response = admin_client_nb.post(
        add_url(ProgramRoundPage, programme), round_form(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in errors[field]
    assert message in response.content.decode()
    assert Page.objects.count() == before
    assert not ProgramRoundPage.objects.filter(slug="runde-2027").exists()


def test_editing_a_round_into_bad_dates_keeps_the_saved_version(
    admin_client_nb, planned_round
):
    url = reverse("wagtailadmin_pages:edit", args=(planned_round.pk,))
    response = admin_client_nb.post(
        url,
        round_form(period_start="2028-08-15", period_end="2028-06-15"),
    )
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    planned_round.refresh_from_db()
    assert planned_round.period_start.isoformat() == "2027-08-15"
    assert planned_round.revisions.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start": "2027-09-01 15:00", "end": "2027-09-01 09:00"},
            "end",
            "Samlingen må slutte etter at den har startet.",
        ),
        (
            {"start": "2027-08-14 09:00", "end": "2027-08-14 15:00"},
            "start",
            "Samlingen må ligge innenfor runden (2027-08-15 – 2028-06-15).",
        ),
        (
            {"start": "2028-06-15 20:00", "end": "2028-06-16 01:00"},
            "start",
            "Samlingen må ligge innenfor runden (2027-08-15 – 2028-06-15).",
        ),
    ],
)
def test_bad_session_is_refused_and_not_saved(
    admin_client_nb, planned_round, overrides, field, message
):
    response = admin_client_nb.post(
        add_url(SessionPage, planned_round), session_form(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in errors[field]
    assert not SessionPage.objects.exists()


def test_session_on_the_rounds_last_evening_is_accepted(admin_client_nb, planned_round):
    response = admin_client_nb.post(
        add_url(SessionPage, planned_round),
        session_form(start="2028-06-15 18:00", end="2028-06-15 23:00"),
    )
    assert response.status_code == 302
    assert SessionPage.objects.child_of(planned_round).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("restricted", ["programme", "round", "source of alias"])
def test_view_restrictions_apply_to_rounds_and_their_applications(
    client, programme, restricted
):
    """Rounds are routed to in one query that also tells whether a view
    restriction applies; one set on the round, on an ancestor, or on the
    source page of an alias among them still keeps readers out."""
    from wagtail.models import PageViewRestriction

    from .application_helpers import apply_url

    programme_round = make_round(programme)
    target = programme_round
    if restricted == "programme":
        target = programme
    elif restricted == "source of alias":
        # The programme is an alias of another programme that is restricted.
        source = make_programme(programme.get_parent(), slug="kilde", title="Kilde")
        programme.alias_of = source
        programme.save()
        target = source
    for url in (programme_round.url, apply_url(programme_round, "mentee", "about")):
        assert client.get(url).status_code == 200
    PageViewRestriction.objects.create(
        page=target, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    for url in (programme_round.url, apply_url(programme_round, "mentee", "about")):
        response = client.get(url)
        assert response.status_code == 200
        assert "password" in response.content.decode().lower()
        assert "Kari" not in response.content.decode()
