"""Nominations, reviews and conflicts of interest, each in one transaction.

Every refusal raises ``SelectionRefused`` (a ``ValidationError`` with a
message in the active language) or, for quotas and transitions, the review
operations' ``TransitionNotAllowed``/``QuotaExceeded``; in every case
nothing has changed. The faculty quota is the one of
``mentoring_cms.operations.check_quota``, checked under the same round lock
(``lock_round``) as HR's decisions: a nomination is a decision to nominate.

Every nomination, withdrawal, review and conflict is written to Wagtail's
audit log on the application, with no personal data (no names, no
justification, no scores, no reason).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import operations as review_operations
from ..models import (
    Application,
    ConflictOfInterest,
    Nomination,
    Review,
    Score,
    SelectionCriterion,
)
from ..permissions import user_can_score
from . import access

Status = Application.Status

LOG_NOMINATED = "mentoring_cms.selection.nominated"
LOG_NOMINATION_WITHDRAWN = "mentoring_cms.selection.nomination_withdrawn"
LOG_REVIEW_SUBMITTED = "mentoring_cms.selection.review_submitted"
LOG_CONFLICT_DECLARED = "mentoring_cms.selection.conflict_declared"

# The most characters of a justification, a comment or a reason.
MAX_TEXT = 2000


class SelectionRefused(ValidationError):
    """A nomination, review or declaration that breaks a rule of the
    selection; nothing was stored. ``code`` names the rule."""


def _refuse(message, code):
    raise SelectionRefused(message, code=code)


def _clean_text(text, required_message, code):
    text = (text or "").strip()
    if not text:
        _refuse(required_message, code)
    if len(text) > MAX_TEXT:
        _refuse(
            _("Keep it under %(count)s characters.") % {"count": MAX_TEXT},
            "too_long",
        )
    return text


def _lock(application):
    """Lock the application's round (as HR's decisions do), then the
    application itself; return the locked, freshly read application."""
    review_operations.lock_round(application.round)
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "faculty")
        .get(pk=application.pk)
    )


def _check_coordinator(user, application):
    keys = access.coordinator_faculty_keys(user)
    if (
        application.role != Application.Role.MENTEE
        or application.faculty_id is None
        or application.faculty.translation_key not in keys
        or application.is_anonymised
    ):
        _refuse(
            _("Only a coordinator of the applicant's faculty can do this."),
            "not_coordinator",
        )


def _check_deadline(application, now):
    programme_round = application.round
    if not programme_round.nominations_open_at(now):
        if programme_round.nomination_deadline:
            message = _(
                "The nomination deadline of this round was %(deadline)s; "
                "nominations are locked."
            ) % {
                "deadline": formats.date_format(
                    programme_round.nomination_deadline, "DATE_FORMAT"
                )
            }
        else:
            message = _("The round has started; nominations are locked.")
        _refuse(message, "deadline_passed")


def active_nomination(application):
    """The application's nomination that has not been withdrawn, or None."""
    return application.nominations.filter(withdrawn_at__isnull=True).first()


def nominate(application, *, user, justification, now=None):
    """Nominate a mentee ``application`` on behalf of her faculty.

    ``user`` must coordinate the applicant's faculty; before the round's
    nomination deadline; with a justification; within the faculty's quota
    (``operations.check_quota``). A submitted application is moved to
    "under review" first. Returns the ``Nomination``; raises
    ``SelectionRefused`` or ``QuotaExceeded``/``TransitionNotAllowed``.
    """
    now = now or timezone.now()
    justification = _clean_text(
        justification,
        _("Write a short justification for the nomination."),
        "justification_required",
    )
    with transaction.atomic():
        locked = _lock(application)
        _check_coordinator(user, locked)
        _check_deadline(locked, now)
        if locked.status == Status.NOMINATED or active_nomination(locked):
            _refuse(
                _("Application %(reference)s is nominated already.")
                % {"reference": locked},
                "already_nominated",
            )
        if locked.status == Status.SUBMITTED:
            review_operations.decide_application(locked, Status.UNDER_REVIEW, user=user)
        review_operations.decide_application(locked, Status.NOMINATED, user=user)
        nomination = Nomination.objects.create(
            application=locked,
            nominated_by=user,
            justification=justification,
            created_at=now,
        )
        log(instance=locked, action=LOG_NOMINATED, user=user)
    application.status = locked.status
    return nomination


