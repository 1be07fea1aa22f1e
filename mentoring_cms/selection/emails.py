"""Emails to faculty coordinators, each in the coordinator's own admin
language (her Wagtail profile, else the site's default): a new mentee
application from her faculty, and a reminder before the nomination deadline.
(The committee's reminders are tasks, in ``selection.tasks``.)

The emails name the application by its reference and link to the admin;
no applicant's name or address goes into them or into the log.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from ..conf import get_setting
from ..models import Application, FacultyCoordinator, NominationReminder
from ..permissions import NOMINATE_PERMISSION
from . import access

logger = logging.getLogger(__name__)

DETAIL_URL_NAME = "mentoring_selection:coordinator_detail"
INDEX_URL_NAME = "mentoring_selection:coordinator_index"


def absolute_admin_url(url):
    """``url`` (an admin path) as an absolute address, on
    ``WAGTAILADMIN_BASE_URL``."""
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + url


def admin_language(user):
    """The language code ``user`` reads the admin in (her Wagtail profile's
    preferred language, else ``LANGUAGE_CODE``): her emails use it too."""
    return UserProfile.get_for_user(user).preferred_language or settings.LANGUAGE_CODE


def render_email(language, name, context):
    """(subject on one line, body) of ``emails/<name>[_subject].txt`` in
    ``language``."""
    with translation.override(language):
        subject = render_to_string(f"mentoring_cms/emails/{name}_subject.txt", context)
        body = render_to_string(f"mentoring_cms/emails/{name}.txt", context)
    return " ".join(subject.split()), body


def coordinators_of(faculty_keys):
    """Active users with the nominate permission who coordinate any faculty
    with one of ``faculty_keys`` (translation keys), and have an address."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            faculty_coordinator__faculties__translation_key__in=list(faculty_keys),
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if user.has_perm(NOMINATE_PERMISSION)]


def _send(subject, body, user):
    EmailMessage(subject=subject, body=body, to=[user.email]).send(fail_silently=False)


def notify_coordinators(application_id):
    """Tell the coordinators of a new mentee application's faculty that it
    has arrived. Returns how many were told; a failure is logged with the
    reference only and the others are still told.

    Run by the task that sends a new application's emails
    (``tasks.send_application_emails``), through the
    ``mentoring_cms_application_received`` hook that ``wagtail_hooks``
    registers it for: one task per application, as before."""
    application = (
        Application.objects.select_related("round", "faculty")
        .filter(pk=application_id, anonymised_at__isnull=True)
        .first()
    )
    if (
        application is None
        or application.role != Application.Role.MENTEE
        or application.faculty is None
    ):
        return 0
    url = absolute_admin_url(reverse(DETAIL_URL_NAME, args=[application.pk]))
    sent = 0
    for user in coordinators_of([application.faculty.translation_key]):
        language = admin_language(user)
        with translation.override(language):
            context = {
                "application": application,
                "round": application.round.localized,
                "faculty": application.faculty.localized,
                "deadline": application.round.nomination_deadline,
                "admin_url": url,
            }
        subject, body = render_email(language, "coordinator_new_application", context)
        try:
            _send(subject, body, user)
        except Exception as error:
            logger.error(
                "Telling a coordinator (user %s) of application %s failed (%s)",
                user.pk,
                application.reference,
                type(error).__name__,
            )
        else:
            sent += 1
    return sent


def send_nomination_reminders(now=None):
    """Remind each coordinator once per round, from
    ``MENTORING_CMS_NOMINATION_REMINDER_DAYS`` days before the round's
    nomination deadline until the deadline itself, of the nominations her
    faculties have left. Returns ``(sent, failed)``; a reminder that could
    not be sent is tried again next time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = datetime.timedelta(days=get_setting("NOMINATION_REMINDER_DAYS"))
    rounds = access.source_rounds().filter(
        nomination_deadline__gte=today, nomination_deadline__lte=today + days
    )
    sent = failed = 0
    for programme_round in rounds:
        reminded = set(
            NominationReminder.objects.filter(round=programme_round).values_list(
                "user_id", flat=True
            )
        )
        coordinators = FacultyCoordinator.objects.select_related("user").exclude(
            user_id__in=reminded
        )
        for coordinator in coordinators:
            user = coordinator.user
            if not user.is_active or not user.email:
                continue
            if not user.has_perm(NOMINATE_PERMISSION):
                continue
            faculties = list(access.coordinator_faculties(user))
            if not faculties:
                continue
            language = admin_language(user)
            with translation.override(language):
                context = {
                    "round": programme_round.localized,
                    "deadline": programme_round.nomination_deadline,
                    "faculties": access.faculty_nominations(programme_round, faculties),
                    "admin_url": absolute_admin_url(reverse(INDEX_URL_NAME)),
                }
                subject, body = render_email(language, "nomination_reminder", context)
            try:
                with transaction.atomic():
                    NominationReminder.objects.create(round=programme_round, user=user)
                    _send(subject, body, user)
            except IntegrityError:
                continue
            except Exception as error:
                failed += 1
                logger.error(
                    "Reminding a coordinator (user %s) of round %s failed (%s)",
                    user.pk,
                    programme_round.pk,
                    type(error).__name__,
                )
            else:
                sent += 1
    return sent, failed
