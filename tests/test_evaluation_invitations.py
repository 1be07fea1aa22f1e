"""The email inviting participants to evaluate their round after its last
gathering: once each, in her language, retried when sending failed."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command

from mentoring_cms.models import Application, EvaluationInvitation

from .evaluation_helpers import answer, ask_evaluation
from .participation_helpers import (
    clear_rate_limits,  # noqa: F401
    gathering,
    make_running_round,
    participant,
)


@pytest.fixture
def running(programme):
    return make_running_round(programme)


def test_invitations_go_after_the_last_gathering_once_in_each_language(running):
    ask_evaluation(running)
    gathering(running, -3, title="Avslutning")
    english = participant(running, language="en")
    norwegian = participant(running, role=Application.Role.MENTOR, language="nb")
    call_command("send_evaluation_invitations")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, norwegian.email}
    assert by_address[english.email].subject.startswith("How was")
    assert by_address[norwegian.email].subject.startswith("Hvordan var")
    assert "/evaluation/" in by_address[english.email].body
    assert "anonymously" in by_address[english.email].body
    assert EvaluationInvitation.objects.count() == 2
    call_command("send_evaluation_invitations")
    assert len(mail.outbox) == 2


def test_no_invitation_while_a_gathering_is_still_ahead(running):
    ask_evaluation(running)
    gathering(running, -3)
    gathering(running, 4, title="Siste samling")
    participant(running)
    call_command("send_evaluation_invitations")
    assert mail.outbox == []


def test_no_invitation_outside_the_evaluation_window(running):
    ask_evaluation(running, opens_in=2, closes_in=10)
    gathering(running, -3)
    participant(running)
    call_command("send_evaluation_invitations")
    assert mail.outbox == []


def test_withdrawn_people_and_those_who_answered_are_not_invited(running):
    ask_evaluation(running)
    gathering(running, -3)
    participant(running, status=Application.Status.WITHDRAWN)
    answered = participant(running)
    answer(answered)
    invited = participant(running, role=Application.Role.MENTOR)
    call_command("send_evaluation_invitations")
    assert [message.to for message in mail.outbox] == [[invited.email]]


def test_a_failed_invitation_is_sent_on_the_next_run(running, monkeypatch):
    ask_evaluation(running)
    gathering(running, -3)
    person = participant(running)
    original = EmailMessage.send

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    call_command("send_evaluation_invitations")
    assert mail.outbox == []
    assert not EvaluationInvitation.objects.exists()
    monkeypatch.setattr(EmailMessage, "send", original)
    call_command("send_evaluation_invitations")
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert EvaluationInvitation.objects.filter(application=person).exists()
