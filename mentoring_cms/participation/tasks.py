"""Emails of the participation stage, sent in the background, each person
in her own language (``Application.language``).

Only ids travel through the queue; a task skips applications anonymised or
erased in the meantime. Addresses never reach the log.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from ..conf import get_setting
from ..models import (
    Application,
    GatheringReminder,
    OwedGatheringReminder,
    SessionPage,
)
from ..tasks import hr_email_for
from .gatherings import localized_round, localized_sessions
from .links import absolute, calendar_path, personal_path
from .operations import audiences_of, participants_of

logger = logging.getLogger(__name__)

TEMPLATES = "mentoring_cms/participation/emails"


def send(application, subject_template, body_template, context):
    """Render and send one email to ``application``'s address in her
    language. Returns True when sent; failures are logged by reference."""
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "application": application,
            "round": localized_round(application.round, language),
            **context,
        }
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    reply_to = hr_email_for(application)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[application.email],
        reply_to=[reply_to] if reply_to else None,
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.error(
            "Sending %s for application %s failed (%s)",
            body_template,
            application.reference,
            type(error).__name__,
        )
        return False
    return True


def _page_url(application):
    return absolute(personal_path(application), application.round)


@task()
def send_personal_links(email):
    """Email a fresh personal link for each application of ``email`` (a
    canonical address), in the language of the latest. Nothing is sent when
    the address has not applied; the requester is told the same either way."""
    applications = list(
        Application.objects.filter(email=email, anonymised_at__isnull=True)
        .select_related("round", "participation")
        .order_by("-submitted_at", "-pk")[:20]
    )
    if not applications:
        return 0
    latest = applications[0]
    language = latest.language or settings.LANGUAGE_CODE
    with translation.override(language):
        links = [
            {
                "round": localized_round(app.round, language).title,
                "role": app.get_role_display(),
                "reference": app.reference,
                "url": _page_url(app),
            }
            for app in applications
        ]
    sent = send(
        latest,
        f"{TEMPLATES}/personal_links_subject.txt",
        f"{TEMPLATES}/personal_links.txt",
        {"links": links},
    )
    return len(links) if sent else 0


# A claimed reminder whose worker has not answered for this long (it died
# mid-send) may be claimed again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=30)


@task()
def send_gathering_reminder(session_id):
    """Remind the participants of a gathering's audience of it, once each.

    The first run records that the gathering's reminder went out and who is
    owed it (``OwedGatheringReminder``); every run claims the owed reminders
    no other worker holds and sends them. A sent one is done with; one whose
    email failed stays owed, one attempt more, and the next run of
    ``send_participation_reminders`` tries again, until the gathering starts
    or ``MENTORING_CMS_REMINDER_MAX_ATTEMPTS`` is reached. Returns how many
    were sent."""
    now = timezone.now()
    with transaction.atomic():
        session = (
            SessionPage.objects.select_for_update(of=("self",))
            .filter(pk=session_id, live=True, start__gt=now)
            .first()
        )
        if session is None:
            return 0
        programme_round = session.get_parent().specific
        if not GatheringReminder.objects.filter(session=session).exists():
            GatheringReminder.objects.create(session=session)
            OwedGatheringReminder.objects.bulk_create(
                [
                    OwedGatheringReminder(session=session, application=application)
                    for application in participants_of(session, programme_round)
                ],
                ignore_conflicts=True,
            )
        claimed = list(
            OwedGatheringReminder.objects.filter(
                session=session, attempts__lt=get_setting("REMINDER_MAX_ATTEMPTS")
            )
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
            .values_list("pk", flat=True)
        )
        OwedGatheringReminder.objects.filter(pk__in=claimed).update(claimed_at=now)
    sent = 0
    for owed in OwedGatheringReminder.objects.filter(pk__in=claimed).select_related(
        "application__round"
    ):
        application = owed.application
        if (
            application.status != Application.Status.ACCEPTED
            or application.anonymised_at is not None
        ):
            owed.delete()
            continue
        language = application.language or settings.LANGUAGE_CODE
        with translation.override(language):
            pairs = localized_sessions(
                programme_round, audiences_of(application.role), language
            )
            shown = next((s for src, s in pairs if src.pk == session.pk), session)
        if send(
            application,
            f"{TEMPLATES}/gathering_reminder_subject.txt",
            f"{TEMPLATES}/gathering_reminder.txt",
            {
                "session": shown,
                "page_url": _page_url(application),
                "calendar_url": absolute(calendar_path(application), application.round),
            },
        ):
            owed.delete()
            sent += 1
        else:
            OwedGatheringReminder.objects.filter(pk=owed.pk).update(
                attempts=F("attempts") + 1, claimed_at=None, last_failed_at=now
            )
    return sent


@task()
def send_meeting_reminder(application_id):
    """Remind one participant that no meeting has been logged for a while."""
    application = (
        Application.objects.select_related("round", "participation")
        .filter(
            pk=application_id,
            anonymised_at__isnull=True,
            status=Application.Status.ACCEPTED,
        )
        .first()
    )
    if application is None:
        return False
    sent = send(
        application,
        f"{TEMPLATES}/meeting_reminder_subject.txt",
        f"{TEMPLATES}/meeting_reminder.txt",
        {"page_url": _page_url(application)},
    )
    if sent:
        application.participation.mark_meeting_reminder_sent(timezone.now())
    return sent


@task()
def send_group_email(application_ids, messages):
    """Send HR's message to each of ``application_ids``: ``messages`` maps a
    language code to ``{"subject": …, "body": …}``; each person gets hers
    (or the default language's). Returns how many were sent."""
    applications = Application.objects.filter(
        pk__in=application_ids, anonymised_at__isnull=True
    ).select_related("round", "participation")
    sent = 0
    for application in applications:
        message = messages.get(application.language) or messages[settings.LANGUAGE_CODE]
        sent += send(
            application,
            f"{TEMPLATES}/group_subject.txt",
            f"{TEMPLATES}/group.txt",
            {
                "subject": message["subject"],
                "body": message["body"],
                "page_url": _page_url(application),
            },
        )
    return sent
