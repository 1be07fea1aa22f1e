"""Emails about an application: sent as tasks, never at the cost of the
application."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client, override_settings

from mentoring_cms.models import Application
from mentoring_cms.tasks import send_application_confirmation, send_hr_notification

from .application_helpers import (  # noqa: F401
    clear_rate_limits,
    mentee_answers,
    mentor_answers,
    walk,
)
from .utils import make_faculty

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.test_application_emails.FailingEmailBackend"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that refuses everything, naming the recipient."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {messages[0].to[0]: (550, b"mailbox unavailable")}
        )


@pytest.fixture
def faculty():
    return make_faculty()


def apply(programme_round, answers, role="mentee", capture=None):
    with capture(execute=True):
        walk(Client(), programme_round, role, answers)
    return Application.objects.get(email=answers["about"]["email"].lower())


def test_applicant_is_answered_in_the_language_they_chose(
    open_round, faculty, django_capture_on_commit_callbacks
):
    answers = mentee_answers(faculty, about={"language": "en"})
    application = apply(open_round, answers, capture=django_capture_on_commit_callbacks)
    to_applicant = next(m for m in mail.outbox if m.to == [application.email])
    assert to_applicant.subject == (
        f"We have received your application ({application.reference})"
    )
    assert "Thank you for applying as a mentee" in to_applicant.body
    assert "Associate professor" in to_applicant.body


def test_hr_address_is_the_programmes_else_the_setting(
    programme, open_round, faculty, django_capture_on_commit_callbacks
):
    with override_settings(MENTORING_CMS_HR_EMAIL="fallback@example.org"):
        apply(
            open_round,
            mentee_answers(faculty),
            capture=django_capture_on_commit_callbacks,
        )
        assert any(m.to == ["fallback@example.org"] for m in mail.outbox)
        programme.notification_email = "programme-hr@example.org"
        programme.save()
        mail.outbox.clear()
        apply(
            open_round,
            mentor_answers(faculty),
            role="mentor",
            capture=django_capture_on_commit_callbacks,
        )
        assert any(m.to == ["programme-hr@example.org"] for m in mail.outbox)
        assert not any(m.to == ["fallback@example.org"] for m in mail.outbox)


def test_confirmation_lists_what_was_received(
    open_round, faculty, django_capture_on_commit_callbacks
):
    application = apply(
        open_round, mentee_answers(faculty), capture=django_capture_on_commit_callbacks
    )
    body = next(m for m in mail.outbox if m.to == [application.email]).body
    for shown in (
        application.reference,
        "Dette har vi mottatt:",
        "Fullt navn: Kari Nordmann",
        "Nåværende stilling: Førsteamanuensis",
        "Hvor langt har du kommet i opprykksarbeidet?: Jeg er godt i gang",
        "Hvorfor vil du delta?: Jeg vil bli professor.",
    ):
        assert shown in body, shown
    assert "Leave this field empty" not in body
    assert "La dette feltet stå tomt" not in body


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_failing_mail_server_never_loses_the_application(
    client, open_round, faculty, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.ERROR)
    with django_capture_on_commit_callbacks(execute=True):
        response = walk(client, open_round, "mentee", mentee_answers(faculty))
    # The applicant still gets the confirmation page.
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    application = Application.objects.get()
    assert application.confirmation_sent_at is None
    assert application.notification_sent_at is None
    ours = [r for r in caplog.records if r.name == "mentoring_cms.tasks"]
    assert ours
    for record in ours:
        message = record.getMessage()
        assert application.reference in message
        assert "kari" not in message.lower()
    # The task backend records the failure, without the address either.
    for record in caplog.records:
        assert "kari.nordmann" not in record.getMessage()
        assert "kari.nordmann" not in (record.exc_text or "")


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_failed_task_is_recorded_as_failed(open_round, faculty):
    from django_tasks.base import TaskResultStatus

    application = Application.objects.create(
        round=open_round,
        role="mentee",
        full_name="Kari",
        email="kari@example.org",
        position="senior_lecturer",
        reference="MP-2026-0099",
    )
    result = send_application_confirmation.enqueue(application.pk)
    assert result.status == TaskResultStatus.FAILED
    assert "MP-2026-0099" in result.errors[0].traceback
    assert "kari@example.org" not in result.errors[0].traceback


def test_unsent_emails_are_sent_again_by_the_command(
    open_round, faculty, django_capture_on_commit_callbacks
):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        application = apply(
            open_round,
            mentee_answers(faculty),
            capture=django_capture_on_commit_callbacks,
        )
    assert mail.outbox == []
    call_command("send_pending_application_emails")
    assert len(mail.outbox) == 2
    application.refresh_from_db()
    assert application.confirmation_sent_at and application.notification_sent_at
    # Sent once only.
    call_command("send_pending_application_emails")
    assert len(mail.outbox) == 2


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_command_reports_failures(open_round):
    Application.objects.create(
        round=open_round,
        role="mentee",
        full_name="Kari",
        email="kari@example.org",
        position="senior_lecturer",
        reference="MP-2026-0100",
    )
    with pytest.raises(SystemExit):
        call_command("send_pending_application_emails")


def test_tasks_do_not_send_twice(
    open_round, faculty, django_capture_on_commit_callbacks
):
    application = apply(
        open_round, mentee_answers(faculty), capture=django_capture_on_commit_callbacks
    )
    assert len(mail.outbox) == 2
    send_application_confirmation.enqueue(application.pk)
    send_hr_notification.enqueue(application.pk)
    assert len(mail.outbox) == 2


def test_emails_are_queued_only_after_the_application_is_committed(open_round, faculty):
    # Without running on_commit callbacks nothing is sent: the emails wait for
    # the transaction that stores the application.
    walk(Client(), open_round, "mentee", mentee_answers(faculty))
    assert Application.objects.count() == 1
    assert mail.outbox == []


@override_settings(MENTORING_CMS_HR_EMAIL="hr@example.org")
def test_subjects_are_plain_text_not_html_escaped(open_round, faculty):
    from mentoring_cms.tasks import send_decision_email

    from .utils import make_application

    open_round.title = "Runde A & B <2026>"
    open_round.save()
    application = make_application(
        round=open_round,
        faculty=faculty,
        reference="MP-A&B<1>",
        language="en",
        decision_email_status=Application.DecisionEmail.OWED,
    )
    send_application_confirmation.call(application.pk)
    send_hr_notification.call(application.pk)
    send_decision_email.call(application.pk, "accepted")
    subjects = {
        message.to[0] if message.to != ["hr@example.org"] else "hr": message.subject
        for message in mail.outbox
    }
    assert len(mail.outbox) == 3
    assert "Runde A & B <2026>" in subjects["hr"]
    for subject in [message.subject for message in mail.outbox]:
        assert "MP-A&B<1>" in subject, subject
        assert "&amp;" not in subject and "&lt;" not in subject, subject


@override_settings(
    MENTORING_CMS_HR_EMAIL="hr@example.org",
    WAGTAILADMIN_BASE_URL="https://mentoring.example.org/",
)
def test_hr_notification_links_to_the_application_in_the_admin(open_round, faculty):
    from .utils import make_application

    application = make_application(round=open_round, faculty=faculty)
    send_hr_notification.call(application.pk)
    (message,) = mail.outbox
    link = (
        f"https://mentoring.example.org/admin/mentoring/applications/{application.pk}/"
    )
    assert link in message.body
