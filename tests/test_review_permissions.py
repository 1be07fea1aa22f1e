"""Who may reach which application URL: anonymous users are sent to the login
page, content editors get 403, HR reviewers and superusers get in."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from mentoring_cms.admin import evaluation as evaluation_admin
from mentoring_cms.admin import outcomes as outcomes_admin
from mentoring_cms.admin import participation as participation_admin
from mentoring_cms.admin.matching import admin_urls as matching_urls
from mentoring_cms.admin.viewsets import ApplicationViewSet
from mentoring_cms.models import (
    Application,
    ApplicationNote,
    ExportFile,
    MatchingRun,
    PromotionOutcome,
)

from .application_helpers import make_pdf_bytes
from .outcomes_helpers import make_former_mentee, outcome_endpoints
from .participation_helpers import participation_endpoints
from .utils import make_application, make_session


@pytest.fixture
def application(open_round, faculty, hr_user):
    application = make_application(round=open_round, faculty=faculty)
    # A real PDF: HR's download gives out only files that pass the check.
    application.attachment.save("cv.pdf", ContentFile(make_pdf_bytes()), save=True)
    # A finished export of the HR reviewer, for the download URL.
    export = ExportFile.objects.create(requested_by=hr_user)
    export.file.save("x.xlsx", ContentFile(b"PK x"), save=False)
    export.mark_ready(export.file.name, 1)
    application.export_pk = export.pk
    # A gathering of the round, for the attendance register.
    # A gathering that has started: attendance is recorded only then.
    application.session_pk = make_session(
        open_round, start=timezone.now() - datetime.timedelta(days=1)
    ).pk
    # A matching proposal of the round, for the publish URLs.
    application.run_pk = MatchingRun.objects.create(round=open_round).pk
    # A former mentee of a finished round, for the promotion outcome form.
    application.former_mentee_pk = make_former_mentee(open_round).pk
    return application


BULK_ACTION = "wagtail_bulk_action"


def endpoints(application):
    """(name, URL name, method, url, data, success status) for every URL of
    the applications in the admin."""
    pk = application.pk
    export_pk = getattr(application, "export_pk", 424242)

    def u(name, *args):
        return reverse(f"mentoring_applications:{name}", args=args)

    bulk = (
        reverse(BULK_ACTION, args=["mentoring_cms", "application", "change_status"])
        + f"?id={pk}"
    )
    return [
        ("listing", "index", "get", u("index"), None, 200),
        ("listing results", "index_results", "get", u("index_results"), None, 200),
        ("detail", "edit", "get", u("edit", pk), None, 200),
        ("history", "history", "get", u("history", pk), None, 200),
        (
            "history results",
            "history_results",
            "get",
            u("history_results", pk),
            None,
            200,
        ),
        (
            "status change",
            "status",
            "post",
            u("status", pk),
            {"status": "under_review"},
            302,
        ),
        ("note", "note", "post", u("note", pk), {"text": "Notat"}, 302),
        ("bulk action form", BULK_ACTION, "get", bulk, None, 200),
        ("bulk action", BULK_ACTION, "post", bulk, {"status": "under_review"}, 302),
        ("export csv", "export", "get", u("export", "csv"), None, 200),
        ("export xlsx", "export", "get", u("export", "xlsx"), None, 200),
        ("export xlsx confirmed", "export", "post", u("export", "xlsx"), None, 302),
        ("exports", "exports", "get", u("exports"), None, 200),
        (
            "export download",
            "export_download",
            "get",
            u("export_download", export_pk),
            None,
            200,
        ),
        ("attachment", "attachment", "get", u("attachment", pk), None, 200),
        ("erase form", "erase", "get", u("erase", pk), None, 200),
        ("erase", "erase", "post", u("erase", pk), {"confirm": "on"}, 302),
        ("summary", "summary", "get", u("summary"), None, 200),
        *participation_endpoints(application),
        *matching_endpoints(application),
        *evaluation_endpoints(application),
        *outcome_endpoints(application),
    ]


def evaluation_endpoints(application):
    """HR's evaluation results of the round of ``application`` and their
    exports."""
    key = application.round.translation_key if application.round_id else ""
    results = reverse("mentoring_evaluation_results") + f"?round={key}"

    def export(fmt):
        return reverse("mentoring_evaluation_export", args=[fmt]) + f"?round={key}"

    return [
        (
            "evaluation results",
            "mentoring_evaluation_results",
            "get",
            results,
            None,
            200,
        ),
        (
            "evaluation csv",
            "mentoring_evaluation_export",
            "get",
            export("csv"),
            None,
            200,
        ),
        (
            "evaluation xlsx",
            "mentoring_evaluation_export",
            "get",
            export("xlsx"),
            None,
            200,
        ),
    ]


MATCHING = "mentoring_matching"


def matching_endpoints(application):
    """The matching page's URLs, for the round of ``application``."""
    round_pk = application.round_id or 424242
    run_pk = getattr(application, "run_pk", 424242)

    def u(name, *args):
        return reverse(f"{MATCHING}:{name}", args=args)

    pair = {"mentor": application.pk, "mentee": application.pk, "kind": "lock"}
    return [
        ("matching", f"{MATCHING}:index", "get", u("index"), None, 302),
        ("matching round", f"{MATCHING}:round", "get", u("round", round_pk), None, 200),
        (
            "matching proposal",
            f"{MATCHING}:proposal",
            "get",
            u("proposal", round_pk, run_pk),
            None,
            200,
        ),
        ("matching run", f"{MATCHING}:run", "post", u("run", round_pk), {}, 302),
        (
            "matching pair",
            f"{MATCHING}:constraint",
            "post",
            u("constraint", round_pk),
            pair,
            302,
        ),
        (
            "matching release",
            f"{MATCHING}:release",
            "post",
            u("release", round_pk, 424242),
            None,
            302,
        ),
        (
            "matching capacity",
            f"{MATCHING}:capacity",
            "post",
            u("capacity", round_pk),
            {"mentor": application.pk, "capacity": 2},
            302,
        ),
        (
            "matching publish form",
            f"{MATCHING}:publish",
            "get",
            u("publish", round_pk, run_pk),
            None,
            200,
        ),
        (
            "matching publish",
            f"{MATCHING}:publish",
            "post",
            u("publish", round_pk, run_pk),
            {"confirm": "1"},
            302,
        ),
    ]


