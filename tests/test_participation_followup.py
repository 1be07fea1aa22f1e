"""Running the round, continued: HR's meetings per pair with the pairs below
the expected pace highlighted, gathering reminders tried again after a mail
failure, and the personal-link request limited per email address."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from mentoring_cms.models import (
    Application,
    GatheringReminder,
    Meeting,
    OwedGatheringReminder,
)
from mentoring_cms.models.matching import Match
from mentoring_cms.operations import erase_application
from mentoring_cms.participation.summary import round_participation

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    gathering,
    make_running_round,
    participant,
)
from .utils import make_application

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("mentoring_participation_overview")
REQUEST_URL = reverse("mentoring_cms:personal_link_request")


@pytest.fixture
def running(programme):
    return make_running_round(programme)


def make_pair(programme_round, number, meetings=0):
    mentee = participant(
        programme_round,
        full_name=f"Adept {number}",
        email=f"adept{number}@example.org",
    )
    mentor = participant(
        programme_round,
        role=Application.Role.MENTOR,
        full_name=f"Mentor {number}",
        email=f"mentor{number}@example.org",
    )
    Match.objects.create(round=programme_round, mentor=mentor, mentee=mentee)
    for day in range(meetings):
        Meeting.objects.create(
            application=mentee,
            date=programme_round.period_start + datetime.timedelta(days=day),
        )
    return mentor, mentee


# Meetings per pair -----------------------------------------------------------


def test_a_meeting_logged_by_both_counts_once_for_the_pair(running):
    mentor, mentee = make_pair(running, 1)
    day = running.period_start + datetime.timedelta(days=3)
    Meeting.objects.create(application=mentor, date=day)
    Meeting.objects.create(application=mentee, date=day)
    Meeting.objects.create(application=mentor, date=day + datetime.timedelta(days=9))
    (pair,) = round_participation(running).pairs
    assert (pair.mentor, pair.mentee) == (mentor, mentee)
    assert pair.meetings == 2
    assert (pair.mentor_logged, pair.mentee_logged) == (2, 1)
    assert pair.last_meeting == day + datetime.timedelta(days=9)


def test_pairs_below_pace_are_highlighted_for_hr(hr_client, running):
    # 60 of ~361 days have passed: 8 meetings evenly spread give 1 by now.
    make_pair(running, 1, meetings=0)
    make_pair(running, 2, meetings=3)
    # Not a pair: no row in the pairs' table.
    participant(running, full_name="Uten Partner")
    summary = round_participation(running)
    assert [p.mentor.full_name for p in summary.pairs_below_pace] == ["Mentor 1"]
    content = hr_client.get(OVERVIEW).content.decode()
    pairs_table = content.split('id="participation-pairs"')[1].split(
        'id="participation-people"'
    )[0]
    rows = [row for row in pairs_table.split("<tr") if "data-mentoring-pair=" in row]
    assert len(rows) == 2
    slow = next(row for row in rows if "Mentor 1" in row)
    fast = next(row for row in rows if "Mentor 2" in row)
    assert "data-mentoring-pair-below-pace" in slow
    assert "Adept 1" in slow
    assert "data-mentoring-pair-below-pace" not in fast
    assert "data-mentoring-pairs-below-pace-count" in pairs_table
    assert "Uten Partner" not in pairs_table


def test_an_ended_pair_is_not_listed(running):
    make_pair(running, 1)
    Match.objects.update(ended_at=timezone.now())
    assert round_participation(running).pairs == []


@pytest.mark.parametrize("pairs", [2, 12])
def test_the_pairs_take_the_same_queries_however_many(
    running, pairs, django_assert_max_num_queries
):
    for number in range(pairs):
        make_pair(running, number, meetings=number % 4)
    with django_assert_max_num_queries(8):
        summary = round_participation(running)
        assert len(summary.pairs) == pairs


# Gathering reminders tried again ------------------------------------------------

FAILING = set()


class FailingForSomeBackend(EmailBackend):
    """The test outbox, except that a message to an address in ``FAILING``
    fails as an SMTP server refusing it would."""

    def send_messages(self, messages):
        for message in messages:
            if FAILING.intersection(message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"busy")})
        return super().send_messages(messages)


@pytest.fixture
def failing_mail():
    FAILING.clear()
    with override_settings(
        EMAIL_BACKEND=f"{__name__}.FailingForSomeBackend",
    ):
        yield FAILING
    FAILING.clear()


def test_a_failed_gathering_reminder_is_sent_on_the_next_run(running, failing_mail):
    lucky = participant(running, email="lucky@example.org")
    unlucky = participant(running, email="unlucky@example.org")
    for person in (lucky, unlucky):
        Meeting.objects.create(application=person, date=timezone.localdate())
    gathering(running, 5, title="Samling om karriere")
    failing_mail.add(unlucky.email)
    call_command("send_participation_reminders")
    assert [m.to for m in mail.outbox] == [[lucky.email]]
    owed = OwedGatheringReminder.objects.get()
    assert owed.application == unlucky
    assert owed.attempts == 1
    assert owed.claimed_at is None
    # The mail server answers again: only she gets it, once.
    failing_mail.clear()
    call_command("send_participation_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == [lucky.email, unlucky.email]
    assert not OwedGatheringReminder.objects.exists()
    assert GatheringReminder.objects.count() == 1
    call_command("send_participation_reminders")
    assert len(mail.outbox) == 2


@override_settings(MENTORING_CMS_REMINDER_MAX_ATTEMPTS=2)
def test_a_reminder_that_keeps_failing_is_given_up(running, failing_mail):
    person = participant(running, email="bounce@example.org")
    Meeting.objects.create(application=person, date=timezone.localdate())
    gathering(running, 5)
    failing_mail.add(person.email)
    for _ in range(4):
        call_command("send_participation_reminders")
    assert mail.outbox == []
    assert OwedGatheringReminder.objects.get().attempts == 2


def test_no_reminder_is_retried_once_the_gathering_has_started(running, failing_mail):
    import time_machine

    person = participant(running, email="late@example.org")
    Meeting.objects.create(application=person, date=timezone.localdate())
    gathering(running, 2)
    failing_mail.add(person.email)
    call_command("send_participation_reminders")
    failing_mail.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        call_command("send_participation_reminders")
    assert [m for m in mail.outbox if m.to == [person.email]] == []


def test_an_owed_reminder_goes_with_the_application(running, failing_mail):
    person = participant(running, email="gone@example.org")
    gathering(running, 5)
    failing_mail.add(person.email)
    call_command("send_participation_reminders")
    assert OwedGatheringReminder.objects.exists()
    erase_application(person)
    assert not OwedGatheringReminder.objects.exists()


# The personal-link request per email address ------------------------------------


@override_settings(MENTORING_CMS_LINK_REQUEST_EMAIL_RATE_LIMIT="2/h")
def test_link_requests_are_limited_per_email_address(
    open_round, django_capture_on_commit_callbacks
):
    application = make_application(round=open_round)
    known, unknown = [], []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            # Each from another network: the per-client limit never bites.
            known.append(
                Client(REMOTE_ADDR=f"10.0.1.{number}").post(
                    REQUEST_URL, {"email": application.email}
                )
            )
            unknown.append(
                Client(REMOTE_ADDR=f"10.0.2.{number}").post(
                    REQUEST_URL, {"email": "nobody@example.org"}
                )
            )
    # Past the limit the answer is still the same page, for an address that
    # applied and one that did not: the limit tells nothing.
    assert {r.status_code for r in known + unknown} == {200}
    assert len({r.content for r in known + unknown}) == 1
    assert [m.to for m in mail.outbox] == [[application.email]] * 2
    # Another address is not held back by hers.
    other = make_application(round=open_round, email="other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="10.0.3.1").post(REQUEST_URL, {"email": other.email})
    assert mail.outbox[-1].to == [other.email]
