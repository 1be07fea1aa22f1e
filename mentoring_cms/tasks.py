"""Background work with Wagtail's task framework (django-tasks): the emails
about applications (large exports are written by
``mentoring_cms.admin.export_tasks``).

The application is always stored before an email task runs. A task that
cannot send logs the failure with the application's reference only, and
raises so the task backend records it as failed;
``manage.py send_pending_application_emails`` sends whatever confirmation or
HR notification is still unsent.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task
from wagtail import hooks

from .conf import get_setting
from .models import Application, Faculty, ProgramPage
from .models.participation import participation_for
from .models.topics import application_topics
from .questions.describe import describe_application
from .signing import absolute, personal_path
from .url_names import url_name

logger = logging.getLogger(__name__)

# Functions registered for this Wagtail hook are called with the id of each
# new application, in the task that sends its emails.
APPLICATION_RECEIVED_HOOK = "mentoring_cms_application_received"


class ApplicationEmailFailed(Exception):
    """An email about an application could not be sent (see the log)."""


def queued_with_the_application():
    """Whether the application emails' task is stored in the database that
    holds applications (django-tasks-db's ``DatabaseBackend``, as in
    production): then ``operations.submit_application`` queues it in the
    application's own transaction, so the two are committed together (one
    commit, and never an application without its email task); a failure to
    write the task row is then a failure of that database, and nothing is
    stored. Other backends (the immediate one of the demo and the tests, or
    any other a site chooses, with or without ``django_tasks_db``
    installed) are given the task once the application is committed."""
    from django.db import router

    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:
        return False
    if not isinstance(send_application_emails.get_backend(), DatabaseBackend):
        return False
    # Only now: the model exists only where django_tasks_db is installed,
    # which its backend requires.
    from django_tasks_db.models import DBTaskResult

    return router.db_for_write(DBTaskResult) == router.db_for_write(Application)


def enqueue_application_emails(application_id):
    """Queue the confirmation and the HR notification of one application, as
    one task (one row for the database backend, written while the applicant
    waits for the confirmation page)."""
    try:
        send_application_emails.enqueue(application_id)
    except Exception:
        logger.exception(
            "Could not queue the emails for application id %s; "
            "send_pending_application_emails will retry",
            application_id,
        )


def hr_email_for(application):
    address = (
        ProgramPage.objects.ancestor_of(application.round)
        .values_list("notification_email", flat=True)
        .first()
    )
    return address or get_setting("HR_EMAIL")


def application_admin_url(application):
    """The absolute address of the application's own page in the admin."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse(url_name("edit"), args=[application.pk])


def _load(application_id, lock=False):
    """The application, unless it has been erased or anonymised since.

    With ``lock``, the row stays locked until the caller's transaction ends:
    the worker and ``send_pending_application_emails`` may reach the same
    application at once, and only one of them may send.
    """
    queryset = Application.objects.select_related("round")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.filter(pk=application_id, anonymised_at__isnull=True).first()


def _render(language, subject_template, body_template, context):
    """(subject on one line, body) rendered in ``language``."""
    with translation.override(language):
        subject = render_to_string(subject_template, context)
        body = render_to_string(body_template, context)
    return " ".join(subject.split()), body


def _send(application, what, subject, body, to, reply_to=None):
    message = EmailMessage(
        subject=subject,
        body=body,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
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


# ---------------------------------------------------------------------------
# A new application: confirmation to the applicant, notification to HR.
# ---------------------------------------------------------------------------


@task()
def send_application_confirmation(application_id):
    """Tell the applicant, in their language, what was received."""
    with transaction.atomic():
        application = _load(application_id, lock=True)
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
                    application,
                    Faculty.objects.choices(language),
                    application_topics(application),
                ),
                "personal_url": absolute(
                    personal_path(participation_for(application).token()),
                    application.round,
                ),
            }
            subject, body = _render(
                language,
                "mentoring_cms/emails/application_confirmation_subject.txt",
                "mentoring_cms/emails/application_confirmation.txt",
                context,
            )
        _send(
            application,
            "confirmation",
            subject,
            body,
            to=[application.email],
            reply_to=hr_email_for(application),
        )
        application.mark_confirmation_sent()


@task()
def send_hr_notification(application_id):
    """Tell HR that an application has arrived."""
    with transaction.atomic():
        application = _load(application_id, lock=True)
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
        language = settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "application": application,
                "round": application.round,
                "role": application.get_role_display(),
                "admin_url": application_admin_url(application),
            }
        subject, body = _render(
            language,
            "mentoring_cms/emails/hr_notification_subject.txt",
            "mentoring_cms/emails/hr_notification.txt",
            context,
        )
        _send(application, "HR notification", subject, body, to=[address])
        application.mark_notification_sent()


@task()
def send_application_emails(application_id):
    """The confirmation, then the HR notification of a new application; each
    is sent once (see the two tasks above) and tried even when the other
    fails; then the functions registered for the
    ``mentoring_cms_application_received`` hook get its id. Raises
    ``ApplicationEmailFailed`` when either could not be sent;
    ``manage.py send_pending_application_emails`` sends what is still unsent."""
    failed = None
    for email_task in (send_application_confirmation, send_hr_notification):
        try:
            email_task.call(application_id)
        except ApplicationEmailFailed as error:
            failed = error
    # Whoever else hears of a new application (the faculty coordinators of
    # the selection stage, registered in wagtail_hooks).
    for notify in hooks.get_hooks(APPLICATION_RECEIVED_HOOK):
        notify(application_id)
    if failed is not None:
        raise failed


# ---------------------------------------------------------------------------
# HR review: telling applicants about a decision.
# ---------------------------------------------------------------------------


DECISION_TEMPLATES = {
    "accepted": "mentoring_cms/emails/decision_accepted.txt",
    "waitlisted": "mentoring_cms/emails/decision_waitlisted.txt",
    "rejected": "mentoring_cms/emails/decision_rejected.txt",
}


def enqueue_decision_email(application_pk, reference, status):
    """Queue the email about a decision; if the queue fails, the application
    stays marked as owed an email and ``send_pending_application_emails``
    sends it."""
    try:
        send_decision_email.enqueue(application_pk, str(status))
    except Exception:
        logger.exception(
            "Could not queue the decision email for application %s; "
            "send_pending_application_emails will retry",
            reference,
        )


@task()
def send_decision_email(application_pk, status):
    """Email the applicant HR's decision, in the applicant's language, once.

    Only the primary key travels through the queue; an application erased or
    anonymised in the meantime, or whose email has been sent already, gets no
    email.
    """
    with transaction.atomic():
        return _send_decision_email(application_pk, status)


def _send_decision_email(application_pk, status):
    template_name = DECISION_TEMPLATES.get(status)
    application = _load(application_pk, lock=True)
    if (
        template_name is None
        or application is None
        or not application.email
        or application.decision_email_status != Application.DecisionEmail.OWED
    ):
        return False
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "application": application,
            "round_title": application.round.localized.title,
        }
    subject, body = _render(
        language, "mentoring_cms/emails/decision_subject.txt", template_name, context
    )
    _send(
        application,
        "decision email",
        subject,
        body,
        to=[application.email],
        reply_to=hr_email_for(application),
    )
    application.mark_decision_email_sent()
    # The log names the reference, never the address.
    logger.info("Decision email sent for application %s", application.reference)
    return True
