"""Background work, run by Wagtail's task framework (django-tasks)."""

# ---------------------------------------------------------------------------
# HR review: telling applicants about a decision.
# ---------------------------------------------------------------------------

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

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
