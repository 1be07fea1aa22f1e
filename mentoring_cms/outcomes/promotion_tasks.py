"""The yearly reminder to HR of the former mentees whose promotion outcome
is not recorded (issue 17): mentees of rounds that ended one to five years
ago. Queued by ``manage.py send_outcome_reminders`` (run it once a year,
e.g. from cron in January); sent in the site's default language to each
programme's notification address (else ``MENTORING_CMS_HR_EMAIL``).

The email names the mentees (HR's own working list, as in the admin) and
links to the admin page where each outcome is recorded; nothing of it goes
to the log except counts.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ..tasks import hr_email_for
from .promotion import missing_outcomes, rounds_ended_between

logger = logging.getLogger(__name__)

RECORD_URL_NAME = "mentoring_outcomes_record"


def _admin_url(path):
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + path


def reminder_groups(today=None):
    """{HR address: [(round, [applications])]} of the mentees the reminder
    lists, per programme address; rounds oldest first. Mentees with no
    address to send to are left out (and logged as a count)."""
    groups = {}
    for application in missing_outcomes(today):
        address = hr_email_for(application)
        if not address:
            continue
        rounds = groups.setdefault(address, [])
        if not rounds or rounds[-1][0].pk != application.round_id:
            rounds.append((application.round, []))
        rounds[-1][1].append(application)
    return groups


@task()
def send_outcome_reminders(today=None):
    """Email each HR address its list of former mentees without a recorded
    promotion outcome. ``today`` is an ISO date string (tests) or ``None``.
    Returns the number of emails sent; none when nobody is missing."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    first, last = rounds_ended_between(day)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for address, rounds in reminder_groups(day).items():
            context = {
                "rounds": [
                    (
                        programme_round,
                        [
                            (
                                application,
                                _admin_url(
                                    reverse(RECORD_URL_NAME, args=[application.pk])
                                ),
                            )
                            for application in applications
                        ],
                    )
                    for programme_round, applications in rounds
                ],
                "count": sum(len(applications) for _r, applications in rounds),
                "first": first,
                "last": last,
                "index_url": _admin_url(reverse("mentoring_outcomes_index")),
            }
            subject = " ".join(
                render_to_string(
                    "mentoring_cms/emails/outcome_reminder_subject.txt", context
                ).split()
            )
            body = render_to_string(
                "mentoring_cms/emails/outcome_reminder.txt", context
            )
            try:
                EmailMessage(subject=subject, body=body, to=[address]).send()
            except Exception as error:
                logger.error(
                    "Sending the promotion outcome reminder failed (%s)",
                    type(error).__name__,
                )
                continue
            sent += 1
    logger.info("Promotion outcome reminder: %s email(s) sent", sent)
    return sent
