"""XLSX exports above MENTORING_CMS_XLSX_INLINE_MAX_ROWS: written by a
background task, listed for the reviewer who asked, downloaded when ready,
deleted by the retention command."""

import datetime
import io
import os
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring_cms.models import Application, ExportFile
from mentoring_cms.storage import private_storage

from .utils import make_application, set_admin_language

pytestmark = pytest.mark.django_db

XLSX = reverse("mentoring_applications:export", args=["xlsx"])
EXPORTS = reverse("mentoring_applications:exports")


def download_url(export):
    return reverse("mentoring_applications:export_download", args=[export.pk])


def read_rows(body):
    """The heading row of the first sheet, then the rows of every sheet (one
    sheet per role)."""
    sheets = load_workbook(io.BytesIO(body)).worksheets
    rows = [list(next(sheets[0].iter_rows(values_only=True, max_row=1)))]
    for sheet in sheets:
        rows += [list(row) for row in sheet.iter_rows(values_only=True, min_row=2)]
    return rows


@pytest.fixture
def applications(open_round, faculty):
    return [
        make_application(
            round=open_round,
            faculty=faculty,
            reference=f"MP-2026-{n:04d}",
            full_name=f"Åse Ødegård {n}",
            role=Application.Role.MENTEE if n % 2 else Application.Role.MENTOR,
            answers={"motivation": "=1+1", "promotion_progress": "under_way"},
        )
        for n in range(1, 6)
    ]


def export_in_background(client, capture, params=None):
    """Confirm the export on its page: a POST to the export URL, whose query
    string carries the listing's filters."""
    query = urlencode(params or {}, doseq=True)
    with (
        override_settings(MENTORING_CMS_XLSX_INLINE_MAX_ROWS=2),
        capture(execute=True),
    ):
        return client.post(f"{XLSX}?{query}" if query else XLSX)


