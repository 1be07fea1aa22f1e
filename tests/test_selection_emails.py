"""Emails to faculty coordinators: a new mentee application from their
faculty, and the reminder before the nomination deadline, each in the
coordinator's own language and without the applicant's name."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mentoring_cms.models import Application
from mentoring_cms.selection.emails import send_nomination_reminders
from mentoring_cms.tasks import send_application_emails

from .selection_helpers import make_coordinator
from .utils import make_application, make_faculty


@pytest.fixture
def other_faculty(db):
    return make_faculty(name="Fakultet for medisin")


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_coordinators_of_the_faculty_hear_of_a_new_mentee_application(
    open_round, faculty, other_faculty
):
    english = make_coordinator("english", faculty, language="en")
    norwegian = make_coordinator("norsk", faculty, language="nb")
    elsewhere = make_coordinator("annen", other_faculty)
    application = make_application(round=open_round, faculty=faculty)
    mail.outbox.clear()
    # The one task that sends a new application's emails.
    send_application_emails.call(application.pk)
    (message,) = to(english)
    assert "New mentee application" in message.subject
    assert application.reference in message.body
    assert f"/admin/mentoring/selection/applications/{application.pk}/" in message.body
    assert application.full_name not in message.body + message.subject
    (message,) = to(norwegian)
    assert "Ny adeptsøknad" in message.subject
    assert not to(elsewhere)


def test_mentor_applications_are_not_sent_to_coordinators(open_round, faculty):
    coordinator = make_coordinator("koordinator", faculty)
    application = make_application(
        round=open_round, faculty=faculty, role=Application.Role.MENTOR
    )
    send_application_emails.call(application.pk)
    assert not to(coordinator)


def test_the_reminder_goes_out_once_in_the_week_before_the_deadline(
    open_round, faculty
):
    coordinator = make_coordinator("koordinator", faculty, language="en")
    open_round.nomination_deadline = timezone.localdate() + datetime.timedelta(days=8)
    open_round.save()
    assert send_nomination_reminders() == (0, 0)
    open_round.nomination_deadline = timezone.localdate() + datetime.timedelta(days=7)
    open_round.save()
    call_command("send_nomination_reminders", stdout=open("/dev/null", "w"))
    (message,) = to(coordinator)
    assert "Nominations for" in message.subject
    assert "0 of 4 nominated, 4 left" in message.body
    assert send_nomination_reminders() == (0, 0)
    assert len(to(coordinator)) == 1


def test_no_reminder_after_the_deadline(open_round, faculty):
    coordinator = make_coordinator("koordinator", faculty)
    open_round.nomination_deadline = timezone.localdate() - datetime.timedelta(days=1)
    open_round.save()
    send_nomination_reminders()
    assert not to(coordinator)
