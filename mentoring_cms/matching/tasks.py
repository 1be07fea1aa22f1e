"""Introduction emails of newly published pairs, sent in the background
with Wagtail's task framework (django-tasks), like the other emails.

Each participant gets one email in their correspondence language: the
partner's name, position, faculty and email address, and the next
gathering of the participant's own audience (one still to come; a pair
published after the round's last gathering is told there is none). Only the pair's id travels
through the queue; each side is sent once (``Match.mark_introduced``).
"""

import functools
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from ..models import Application, Match, ProgramPage
from .operations import publish_run

logger = logging.getLogger(__name__)


class IntroductionFailed(Exception):
    """An introduction email could not be sent (see the log)."""


def publish_and_introduce(run, *, user=None, now=None):
    """``operations.publish_run``, then, once committed, the introduction
    emails of each new pair. Raises ``operations.MatchingRefused`` as it
    does (nothing published, nothing sent)."""
    with transaction.atomic():
        created = publish_run(run, user=user, now=now)
        ids = [match.pk for match in created]
        transaction.on_commit(
            functools.partial(enqueue_introductions, ids), robust=True
        )
    return created


def enqueue_introductions(match_ids):
    """Queue the introductions of the pairs ``match_ids``; a pair whose task
    cannot be queued is logged (by id only)."""
    for match_id in match_ids:
        try:
            send_introductions.enqueue(match_id)
        except Exception:
            logger.exception("Could not queue the introductions of pair %s", match_id)


def _reply_to(programme_round):
    address = (
        ProgramPage.objects.ancestor_of(programme_round)
        .values_list("notification_email", flat=True)
        .first()
    )
    return [address] if address else None


def render_introduction(recipient, partner, now=None):
    """(subject, body) of ``recipient``'s introduction to ``partner``, in
    the recipient's correspondence language; the gathering named is the
    next one to come after ``now`` (default: the current time)."""
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        programme_round = recipient.round.localized
        gathering = programme_round.next_gathering_for(recipient.role, now)
        faculty = partner.faculty.localized.name if partner.faculty else ""
        context = {
            "recipient": recipient,
            "partner": partner,
            "partner_position": partner.get_position_display(),
            "partner_faculty": faculty,
            "round": programme_round,
            "gathering": gathering.localized if gathering else None,
            "partner_is_mentor": partner.role == Application.Role.MENTOR,
        }
        subject = render_to_string(
            "mentoring_cms/emails/introduction_subject.txt", context
        )
        body = render_to_string("mentoring_cms/emails/introduction.txt", context)
    return " ".join(subject.split()), body


@task()
def send_introductions(match_id):
    """Introduce the mentor and the mentee of one official pair to each
    other, each once. Raises ``IntroductionFailed`` when an email could not
    be sent; the other is still tried."""
    failed = None
    for role in (Application.Role.MENTEE, Application.Role.MENTOR):
        try:
            with transaction.atomic():
                _introduce(match_id, role)
        except IntroductionFailed as error:
            failed = error
    if failed is not None:
        raise failed


def owed_introductions():
    """The ids of the official pairs (not ended) with an introduction still
    owed: a side not yet introduced (its email failed or was never queued)
    whose application is not anonymised and has an address. Sent by
    ``send_pending_application_emails`` with ``send_introductions``."""
    owed = Q()
    for role in (Application.Role.MENTEE, Application.Role.MENTOR):
        owed |= Q(
            **{
                f"{role}_introduced_at__isnull": True,
                f"{role}__anonymised_at__isnull": True,
            }
        ) & ~Q(**{f"{role}__email": ""})
    return list(
        Match.objects.filter(owed, ended_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _introduce(match_id, role):
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "mentor__round", "mentor__faculty", "mentee__round", "mentee__faculty"
        )
        .filter(pk=match_id, ended_at__isnull=True)
        .first()
    )
    if match is None or getattr(match, f"{role}_introduced_at"):
        return
    recipient, partner = (
        (match.mentee, match.mentor)
        if role == Application.Role.MENTEE
        else (match.mentor, match.mentee)
    )
    if recipient.is_anonymised or not recipient.email:
        return
    subject, body = render_introduction(recipient, partner)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        reply_to=_reply_to(recipient.round),
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.error(
            "Sending the introduction for application %s failed (%s).",
            recipient.reference,
            type(error).__name__,
        )
        raise IntroductionFailed(f"introduction for {recipient.reference}") from None
    match.mark_introduced(role)
