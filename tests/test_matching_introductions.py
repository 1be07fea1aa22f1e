"""Introduction emails that the mail server refused are owed, and
``send_pending_application_emails`` sends them later, once per side, in each
participant's language."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from mentoring_cms.matching.operations import run_matching
from mentoring_cms.matching.tasks import owed_introductions, publish_and_introduce
from mentoring_cms.models import Match
from mentoring_cms.operations import anonymise_application

from . import test_matching_operations as operations_tests
from .test_application_emails import FAILING_BACKEND

# The participants and gatherings of the operations' tests.
faculties = operations_tests.faculties
people = operations_tests.people
gatherings = operations_tests.gatherings

pytestmark = pytest.mark.django_db


INTRODUCTION_SUBJECTS = ("Your partner in", "Partneren din i")


def introductions():
    """{recipient: message} of the introduction emails sent so far (the
    command also sends the test applications' own confirmations)."""
    return {
        message.to[0]: message
        for message in mail.outbox
        if message.subject.startswith(INTRODUCTION_SUBJECTS)
    }


def pending_emails(**kwargs):
    call_command("send_pending_application_emails", stdout=io.StringIO(), **kwargs)


def publish_while_the_mail_server_is_down(open_round, capture):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND), capture(execute=True):
        return publish_and_introduce(run_matching(open_round))


def test_failed_introductions_are_owed_and_sent_by_the_pending_emails_command(
    open_round, people, gatherings, django_capture_on_commit_callbacks
):
    created = publish_while_the_mail_server_is_down(
        open_round, django_capture_on_commit_callbacks
    )
    assert len(created) == 2
    assert mail.outbox == []
    assert sorted(owed_introductions()) == sorted(match.pk for match in created)
    # Still down: the command says so (exit status 1) and nothing is marked.
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        with pytest.raises(SystemExit):
            pending_emails()
    assert not Match.objects.filter(mentor_introduced_at__isnull=False).exists()
    # Back up: every side gets its introduction, in its own language.
    mail.outbox.clear()
    pending_emails()
    sent = introductions()
    for name in ("mentor_a", "mentor_b", "mentee_a", "mentee_b"):
        assert people[name].email in sent, name
    assert "Dina Adept" in sent[people["mentor_b"].email].body
    assert "your mentee" in sent[people["mentor_b"].email].body
    assert "mentoren din" in sent[people["mentee_a"].email].body
    assert owed_introductions() == []
    for match in Match.objects.all():
        assert match.mentor_introduced_at and match.mentee_introduced_at
    # Sent once only.
    count = len(mail.outbox)
    pending_emails()
    assert len(mail.outbox) == count


def test_only_the_side_that_failed_is_sent_again(
    open_round, people, gatherings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_introduce(run_matching(open_round))
    match = Match.objects.get(mentee=people["mentee_b"])
    Match.objects.filter(pk=match.pk).update(mentee_introduced_at=None)
    assert owed_introductions() == [match.pk]
    mail.outbox.clear()
    pending_emails()
    assert list(introductions()) == [people["mentee_b"].email]


def test_nothing_is_owed_to_an_anonymised_participant_or_an_ended_pair(
    open_round, people, gatherings, django_capture_on_commit_callbacks
):
    publish_while_the_mail_server_is_down(
        open_round, django_capture_on_commit_callbacks
    )
    ended = Match.objects.get(mentee=people["mentee_a"])
    ended.end()
    kept = Match.objects.get(mentee=people["mentee_b"])
    anonymise_application(people["mentee_b"])
    # The mentor of the kept pair is still owed an introduction.
    assert owed_introductions() == [kept.pk]
    mail.outbox.clear()
    pending_emails()
    assert list(introductions()) == [people["mentor_b"].email]