def test_above_the_threshold_a_get_only_shows_what_will_be_exported(
    hr_client, hr_user, applications, django_capture_on_commit_callbacks
):
    set_admin_language(hr_user, "en")
    with (
        override_settings(MENTORING_CMS_XLSX_INLINE_MAX_ROWS=2),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = hr_client.get(XLSX, {"role": "mentee", "q": "Ødegård"})
    assert response.status_code == 200
    assert not callbacks
    assert not ExportFile.objects.exists()
    html = response.content.decode()
    assert "3 applications are too many" in html
    assert "Role: Mentee" in html
    assert "Search: Ødegård" in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html


def test_the_export_confirmation_needs_the_csrf_token(
    hr_user, applications, django_capture_on_commit_callbacks
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hr_user)
    with override_settings(MENTORING_CMS_XLSX_INLINE_MAX_ROWS=2):
        response = client.post(XLSX)
    assert response.status_code == 403
    assert not ExportFile.objects.exists()


def test_at_or_below_the_threshold_the_file_comes_at_once(
    hr_client, applications, django_capture_on_commit_callbacks
):
    with override_settings(MENTORING_CMS_XLSX_INLINE_MAX_ROWS=5):
        response = hr_client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert not ExportFile.objects.exists()


def test_above_the_threshold_a_task_writes_the_file(
    hr_client, hr_user, applications, django_capture_on_commit_callbacks
):
    set_admin_language(hr_user, "nb")
    response = export_in_background(
        hr_client, django_capture_on_commit_callbacks, {"role": "mentee"}
    )
    assert response.status_code == 302
    assert response["Location"] == EXPORTS
    export = ExportFile.objects.get()
    assert export.requested_by == hr_user
    assert export.status == ExportFile.Status.READY
    assert export.row_count == 3
    assert export.filters == {"role": ["mentee"]}
    assert export.file.name.startswith("exports/")
    assert private_storage.exists(export.file.name)

    page = hr_client.get(EXPORTS)
    html = page.content.decode()
    assert "XLSX-filen med 3 søknader blir laget" in html
    assert download_url(export) in html

    response = hr_client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{export.download_name}"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    header, *rows = read_rows(body)
    assert header[:2] == ["Referanse", "Navn"]
    assert "Hvor langt har du kommet i opprykksarbeidet?" in header
    assert sorted(row[0] for row in rows) == [
        "MP-2026-0001",
        "MP-2026-0003",
        "MP-2026-0005",
    ]
    first = dict(zip(header, rows[0], strict=True))
    assert first["Rolle"] == "Adept"
    # As typed, in a text cell (never a formula).
    assert first["Hvorfor vil du delta?"] == "=1+1"
    assert first["Hvor langt har du kommet i opprykksarbeidet?"] == "Jeg er godt i gang"


def test_the_file_follows_the_listing_search_and_language(
    hr_client, hr_user, applications, django_capture_on_commit_callbacks
):
    set_admin_language(hr_user, "en")
    export_in_background(
        hr_client, django_capture_on_commit_callbacks, {"q": "Ødegård"}
    )
    export = ExportFile.objects.get()
    assert export.language == "en"
    header, *rows = read_rows(export.file.read())
    assert header[:2] == ["Reference", "Name"]
    assert len(rows) == 5


def test_only_the_requester_or_a_superuser_may_download(
    client,
    hr_client,
    applications,
    django_user_model,
    editor_user,
    superuser,
    django_capture_on_commit_callbacks,
):
    export_in_background(hr_client, django_capture_on_commit_callbacks)
    export = ExportFile.objects.get()
    url = download_url(export)
    hr_client.logout()

    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.get(EXPORTS).status_code == 302

    client.force_login(editor_user)
    assert client.get(url).status_code == 403
    assert client.get(EXPORTS).status_code == 403

    other = django_user_model.objects.create_user(username="hr2", password="pw")
    other.groups.add(Group.objects.get(name="HR reviewers"))
    client.force_login(other)
    assert client.get(url, follow=True).status_code == 404
    listing = client.get(EXPORTS)
    assert listing.status_code == 200
    assert url not in listing.content.decode()

    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_reviewer_without_export_permission_cannot_start_or_see_exports(
    client, applications, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    reviewer = django_user_model.objects.create_user(username="r", password="pw")
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_application"),
    )
    client.force_login(reviewer)
    response = export_in_background(client, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not ExportFile.objects.exists()
    assert client.get(EXPORTS).status_code == 403


def test_a_pending_or_failed_export_cannot_be_downloaded(hr_client, hr_user):
    pending = ExportFile.objects.create(requested_by=hr_user)
    failed = ExportFile.objects.create(
        requested_by=hr_user, status=ExportFile.Status.FAILED
    )
    for export in (pending, failed):
        assert hr_client.get(download_url(export), follow=True).status_code == 404
    html = hr_client.get(EXPORTS).content.decode()
    assert "Venter" in html
    assert "Blir laget" in html
    assert "Mislyktes" in html


def test_a_requester_who_lost_the_permission_gets_no_file(hr_user, applications):
    from mentoring_cms.admin.export_tasks import write_export_file

    export = ExportFile.objects.create(requested_by=hr_user)
    hr_user.groups.clear()
    write_export_file.call(export.pk)
    export.refresh_from_db()
    assert export.status == ExportFile.Status.FAILED
    assert not export.file


def test_retention_deletes_old_export_files(hr_user):
    now = timezone.now()
    old = ExportFile.objects.create(
        requested_by=hr_user,
        created_at=now - datetime.timedelta(days=8),
        status=ExportFile.Status.READY,
    )
    old.file.save("x.xlsx", ContentFile(b"old"), save=True)
    recent = ExportFile.objects.create(
        requested_by=hr_user,
        created_at=now - datetime.timedelta(days=6),
        status=ExportFile.Status.READY,
    )
    recent.file.save("x.xlsx", ContentFile(b"recent"), save=True)
    orphan = private_storage.save("exports/orphan.xlsx", ContentFile(b"orphan"))
    past = (now - datetime.timedelta(days=9)).timestamp()
    os.utime(private_storage.path(orphan), (past, past))
    old_name = old.file.name

    out = StringIO()
    call_command("purge_applications", "--dry-run", stdout=out)
    assert "Would delete 2 export file(s) older than 7 days" in out.getvalue()
    assert private_storage.exists(old_name) and private_storage.exists(orphan)

    out = StringIO()
    call_command("purge_applications", stdout=out)
    assert "Deleted 2 export file(s) older than 7 days" in out.getvalue()
    assert not private_storage.exists(old_name)
    assert not private_storage.exists(orphan)
    assert not ExportFile.objects.filter(pk=old.pk).exists()
    assert ExportFile.objects.filter(pk=recent.pk).exists()
    assert private_storage.exists(recent.file.name)


@pytest.mark.parametrize("how", ["erase", "anonymise"])
def test_erasing_or_anonymising_deletes_earlier_export_files(
    hr_user, applications, django_capture_on_commit_callbacks, how
):
    from mentoring_cms.operations import anonymise_application, erase_application

    ready = ExportFile.objects.create(
        requested_by=hr_user, status=ExportFile.Status.READY
    )
    ready.file.save("x.xlsx", ContentFile("Åse Ødegård 1".encode()), save=True)
    pending = ExportFile.objects.create(
        requested_by=hr_user, filters={"q": ["Åse Ødegård 1"]}
    )
    name = ready.file.name
    with django_capture_on_commit_callbacks(execute=True):
        if how == "erase":
            erase_application(applications[0], user=hr_user)
        else:
            anonymise_application(applications[0])
    assert not ExportFile.objects.filter(pk__in=[ready.pk, pending.pk]).exists()
    assert not private_storage.exists(name)


def test_a_written_export_forgets_the_search_text(
    hr_client, applications, django_capture_on_commit_callbacks
):
    export_in_background(
        hr_client,
        django_capture_on_commit_callbacks,
        {"q": "Ødegård", "role": "mentee"},
    )
    export = ExportFile.objects.get()
    assert export.status == ExportFile.Status.READY
    assert export.row_count == 3
    assert "q" not in export.filters
    assert export.filters["role"] == ["mentee"]
