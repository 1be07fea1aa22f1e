"""The email inviting participants to evaluate their round, sent in the
background after the round's last gathering, each in her own language.

``invitations_due`` lists who is due; ``send_evaluation_invitation`` sends
one email and records the ``EvaluationInvitation`` only when it went out,
so the next daily run (``manage.py send_evaluation_invitations``) tries a
failed one again. Only ids travel through the queue.
"""

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from ..models import (
    Application,
    EvaluationInvitation,
    EvaluationReceipt,
    RoundEvaluation,
    SessionPage,
)
from ..participation.links import absolute, personal_path
from ..participation.tasks import TEMPLATES, send


def rounds_due(now=None):
    """The ``RoundEvaluation`` rows open today whose round's last live
    gathering has ended by ``now`` (a round without gatherings is due from
    the day after it ends)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = []
    for evaluation in RoundEvaluation.objects.filter(
        opens_on__lte=today, closes_on__gte=today
    ).select_related("round"):
        last_end = (
            SessionPage.objects.child_of(evaluation.round)
            .live()
            .aggregate(last=Max("end"))["last"]
        )
        if last_end is not None and last_end <= now:
            due.append(evaluation)
        elif last_end is None and evaluation.round.period_end < today:
            due.append(evaluation)
    return due


def invitations_due(now=None):
    """Accepted participants (not anonymised) of the rounds due
    (``rounds_due``) who have neither answered nor been invited."""
    rounds = [evaluation.round_id for evaluation in rounds_due(now)]
    return (
        Application.objects.filter(
            round_id__in=rounds,
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
        )
        .exclude(pk__in=EvaluationReceipt.objects.values("application_id"))
        .exclude(pk__in=EvaluationInvitation.objects.values("application_id"))
        .order_by("pk")
    )


def enqueue_invitations(*, dry_run=False, now=None):
    """Queue an invitation for everyone due; returns how many."""
    ids = list(invitations_due(now).values_list("pk", flat=True))
    if not dry_run:
        for pk in ids:
            send_evaluation_invitation.enqueue(pk)
    return len(ids)


@task()
def send_evaluation_invitation(application_id):
    """Invite one participant to evaluate her round, once. Returns True when
    sent; False when she is no longer due or the email failed (retried on
    the next run)."""
    application = (
        Application.objects.select_related("round", "participation")
        .filter(
            pk=application_id,
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
            evaluation_receipt__isnull=True,
            evaluation_invitation__isnull=True,
        )
        .first()
    )
    if application is None:
        return False
    evaluation = RoundEvaluation.objects.filter(round_id=application.round_id).first()
    if evaluation is None or evaluation.state_on() != RoundEvaluation.OPEN:
        return False
    url = absolute(personal_path(application, "evaluation"), application.round)
    sent = send(
        application,
        f"{TEMPLATES}/evaluation_invitation_subject.txt",
        f"{TEMPLATES}/evaluation_invitation.txt",
        {
            "evaluation_url": url,
            "closes_on": evaluation.closes_on,
            "language": application.language or settings.LANGUAGE_CODE,
        },
    )
    if sent:
        EvaluationInvitation.objects.get_or_create(application=application)
    return sent
