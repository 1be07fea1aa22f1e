"""Which reminders are due, for ``manage.py send_participation_reminders``
(run it daily, e.g. from cron):

* a gathering starts within ``MENTORING_CMS_GATHERING_REMINDER_DAYS`` (7)
  days and its audience has not been reminded yet, or someone of its
  audience is still owed the reminder because her email failed (tried again
  on every run until the gathering starts, at most
  ``MENTORING_CMS_REMINDER_MAX_ATTEMPTS`` times);
* a participant of a running round has logged no meeting for
  ``MENTORING_CMS_MEETING_REMINDER_WEEKS`` (6) weeks (counting from the
  round's start when she has logged none) and has not been reminded in that
  time.
"""

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from ..conf import get_setting
from ..models import Application, SessionPage
from .tasks import send_gathering_reminder, send_meeting_reminder


def gatherings_due(now=None):
    """Live gatherings (default language) starting within the reminder
    window that have had no reminder."""
    now = now or timezone.now()
    days = get_setting("GATHERING_REMINDER_DAYS")
    return (
        SessionPage.objects.live()
        .filter(
            locale__language_code=settings.LANGUAGE_CODE,
            start__gt=now,
            start__lte=now + datetime.timedelta(days=days),
            reminder__isnull=True,
        )
        .order_by("start", "pk")
    )


def gatherings_owed(now=None):
    """Live gatherings, not started yet, whose reminder someone is still
    owed (her email failed, or the worker sending it stopped) and may be
    tried again."""
    now = now or timezone.now()
    return (
        SessionPage.objects.live()
        .filter(
            start__gt=now,
            owed_reminders__attempts__lt=get_setting("REMINDER_MAX_ATTEMPTS"),
        )
        .distinct()
        .order_by("start", "pk")
    )


def participants_due(now=None):
    """Accepted participants of running rounds with no meeting logged (and
    no reminder sent) in the last ``MEETING_REMINDER_WEEKS`` weeks."""
    now = now or timezone.now()
    weeks = datetime.timedelta(weeks=get_setting("MEETING_REMINDER_WEEKS"))
    today = timezone.localdate(now)
    quiet_since = today - weeks
    candidates = (
        Application.objects.filter(
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
            round__period_start__lte=quiet_since,
            round__period_end__gte=today,
        )
        .filter(
            Q(participation__isnull=True)
            | Q(participation__meeting_reminder_sent_at__isnull=True)
            | Q(participation__meeting_reminder_sent_at__lte=now - weeks)
        )
        .annotate(last_meeting=Max("meetings__date"))
        .filter(Q(last_meeting__isnull=True) | Q(last_meeting__lte=quiet_since))
        .order_by("pk")
    )
    return candidates


def enqueue_reminders(*, dry_run=False, now=None):
    """Queue the due reminders; returns (gatherings, participants) counted."""
    sessions = list(gatherings_due(now).values_list("pk", flat=True))
    sessions += [
        pk
        for pk in gatherings_owed(now).values_list("pk", flat=True)
        if pk not in sessions
    ]
    people = list(participants_due(now).values_list("pk", flat=True))
    if not dry_run:
        for pk in sessions:
            send_gathering_reminder.enqueue(pk)
        for pk in people:
            send_meeting_reminder.enqueue(pk)
    return len(sessions), len(people)
