"""The permission matrix of the selection roles: every role × every URL of
the applications in the admin (HR's and the selection's). A URL a role may
not use answers 403 (anonymous users: the login page) and changes nothing;
a coordinator of another faculty is refused this application's detail,
PDF and nomination endpoints, and every export and bulk action."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from mentoring_cms.admin.selection_viewset import SelectionViewSet
from mentoring_cms.models import (
    Application,
    ApplicationNote,
    ConflictOfInterest,
    MatchingRun,
    Nomination,
    Review,
)

from . import test_review_permissions as hr_matrix
from .application_helpers import make_pdf_bytes
from .selection_helpers import make_coordinator, make_reviewer
from .utils import make_application, make_faculty

Status = Application.Status


@pytest.fixture
def application(open_round, faculty, hr_user):
    """A nominated mentee of ``faculty`` with a PDF (and, for HR's matrix,
    a finished export of the HR reviewer)."""
    application = make_application(
        round=open_round, faculty=faculty, status=Status.NOMINATED
    )
    application.attachment.save("cv.pdf", ContentFile(make_pdf_bytes()), save=True)
    Nomination.objects.create(application=application, justification="Sterk.")
    from mentoring_cms.models import ExportFile

    export = ExportFile.objects.create(requested_by=hr_user)
    export.file.save("x.xlsx", ContentFile(b"PK x"), save=False)
    export.mark_ready(export.file.name, 1)
    application.export_pk = export.pk
    # A matching proposal of the round, for the matching page's publish URLs.
    application.run_pk = MatchingRun.objects.create(round=open_round).pk
    return application


def selection_endpoints(application):
    """(name, URL name, method, url, data, success status) for every URL of
    the selection."""
    pk = application.pk

    def u(name, *args):
        return reverse(f"mentoring_selection:{name}", args=args)

    return [
        ("nominations", "coordinator_index", "get", u("coordinator_index"), None, 200),
        (
            "coordinator detail",
            "coordinator_detail",
            "get",
            u("coordinator_detail", pk),
            None,
            200,
        ),
        (
            "coordinator PDF",
            "coordinator_attachment",
            "get",
            u("coordinator_attachment", pk),
            None,
            200,
        ),
        (
            "nominate",
            "nominate",
            "post",
            u("nominate", pk),
            {"justification": "J"},
            302,
        ),
        ("withdraw", "withdraw", "post", u("withdraw", pk), None, 302),
        ("scoring", "review_index", "get", u("review_index"), None, 200),
        ("review", "review", "get", u("review", pk), None, 200),
        ("review post", "review", "post", u("review", pk), {}, 200),
        (
            "reviewer PDF",
            "review_attachment",
            "get",
            u("review_attachment", pk),
            None,
            200,
        ),
        ("conflict", "conflict", "post", u("conflict", pk), {"reason": "R"}, 302),
        ("ranking", "ranking", "get", u("ranking"), None, 200),
        (
            "ranking decision",
            "ranking_decide",
            "post",
            u("ranking_decide", pk),
            {"status": "waitlisted"},
            302,
        ),
        ("dashboard", "dashboard", "get", u("dashboard"), None, 200),
    ]


def all_endpoints(application):
    return [("hr " + e[0], *e[1:]) for e in hr_matrix.endpoints(application)] + [
        ("selection " + e[0], *e[1:]) for e in selection_endpoints(application)
    ]


NAMES = [e[0] for e in all_endpoints(Application(pk=1))]
SELECTION = [n for n in NAMES if n.startswith("selection ")]
HR = [n for n in NAMES if n.startswith("hr ")]
COORDINATOR_URLS = {
    "selection nominations",
    "selection coordinator detail",
    "selection coordinator PDF",
    "selection nominate",
    "selection withdraw",
}
REVIEWER_URLS = {
    "selection scoring",
    "selection review",
    "selection review post",
    "selection reviewer PDF",
    "selection conflict",
}
HR_SELECTION_URLS = {
    "selection ranking",
    "selection ranking decision",
    "selection dashboard",
}

# What each role may use; everything else answers 403.
ALLOWED = {
    "editor": set(),
    "coordinator": COORDINATOR_URLS,
    # Her own (empty) listing only: this application is not of her faculty.
    "other coordinator": {"selection nominations"},
    "reviewer": REVIEWER_URLS,
    "hr": set(HR) | HR_SELECTION_URLS,
}


@pytest.fixture
def users(db, editor_user, hr_user, faculty):
    return {
        "editor": editor_user,
        "coordinator": make_coordinator("koordinator", faculty),
        "other coordinator": make_coordinator(
            "annen", make_faculty(name="Fakultet for medisin")
        ),
        "reviewer": make_reviewer("komite"),
        "hr": hr_user,
    }


def find(application, name):
    _name, _url_name, method, url, data, ok = next(
        e for e in all_endpoints(application) if e[0] == name
    )
    return method, url, data, ok


def snapshot(application):
    application.refresh_from_db()
    return (
        application.status,
        Nomination.objects.filter(withdrawn_at__isnull=True).count(),
        Nomination.objects.count(),
        Review.objects.count(),
        ConflictOfInterest.objects.count(),
        ApplicationNote.objects.count(),
        ModelLogEntry.objects.count(),
        Application.objects.count(),
    )


def test_every_selection_url_is_in_the_matrix(application):
    names = {p.name for p in SelectionViewSet().get_urlpatterns()}
    covered = {e[1] for e in selection_endpoints(application)}
    assert names <= covered, sorted(names - covered)
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("name", SELECTION)
def test_anonymous_is_sent_to_login(client, application, name):
    method, url, data, _ok = find(application, name)
    before = snapshot(application)
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert snapshot(application) == before


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("role", list(ALLOWED))
def test_role_by_url(client, users, application, role, name):
    client.force_login(users[role])
    method, url, data, ok = find(application, name)
    before = snapshot(application)
    response = getattr(client, method)(url, data or {})
    if name in ALLOWED[role]:
        assert response.status_code == ok, (role, name)
        if ok == 302:
            assert not response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        assert response.status_code == 403, (role, name, response.status_code)
        content = response.content.decode()
        assert application.full_name not in content
        assert application.email not in content
        assert snapshot(application) == before, (role, name)


@pytest.mark.parametrize("name", SELECTION)
def test_selection_urls_answer_403_for_unknown_ids_too(client, users, name):
    client.force_login(users["other coordinator"])
    method, url, data, _ok = find(Application(pk=424242), name)
    if name in ALLOWED["other coordinator"]:
        return
    assert getattr(client, method)(url, data or {}).status_code == 403
