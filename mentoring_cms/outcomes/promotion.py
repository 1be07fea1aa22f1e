"""Recording a former mentee's promotion outcome, by HR or by herself, and
finding the former mentees whose outcome HR still has to learn.

A former mentee is an accepted mentee application of a round that has
ended (``ProgramRoundPage.period_end`` before today), not anonymised: after
anonymisation nobody can tell who she was. The rules on the outcome itself
live on ``models.outcomes.PromotionOutcome.clean`` and its constraints;
``record_outcome`` is the one way views and tasks store one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import Application, PromotionOutcome

LOG_OUTCOME_RECORDED = "mentoring_cms.application.promotion_outcome"

# The reminder covers rounds that ended one to five years ago (issue 17).
REMINDER_YEARS = (1, 5)


class OutcomeRefused(ValidationError):
    """The outcome cannot be stored; nothing was saved."""


def former_mentees(today=None):
    """Accepted mentee applications, not anonymised, of rounds that ended
    before ``today`` (default: today in the site's time zone)."""
    today = today or timezone.localdate()
    return Application.objects.filter(
        role=Application.Role.MENTEE,
        status=Application.Status.ACCEPTED,
        anonymised_at__isnull=True,
        round__period_end__lt=today,
    )


def is_former_mentee(application, today=None):
    """True when ``application`` may have a promotion outcome recorded."""
    today = today or timezone.localdate()
    return (
        application.role == Application.Role.MENTEE
        and application.status == Application.Status.ACCEPTED
        and not application.is_anonymised
        and application.round.period_end < today
    )


def outcome_of(application):
    """Her ``PromotionOutcome``, or ``None`` when none is recorded."""
    try:
        return application.promotion_outcome
    except PromotionOutcome.DoesNotExist:
        return None


def record_outcome(
    application,
    *,
    result,
    position="",
    applied_year=None,
    result_year=None,
    note=None,
    user=None,
    by_mentee=False,
):
    """Store (or replace) the promotion outcome of ``application``.

    ``result`` is a ``PromotionOutcome.Result`` value, ``position`` a
    ``PromotionOutcome.Position`` value (or ""), years are ``int`` or
    ``None``. ``note`` (HR only) is kept as it was when ``None``. Raises
    ``OutcomeRefused`` (messages in the active language, per field where
    one is at fault) when she is not a former mentee or a rule of
    ``PromotionOutcome.clean`` is broken; nothing is stored then. Returns
    the saved outcome. The audit log records that it changed, not what.
    """
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round")
            .filter(pk=application.pk)
            .first()
        )
        if locked is None or not is_former_mentee(locked):
            raise OutcomeRefused(
                _(
                    "A promotion outcome can be recorded only for an accepted "
                    "mentee of a round that has ended."
                ),
                code="not_former_mentee",
            )
        outcome = outcome_of(locked) or PromotionOutcome(application=locked)
        outcome.round_year = locked.round.period_start.year
        outcome.result = result
        outcome.position = position or ""
        outcome.applied_year = applied_year
        outcome.result_year = result_year
        if note is not None:
            outcome.note = note
        outcome.source = (
            PromotionOutcome.Source.MENTEE if by_mentee else PromotionOutcome.Source.HR
        )
        outcome.recorded_by = None if by_mentee else user
        outcome.recorded_at = timezone.now()
        try:
            outcome.full_clean(exclude=["application"])
        except ValidationError as error:
            raise OutcomeRefused(error.message_dict) from None
        outcome.save()
        log(
            instance=locked,
            action=LOG_OUTCOME_RECORDED,
            user=None if by_mentee else user,
            data={"by_mentee": by_mentee},
        )
    application.promotion_outcome = outcome
    return outcome


def rounds_ended_between(today, years=REMINDER_YEARS):
    """(first day, last day) of the round ends the yearly reminder covers:
    rounds that ended from ``years[1]`` years to ``years[0]`` year before
    ``today``."""
    nearest, farthest = years
    last = _years_before(today, nearest)
    first = _years_before(today, farthest)
    return first, last


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def missing_outcomes(today=None):
    """Former mentees of rounds that ended one to five years before
    ``today`` without a recorded outcome, oldest round first, with their
    round and faculty (one query)."""
    today = today or timezone.localdate()
    first, last = rounds_ended_between(today)
    return (
        former_mentees(today)
        .filter(
            round__period_end__gte=first,
            round__period_end__lte=last,
            promotion_outcome__isnull=True,
        )
        .select_related("round", "faculty")
        .order_by("round__period_end", "round_id", "full_name", "pk")
    )