def withdraw_nomination(application, *, user, now=None):
    """Withdraw the faculty's nomination of ``application`` before the
    nomination deadline; it goes back to "under review" and the faculty's
    slot is free again. Only while HR has not decided on it (status
    "nominated"). Raises ``SelectionRefused``."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(application)
        _check_coordinator(user, locked)
        _check_deadline(locked, now)
        nomination = active_nomination(locked)
        if nomination is None or locked.status != Status.NOMINATED:
            _refuse(
                _("Application %(reference)s has no nomination that can be withdrawn.")
                % {"reference": locked},
                "not_nominated",
            )
        nomination.withdraw(now)
        locked.return_from_nomination()
        log(
            instance=locked,
            action=review_operations.LOG_STATUS_CHANGE,
            user=user,
            data={"old": Status.NOMINATED, "new": locked.status, "notified": False},
        )
        log(instance=locked, action=LOG_NOMINATION_WITHDRAWN, user=user)
    application.status = locked.status
    return nomination


def criteria_for(programme_round, role=None):
    """The criteria scores are given on: those of the round in the default
    language (the round applications belong to), in their order; with
    ``role`` ("mentee" or "mentor"), only those that score that role's
    applications (``SelectionCriterion.applies_to``)."""
    criteria = SelectionCriterion.objects.filter(round_id=programme_round.pk)
    if role:
        criteria = criteria.filter(applies_to__in=("", role))
    return list(criteria.order_by("sort_order", "pk"))


def _check_reviewer(reviewer, application):
    if not user_can_score(reviewer):
        _refuse(_("You are not on the selection committee."), "not_reviewer")
    if not access.reviewable_applications().filter(pk=application.pk).exists():
        _refuse(
            _("Application %(reference)s is not open for scoring.")
            % {"reference": application},
            "not_reviewable",
        )
    if ConflictOfInterest.objects.filter(
        application=application, reviewer=reviewer
    ).exists():
        _refuse(
            _(
                "You have declared a conflict of interest for application "
                "%(reference)s and cannot score it."
            )
            % {"reference": application},
            "conflict",
        )
    if Review.objects.filter(application=application, reviewer=reviewer).exists():
        _refuse(
            _("You have already submitted your review of application %(reference)s.")
            % {"reference": application},
            "already_reviewed",
        )


def _clean_scores(criteria, scores):
    """[(criterion, value, comment)] for every criterion, or a refusal."""
    cleaned = []
    for criterion in criteria:
        value, comment = scores.get(criterion.pk, (None, ""))
        try:
            value = int(value)
        except (TypeError, ValueError):
            _refuse(
                _("Give a score for “%(criterion)s”.") % {"criterion": criterion},
                "score_missing",
            )
        if not criterion.scale_min <= value <= criterion.scale_max:
            _refuse(
                _("The score for “%(criterion)s” must be between %(min)s and %(max)s.")
                % {
                    "criterion": criterion,
                    "min": criterion.scale_min,
                    "max": criterion.scale_max,
                },
                "score_out_of_scale",
            )
        comment = (comment or "").strip()
        if len(comment) > MAX_TEXT:
            _refuse(
                _("Keep it under %(count)s characters.") % {"count": MAX_TEXT},
                "too_long",
            )
        cleaned.append((criterion, value, comment))
    unknown = set(scores) - {criterion.pk for criterion in criteria}
    if unknown:
        _refuse(_("Score only this round's criteria."), "unknown_criterion")
    return cleaned


def submit_review(application, *, reviewer, scores, now=None):
    """Store ``reviewer``'s review of ``application``: ``scores`` maps each
    criterion's pk (of ``criteria_for(application.round, application.role)``) to
    ``(value, comment)``; every criterion needs a whole-number value within
    its scale. One review per reviewer and application, none after a
    declared conflict of interest. Returns the ``Review``; raises
    ``SelectionRefused``.

    A mentor application still *submitted* moves to *under review* with its
    first review (mentors are not nominated, so the committee's scoring is
    where their review begins), so that HR can accept or waitlist it from
    the ranking."""
    now = now or timezone.now()
    with transaction.atomic():
        if application.role == Application.Role.MENTOR:
            # The round first, then the application, as every decision
            # locks them (decide_application below).
            review_operations.lock_round(application.round)
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=application.pk)
        )
        _check_reviewer(reviewer, locked)
        criteria = criteria_for(locked.round, locked.role)
        if not criteria:
            _refuse(
                _("This round has no selection criteria to score on yet."),
                "no_criteria",
            )
        cleaned = _clean_scores(criteria, scores)
        mean = sum(value for _criterion, value, _comment in cleaned) / len(cleaned)
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    application=locked, reviewer=reviewer, submitted_at=now, mean=mean
                )
        except IntegrityError:
            _refuse(
                _(
                    "You have already submitted your review of application %(reference)s."
                )
                % {"reference": locked},
                "already_reviewed",
            )
        Score.objects.bulk_create(
            Score(review=review, criterion=criterion, value=value, comment=comment)
            for criterion, value, comment in cleaned
        )
        log(instance=locked, action=LOG_REVIEW_SUBMITTED, user=reviewer)
        if (
            locked.role == Application.Role.MENTOR
            and locked.status == Application.Status.SUBMITTED
        ):
            review_operations.decide_application(
                locked, Application.Status.UNDER_REVIEW, user=reviewer
            )
    return review


def declare_conflict(application, *, reviewer, reason, now=None):
    """Record that ``reviewer`` cannot judge ``application`` (``reason``
    required, e.g. "same department"); she cannot score it afterwards.
    Refused after she has reviewed it, or twice. Returns the
    ``ConflictOfInterest``; raises ``SelectionRefused``."""
    reason = _clean_text(
        reason, _("Say briefly why you cannot judge it."), "reason_required"
    )
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(
            pk=application.pk
        )
        if not user_can_score(reviewer):
            _refuse(_("You are not on the selection committee."), "not_reviewer")
        if Review.objects.filter(application=locked, reviewer=reviewer).exists():
            _refuse(
                _(
                    "You have already reviewed application %(reference)s; ask "
                    "HR if you have a conflict of interest."
                )
                % {"reference": locked},
                "already_reviewed",
            )
        conflict, created = ConflictOfInterest.objects.get_or_create(
            application=locked,
            reviewer=reviewer,
            defaults={"reason": reason, "declared_at": now or timezone.now()},
        )
        if not created:
            _refuse(
                _(
                    "You have already declared a conflict of interest for "
                    "application %(reference)s."
                )
                % {"reference": locked},
                "conflict_exists",
            )
        log(instance=locked, action=LOG_CONFLICT_DECLARED, user=reviewer)
    return conflict


RANKING_DECISIONS = (Status.ACCEPTED, Status.WAITLISTED)


def decide_from_ranking(application, status, *, user, notify=False):
    """HR's decision from the ranking: accept or waitlist, through
    ``operations.decide_application`` (transitions, places, the audit log,
    the applicant's email with ``notify``). Raises ``SelectionRefused`` for
    any other status, or the decision's own refusals."""
    if status not in RANKING_DECISIONS:
        _refuse(_("From the ranking, accept or waitlist."), "not_a_ranking_decision")
    return review_operations.decide_application(
        application, status, user=user, notify=notify
    )
