"""Background work with Wagtail's task framework (django-tasks): the emails
sent when an application arrives.

The application is always stored before these run. A task that cannot send
logs the failure with the application's reference only, and raises so the
task backend records it as failed; ``manage.py send_pending_application_emails``
sends whatever is still unsent.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .conf import get_setting
from .forms import describe_application, faculty_choices
from .models import Application, ProgramPage

# ---------------------------------------------------------------------------
# HR review: telling applicants about a decision.
# ---------------------------------------------------------------------------


logger = logging.getLogger(__name__)


class ApplicationEmailFailed(Exception):
    """An email about an application could not be sent (see the log)."""


def enqueue_application_emails(application_id):
    """Queue the confirmation and the HR notification of one application."""
    for email_task in (send_application_confirmation, send_hr_notification):
        try:
            email_task.enqueue(application_id)
        except Exception:
            logger.exception(
                "Could not queue %s for application id %s; "
                "send_pending_application_emails will retry",
                email_task.name,
                application_id,
            )


def hr_email_for(application):
    address = (
        ProgramPage.objects.ancestor_of(application.round)
        .values_list("notification_email", flat=True)
        .first()
    )
    return address or get_setting("HR_EMAIL")


def _send(application, message, what):
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.error(
            "Sending the %s for application %s failed (%s); it will be retried.",
            what,
            application.reference,
            type(error).__name__,
        )
        # Raised without the original so no address ends up in the task log.
        raise ApplicationEmailFailed(
            f"{what} for application {application.reference}"
        ) from None


def _load(application_id):
    return (
        Application.objects.select_related("round")
        .filter(pk=application_id, anonymised_at__isnull=True)
        .first()
    )


@task()
def send_application_confirmation(application_id):
    """Tell the applicant, in their language, what was received."""
    application = _load(application_id)
    if application is None or application.confirmation_sent_at:
        return
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        programme_round = application.round.localized
        context = {
            "application": application,
            "round": programme_round,
            "role": application.get_role_display(),
            "sections": describe_application(
                application, programme_round, faculty_choices(language)
            ),
        }
        subject = render_to_string(
            "mentoring_cms/emails/application_confirmation_subject.txt", context
        )
        body = render_to_string(
            "mentoring_cms/emails/application_confirmation.txt", context
        )
    hr_address = hr_email_for(application)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[application.email],
        reply_to=[hr_address] if hr_address else None,
    )
    _send(application, message, "confirmation")
    application.mark_confirmation_sent()


@task()
def send_hr_notification(application_id):
    """Tell HR that an application has arrived."""
    application = _load(application_id)
    if application is None or application.notification_sent_at:
        return
    address = hr_email_for(application)
    if not address:
        logger.warning(
            "No HR address for application %s: set the programme's HR "
            "notification address or MENTORING_CMS_HR_EMAIL.",
            application.reference,
        )
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "round": application.round,
            "role": application.get_role_display(),
            "admin_url": getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
            + "/admin/",
        }
        subject = render_to_string(
            "mentoring_cms/emails/hr_notification_subject.txt", context
        )
        body = render_to_string("mentoring_cms/emails/hr_notification.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[address])
    _send(application, message, "HR notification")
    application.mark_notification_sent()


logger = logging.getLogger(__name__)

DECISION_TEMPLATES = {
    "accepted": "mentoring_cms/emails/decision_accepted.txt",
    "waitlisted": "mentoring_cms/emails/decision_waitlisted.txt",
    "rejected": "mentoring_cms/emails/decision_rejected.txt",
}


@task()
def send_decision_email(application_pk, status):
    """Email the applicant HR's decision, in the applicant's language.

    Only the primary key travels through the queue; an application erased or
    anonymised in the meantime gets no email.
    """
    from .models import Application

    template_name = DECISION_TEMPLATES.get(status)
    application = (
        Application.objects.select_related("round")
        .filter(pk=application_pk, anonymised_at__isnull=True)
        .first()
    )
    if template_name is None or application is None or not application.email:
        return False
    with translation.override(application.language):
        context = {
            "application": application,
            "round_title": application.round.localized.title,
        }
        subject = render_to_string(
            "mentoring_cms/emails/decision_subject.txt", context
        ).strip()
        body = render_to_string(template_name, context)
    send_mail(subject, body, None, [application.email])
    # The log names the reference, never the address.
    logger.info("Decision email sent for application %s", application.reference)
    return True
