"""Retention (purge_applications over a frozen clock) and erasure on request."""

import datetime
import io
import logging

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from mentoring_cms.admin.summary import round_summary
from mentoring_cms.models import Application, ApplicationNote
from mentoring_cms.operations import LOG_ANONYMISED, LOG_ERASED, add_note
from mentoring_cms.storage import private_storage

from .utils import make_application, make_round, oslo

Status = Application.Status


@pytest.fixture
def finished_round(programme):
    # Ends on 31 December 2024, i.e. finishes at midnight, 1 January 2025.
    return make_round(
        programme,
        title="Runde 2024",
        slug="runde-2024",
        application_opens=oslo(2023, 9, 1),
        application_closes=oslo(2023, 10, 1),
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )


@pytest.fixture
def old_application(finished_round, faculty):
    application = make_application(
        round=finished_round,
        faculty=faculty,
        status=Status.ACCEPTED,
        full_name="Åse Ødegård",
        email="ase@uni.no",
        phone="+47 900 00 000",
        answers={"motivation": "Personlig tekst"},
        submitted_at=oslo(2023, 9, 15),
    )
    application.attachment.save("cv.pdf", ContentFile(b"%PDF-1.4"), save=True)
    application.attachment_name = "cv.pdf"
    application.attachment_size = 8
    application.save()
    add_note(application, "Intern vurdering")
    return application


def purge(*args):
    out = io.StringIO()
    call_command("purge_applications", *args, stdout=out)
    return out.getvalue()


def test_nothing_is_purged_within_the_retention_period(old_application):
    # 365 days after the round finished (1 January 2025) is 1 January 2026.
    with time_machine.travel(oslo(2025, 12, 31, 23, 0), tick=False):
        output = purge()
    old_application.refresh_from_db()
    assert old_application.anonymised_at is None
    assert old_application.full_name == "Åse Ødegård"
    assert "0 application(s)" in output


def test_dry_run_reports_and_changes_nothing(old_application):
    name = old_application.attachment.name
    with time_machine.travel(oslo(2026, 1, 2, 3, 0), tick=False):
        output = purge("--dry-run")
    assert "Would anonymise 1 application(s) of round “Runde 2024”" in output
    assert "Dry run" in output
    assert "Åse" not in output and "ase@uni.no" not in output
    old_application.refresh_from_db()
    assert old_application.anonymised_at is None
    assert old_application.full_name == "Åse Ødegård"
    assert private_storage.exists(name)
    assert ApplicationNote.objects.count() == 1


def test_purge_anonymises_after_retention(old_application, open_round, faculty):
    current = make_application(round=open_round, faculty=faculty)
    name = old_application.attachment.name
    with time_machine.travel(oslo(2026, 1, 2, 3, 0), tick=False):
        output = purge()
    assert "Anonymised 1 application(s) of round “Runde 2024”" in output
    assert "Åse" not in output
    old_application.refresh_from_db()
    assert old_application.anonymised_at is not None
    for field in ("full_name", "email", "phone", "department", "academic_field"):
        assert getattr(old_application, field) == ""
    assert old_application.answers == {}
    assert not old_application.attachment
    assert old_application.attachment_name == ""
    assert not private_storage.exists(name)
    assert not ApplicationNote.objects.filter(application=old_application).exists()
    # What the round summary counts is kept.
    assert old_application.status == Status.ACCEPTED
    assert old_application.role == Application.Role.MENTEE
    assert old_application.faculty == faculty
    summary = round_summary(old_application.round)
    assert summary.roles[0].accepted == 1
    # Applications of rounds still within retention are untouched.
    current.refresh_from_db()
    assert current.anonymised_at is None
    # The audit log records it without personal data.
    entry = ModelLogEntry.objects.get(action=LOG_ANONYMISED)
    assert entry.label == old_application.reference
    # A second run has nothing left to do.
    with time_machine.travel(oslo(2026, 1, 3, 3, 0), tick=False):
        assert "Anonymised 0 application(s) in total" in purge()


@override_settings(MENTORING_CMS_RETENTION_DAYS=30)
def test_retention_days_setting(old_application):
    with time_machine.travel(oslo(2025, 1, 30, 12, 0), tick=False):
        purge()
    old_application.refresh_from_db()
    assert old_application.anonymised_at is None
    with time_machine.travel(oslo(2025, 2, 1, 0, 30), tick=False):
        output = purge()
    assert "retention is 30 days" in output
    old_application.refresh_from_db()
    assert old_application.anonymised_at is not None


# Erasure on request --------------------------------------------------------


def test_erase_needs_confirmation(hr_client, old_application):
    url = reverse("mentoring_applications:erase", args=[old_application.pk])
    response = hr_client.get(url)
    assert response.status_code == 200
    assert old_application.reference in response.content.decode()
    response = hr_client.post(url, {})
    assert response.status_code == 200
    assert Application.objects.filter(pk=old_application.pk).exists()


def test_erase_removes_application_notes_and_file(
    hr_client, hr_user, old_application, django_capture_on_commit_callbacks
):
    name = old_application.attachment.name
    reference = old_application.reference
    pk = old_application.pk
    url = reverse("mentoring_applications:erase", args=[pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(url, {"confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert not Application.objects.filter(pk=pk).exists()
    assert not ApplicationNote.objects.exists()
    assert not private_storage.exists(name)
    html = response.content.decode()
    assert reference in html
    assert "Åse" not in html
    entry = ModelLogEntry.objects.get(action=LOG_ERASED)
    assert entry.label == reference
    assert entry.user == hr_user
    assert entry.object_id == str(pk)
    for logged in ModelLogEntry.objects.filter(object_id=str(pk)):
        text = f"{logged.label} {logged.data} {logged.message}"
        assert "Åse" not in text and "ase@uni.no" not in text
        assert "Intern vurdering" not in text


def test_no_personal_data_in_python_logs(
    hr_client, old_application, caplog, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=old_application.pk).update(
        status=Status.NOMINATED,
        round=make_round(old_application.round.get_parent(), slug="ny"),
    )
    caplog.set_level(logging.DEBUG, logger="mentoring_cms")
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(
            reverse("mentoring_applications:status", args=[old_application.pk]),
            {"status": "accepted", "notify": "on"},
        )
        hr_client.get(reverse("mentoring_applications:export", args=["csv"]))
    assert caplog.records
    for record in caplog.records:
        text = record.getMessage()
        assert "Åse" not in text and "ase@uni.no" not in text