ENDPOINT_NAMES = [e[0] for e in endpoints(Application(pk=1))]


def find(application, name):
    name, _url_name, method, url, data, ok = next(
        e for e in endpoints(application) if e[0] == name
    )
    return name, method, url, data, ok


def request(client, method, url, data):
    return getattr(client, method)(url, data or {})


def unchanged(application):
    application.refresh_from_db()
    return (
        application.status == Application.Status.SUBMITTED
        and not ApplicationNote.objects.exists()
        and not MatchingRun.objects.filter(published_at__isnull=False).exists()
        and MatchingRun.objects.count() <= 1
        and not PromotionOutcome.objects.exists()
    )


def test_every_endpoint_is_in_the_matrix(application):
    """Every URL the viewset serves, and the bulk action, is checked below."""
    viewset_names = {pattern.name for pattern in ApplicationViewSet().get_urlpatterns()}
    assert {"summary", "exports", "export_download", "attachment", "erase"} <= (
        viewset_names
    )
    covered = {e[1] for e in endpoints(application)}
    assert viewset_names | {BULK_ACTION} <= covered, sorted(
        (viewset_names | {BULK_ACTION}) - covered
    )
    assert len(set(ENDPOINT_NAMES)) == len(ENDPOINT_NAMES)
    participation_names = {pattern.name for pattern in participation_admin.admin_urls()}
    assert participation_names <= covered, sorted(participation_names - covered)
    evaluation_names = {pattern.name for pattern in evaluation_admin.admin_urls()}
    assert evaluation_names <= covered, sorted(evaluation_names - covered)
    (matching,) = matching_urls()
    matching_names = {f"{MATCHING}:{p.name}" for p in matching.url_patterns}
    assert matching_names <= covered, sorted(matching_names - covered)
    outcome_names = {pattern.name for pattern in outcomes_admin.admin_urls()}
    assert outcome_names <= covered, sorted(outcome_names - covered)


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_anonymous_is_sent_to_login(client, application, name):
    _name, method, url, data, _ok = find(application, name)
    response = request(client, method, url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert Application.objects.filter(pk=application.pk).exists()
    assert unchanged(application)


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_content_editor_gets_403(client, editor_user, application, name):
    client.force_login(editor_user)
    _name, method, url, data, _ok = find(application, name)
    response = request(client, method, url, data)
    assert response.status_code == 403
    content = response.content.decode()
    assert application.full_name not in content
    assert application.email not in content
    assert Application.objects.filter(pk=application.pk).exists()
    assert unchanged(application)


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_content_editor_gets_403_for_unknown_ids_too(client, editor_user, name):
    # The answer must not tell an outsider whether an application exists.
    client.force_login(editor_user)
    ghost = Application(pk=424242)
    _name, method, url, data, _ok = find(ghost, name)
    assert request(client, method, url, data).status_code == 403


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_hr_reviewer_gets_in(hr_client, application, name):
    _name, method, url, data, ok = find(application, name)
    response = request(hr_client, method, url, data)
    assert response.status_code == ok
    if ok == 302:
        assert not response["Location"].startswith(reverse("wagtailadmin_login"))
        assert response["Location"] != reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_superuser_gets_in(client, superuser, application, name):
    client.force_login(superuser)
    _name, method, url, data, ok = find(application, name)
    response = request(client, method, url, data)
    assert response.status_code == ok


def test_reviewer_without_export_permission_cannot_export(
    client, django_user_model, application
):
    group = Group.objects.create(name="Readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_application"),
    )
    user = django_user_model.objects.create_user(username="reader", password="pw")
    user.groups.add(group)
    client.force_login(user)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("mentoring_applications:export", args=[fmt]))
        assert response.status_code == 403
    listing = client.get(reverse("mentoring_applications:index"))
    assert listing.status_code == 200
    assert "export/csv" not in listing.content.decode()


def test_hr_reviewers_group_is_created_by_migration(db):
    group = Group.objects.get(name="HR reviewers")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "review_application", "export_application"} <= codenames
    # Nothing that would let the group edit pages or delete applications.
    assert not any(
        codename.startswith(("add_", "change_", "delete_", "publish_"))
        for codename in codenames
    )


def test_custom_permissions_are_offered_in_the_group_editor(client, superuser):
    client.force_login(superuser)
    group = Group.objects.get(name="HR reviewers")
    response = client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    html = response.content.decode()
    review = Permission.objects.get(codename="review_application")
    export = Permission.objects.get(codename="export_application")
    assert f'value="{review.pk}"' in html
    assert f'value="{export.pk}"' in html


def test_site_history_hides_application_entries_from_editors(
    editor_user, hr_user, application
):
    from django.test import Client

    hr_client = Client()
    hr_client.force_login(hr_user)
    hr_client.post(
        reverse("mentoring_applications:status", args=[application.pk]),
        {"status": "under_review"},
    )
    client = Client()
    client.force_login(editor_user)
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert application.reference not in response.content.decode()
