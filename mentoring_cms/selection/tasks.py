"""Reminders to the selection committee, sent in the background: each
reviewer who still has applications to score in a round whose decision
date (``decisions_by``) is within ``MENTORING_CMS_REVIEW_REMINDER_DAYS``
days gets one email per round, in her admin language.

``manage.py send_review_reminders`` (run it daily) queues one task per
reviewer and round. A reminder is recorded (``ReviewReminder``) in the same
transaction as it is sent: when the mail server refuses it, nothing is
recorded, the task fails and the next run sends it again. The emails name
no applicant; the log names users and rounds by id only.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task

from ..conf import get_setting
from ..models import ReviewReminder
from ..permissions import user_can_score
from . import access
from .emails import absolute_admin_url, admin_language, render_email

logger = logging.getLogger(__name__)

REVIEW_INDEX_URL_NAME = "mentoring_selection:review_index"


class ReviewReminderFailed(Exception):
    """A reviewer's reminder could not be sent (see the log); it is tried
    again on the next run."""


def rounds_due(now=None):
    """Rounds (default language) whose decision date is today or within the
    next ``REVIEW_REMINDER_DAYS`` days."""
    today = timezone.localdate(now or timezone.now())
    days = datetime.timedelta(days=get_setting("REVIEW_REMINDER_DAYS"))
    return access.source_rounds().filter(
        decisions_by__gte=today, decisions_by__lte=today + days
    )


def reminders_due(now=None):
    """[(round pk, user pk)]: committee members not yet reminded of a due
    round who have at least one application of it still to score."""
    due = []
    members = [user for user in access.committee_members() if user_can_score(user)]
    for programme_round in rounds_due(now):
        reminded = set(
            ReviewReminder.objects.filter(round=programme_round).values_list(
                "user_id", flat=True
            )
        )
        for user in members:
            if user.pk in reminded:
                continue
            if access.pending_reviews(user, programme_round).exists():
                due.append((programme_round.pk, user.pk))
    return due


def enqueue_review_reminders(*, dry_run=False, now=None):
    """Queue the due reminders (none with ``dry_run``). Returns
    ``(queued, failed)``; ``failed`` counts tasks that a backend running
    them at once (the immediate one) reports as failed."""
    due = reminders_due(now)
    failed = 0
    if not dry_run:
        for round_id, user_id in due:
            result = send_review_reminder.enqueue(round_id, user_id)
            if result.status == TaskResultStatus.FAILED:
                failed += 1
    return len(due), failed


@task()
def send_review_reminder(round_id, user_id):
    """Remind one reviewer, once, of the applications of one round she has
    still to score. Returns how many she has (0: nothing was sent, because
    she was reminded already, has none left, or is no longer a reviewer).
    Raises ``ReviewReminderFailed`` when the email cannot be sent; the
    reminder is then not recorded."""
    with transaction.atomic():
        user = (
            get_user_model()
            .objects.select_for_update()
            .filter(pk=user_id, is_active=True)
            .exclude(email="")
            .first()
        )
        programme_round = rounds_due().filter(pk=round_id).first()
        if user is None or programme_round is None or not user_can_score(user):
            return 0
        if ReviewReminder.objects.filter(round=programme_round, user=user).exists():
            return 0
        pending = access.pending_reviews(user, programme_round).count()
        if not pending:
            return 0
        ReviewReminder.objects.create(round=programme_round, user=user)
        language = admin_language(user)
        with translation.override(language):
            context = {
                "round": programme_round.localized,
                "decisions_by": programme_round.decisions_by,
                "count": pending,
                "admin_url": absolute_admin_url(reverse(REVIEW_INDEX_URL_NAME)),
            }
        subject, body = render_email(language, "review_reminder", context)
        try:
            EmailMessage(subject=subject, body=body, to=[user.email]).send(
                fail_silently=False
            )
        except Exception as error:
            logger.error(
                "Reminding a reviewer (user %s) of round %s failed (%s); "
                "it will be tried again",
                user.pk,
                programme_round.pk,
                type(error).__name__,
            )
            # Raised without the original so no address ends up in the
            # task's result; rolls the reminder's record back.
            raise ReviewReminderFailed(
                f"review reminder of round {programme_round.pk} for user {user.pk}"
            ) from None
    return pending
