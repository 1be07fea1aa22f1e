"""Reminders to the selection committee: each reviewer with applications of
a round still to score (not reviewed, no conflict declared) hears of them
once, in her admin language, in the days before the round's decision date;
a refused email is tried again on the next run."""

import datetime
import smtplib
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mentoring_cms.models import Application, ProgramRoundPage, ReviewReminder
from mentoring_cms.selection import operations
from mentoring_cms.selection.tasks import (
    enqueue_review_reminders,
    reminders_due,
    send_review_reminder,
)

from .selection_helpers import make_coordinator, make_reviewer, review
from .utils import make_application, set_admin_language

Status = Application.Status


def decide_in(programme_round, days):
    ProgramRoundPage.objects.filter(pk=programme_round.pk).update(
        decisions_by=timezone.localdate() + datetime.timedelta(days=days)
    )


def run():
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    return out.getvalue()


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def to_score(open_round, faculty):
    """A nominated mentee and a mentor application: both for the committee."""
    mentee = make_application(
        round=open_round,
        faculty=faculty,
        full_name="Nominert Søker",
        status=Status.NOMINATED,
    )
    mentor = make_application(
        round=open_round,
        faculty=faculty,
        role=Application.Role.MENTOR,
        full_name="Mentor Søker",
        status=Status.SUBMITTED,
    )
    decide_in(open_round, 3)
    return mentee, mentor


def test_each_reviewer_with_applications_left_is_reminded_once_in_her_language(
    to_score, open_round, faculty, superuser
):
    mentee, mentor = to_score
    done = make_reviewer("ferdig")
    review(mentee, done, 4)
    review(mentor, done, 3)
    english = make_reviewer("english")
    set_admin_language(english, "en")
    norwegian = make_reviewer("norsk")
    set_admin_language(norwegian, "nb")
    operations.declare_conflict(mentee, reviewer=norwegian, reason="Samme institutt")
    coordinator = make_coordinator("koordinator", faculty)
    mail.outbox.clear()

    assert run() == "Queued: 2. Failed: 0.\n"

    (message,) = to(english)
    assert "Applications to score" in message.subject
    assert "You have 2 applications" in message.body
    assert "http://testserver/admin/" in message.body
    (melding,) = to(norwegian)
    assert "Søknader å vurdere" in melding.subject
    assert "Du har 1 søknad" in melding.body
    assert not to(done) and not to(coordinator) and not to(superuser)
    for sent in mail.outbox:
        for application in to_score:
            assert application.full_name not in sent.body
            assert application.email not in sent.body
    assert ReviewReminder.objects.filter(round=open_round).count() == 2

    # Once per round, however often the command runs.
    mail.outbox.clear()
    assert run() == "Queued: 0. Failed: 0.\n"
    assert send_review_reminder.call(open_round.pk, english.pk) == 0
    assert mail.outbox == []


def test_only_in_the_days_before_the_decision_date(to_score, open_round):
    reviewer = make_reviewer("komite1")
    decide_in(open_round, 10)
    assert reminders_due() == []
    with override_settings(MENTORING_CMS_REVIEW_REMINDER_DAYS=14):
        assert reminders_due() == [(open_round.pk, reviewer.pk)]
    decide_in(open_round, -1)
    assert reminders_due() == []
    decide_in(open_round, 0)
    assert reminders_due() == [(open_round.pk, reviewer.pk)]
    ProgramRoundPage.objects.filter(pk=open_round.pk).update(decisions_by=None)
    assert reminders_due() == []


def test_nothing_left_to_score_means_no_reminder(open_round, faculty):
    decide_in(open_round, 2)
    make_reviewer("komite1")
    # Under review, not nominated: not the committee's yet.
    make_application(round=open_round, faculty=faculty, status=Status.UNDER_REVIEW)
    assert run() == "Queued: 0. Failed: 0.\n"
    assert mail.outbox == []


def test_an_inactive_reviewer_or_one_without_address_is_not_reminded(to_score):
    gone = make_reviewer("borte")
    get_user_model().objects.filter(pk=gone.pk).update(is_active=False)
    silent = make_reviewer("stille")
    get_user_model().objects.filter(pk=silent.pk).update(email="")
    assert reminders_due() == []


def test_a_refused_email_is_not_recorded_and_goes_out_next_time(
    to_score, open_round, caplog
):
    reviewer = make_reviewer("komite1")
    mail.outbox.clear()
    with mock.patch(
        "mentoring_cms.selection.tasks.EmailMessage.send",
        side_effect=smtplib.SMTPServerDisconnected("komite1@example.org"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            run()
    assert exit_info.value.code == 1
    assert not ReviewReminder.objects.exists()
    assert "komite1@example.org" not in caplog.text
    assert f"user {reviewer.pk}" in caplog.text

    assert run() == "Queued: 1. Failed: 0.\n"
    assert len(to(reviewer)) == 1
    assert ReviewReminder.objects.filter(round=open_round, user=reviewer).exists()


def test_a_dry_run_queues_nothing(to_score):
    make_reviewer("komite1")
    out = StringIO()
    call_command("send_review_reminders", "--dry-run", stdout=out)
    assert out.getvalue() == "Would queue: 1. Failed: 0.\n"
    assert mail.outbox == []
    assert enqueue_review_reminders(dry_run=True) == (1, 0)
    assert not ReviewReminder.objects.exists()
