"""What a participant and HR do while a round runs, each in one transaction.

Rules (the issue's "Bad input and security"), all enforced here so that every
view and task goes through them:

* withdrawing: any application that is not final yet;
* an absence notice: accepted participants only, for a gathering of their
  audience, before it starts, one per gathering;
* a meeting: accepted participants only, dated from the round's first day to
  today, one per day;
* attendance: HR records present / absent with notice / absent for the
  participants of the gathering's audience, once the gathering has started
  (nobody can have attended or missed a gathering still to come);
* every date a person or HR enters lies within the round's period
  (``period_start``..``period_end``) and not in the future
  (``check_round_date``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import (
    AbsenceNotice,
    Application,
    Attendance,
    Meeting,
    SessionPage,
)
from .links import participation_for

LOG_WITHDRAWN = "mentoring_cms.application.withdrawn_by_applicant"
LOG_ABSENCE = "mentoring_cms.application.absence_notice"
LOG_LINKS_REVOKED = "mentoring_cms.application.links_revoked"
LOG_ATTENDANCE = "mentoring_cms.session.attendance"

AUDIENCE_OF_ROLE = {
    Application.Role.MENTEE: SessionPage.Audience.MENTEES,
    Application.Role.MENTOR: SessionPage.Audience.MENTORS,
}


class ParticipationRefused(ValidationError):
    """The action is not allowed; nothing was stored."""


def audiences_of(role):
    """The gathering audiences an application in ``role`` belongs to."""
    return [SessionPage.Audience.ALL, AUDIENCE_OF_ROLE[role]]


def roles_of(audience):
    """The application roles a gathering for ``audience`` is meant for."""
    if audience == SessionPage.Audience.ALL:
        return list(Application.Role.values)
    return [role for role, aud in AUDIENCE_OF_ROLE.items() if aud == audience]


def is_participant(application):
    return application.status == Application.Status.ACCEPTED and not (
        application.is_anonymised
    )


def _require_participant(application):
    if not is_participant(application):
        raise ParticipationRefused(
            _("Only accepted participants can do this."), code="not_participant"
        )


def withdraw(application):
    """The person withdraws her own application (from her personal page).

    Raises ``ParticipationRefused`` when the application is final already
    (withdrawn or rejected). HR sees the change in the listing (status
    "Withdrawn") and in the application's history.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(
            pk=application.pk
        )
        if not locked.can_transition_to(Application.Status.WITHDRAWN):
            raise ParticipationRefused(
                _("This application can no longer be withdrawn."),
                code="not_withdrawable",
            )
        old_status = locked.status
        locked.withdraw()
        log(
            instance=locked,
            action=LOG_WITHDRAWN,
            data={"old": old_status, "new": locked.status},
        )
    application.status = locked.status
    application.status_changed_at = locked.status_changed_at
    return application


def revoke_links(application, *, user=None):
    """Invalidate every personal and calendar link of ``application`` (the
    person's own request, or HR's)."""
    with transaction.atomic():
        participation_for(application).revoke_links()
        log(instance=application, action=LOG_LINKS_REVOKED, user=user)


def session_for(application, session_id):
    """The live gathering ``session_id`` of the application's round that her
    audience attends, or ``None``: an id from another round, audience or an
    unpublished page is treated as unknown."""
    return (
        SessionPage.objects.live()
        .child_of(application.round)
        .filter(pk=session_id, audience__in=audiences_of(application.role))
        .first()
    )


def give_absence_notice(application, session, reason, *, now=None):
    """Record "I cannot attend" for ``session`` with ``reason`` (text).

    Raises ``ParticipationRefused`` when she is not a participant, the
    gathering has started, or a notice for it exists already.
    """
    now = now or timezone.now()
    _require_participant(application)
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationRefused(
            _("Tell us briefly why you cannot attend."), code="reason_required"
        )
    if session.start <= now:
        raise ParticipationRefused(
            _(
                "This gathering has already taken place; absence can only be "
                "reported before it starts."
            ),
            code="gathering_passed",
        )
    try:
        with transaction.atomic():
            notice = AbsenceNotice.objects.create(
                application=application, session=session, reason=reason[:1000]
            )
            # The reason stays out of the audit log.
            log(instance=application, action=LOG_ABSENCE, data={"session": session.pk})
    except IntegrityError:
        raise ParticipationRefused(
            _("You have already told us that you cannot attend this gathering."),
            code="duplicate_absence",
        ) from None
    return notice


def check_round_date(programme_round, date, *, today=None):
    """Refuse a date a participant or HR enters for something that happened
    in ``programme_round`` (a meeting): it must lie within the round's period
    (``period_start``..``period_end``, both included) and not after
    ``today`` (the site's local date). Raises ``ParticipationRefused`` with
    code ``invalid_date``, ``before_round``, ``after_round`` or
    ``future_date``; returns ``date``."""
    today = today or timezone.localdate()
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise ParticipationRefused(_("Enter a valid date."), code="invalid_date")
    if date > today:
        raise ParticipationRefused(
            _("A meeting can only be logged once it has taken place."),
            code="future_date",
        )
    start, end = programme_round.period_start, programme_round.period_end
    if start and date < start:
        raise ParticipationRefused(
            _("The round started on %(start)s; a meeting cannot be earlier.")
            % {"start": start.isoformat()},
            code="before_round",
        )
    if end and date > end:
        raise ParticipationRefused(
            _("The round ended on %(end)s; a meeting cannot be later.")
            % {"end": end.isoformat()},
            code="after_round",
        )
    return date


def log_meeting(application, date, *, today=None):
    """Log a meeting with the partner on ``date`` (a ``datetime.date``).

    Raises ``ParticipationRefused`` for a date outside the round's period
    or in the future (``check_round_date``), or already logged, and when
    she is not a participant.
    """
    _require_participant(application)
    check_round_date(application.round, date, today=today)
    try:
        with transaction.atomic():
            return Meeting.objects.create(application=application, date=date)
    except IntegrityError:
        raise ParticipationRefused(
            _("A meeting on %(date)s is logged already.") % {"date": date.isoformat()},
            code="duplicate_meeting",
        ) from None


def participants_of(session, programme_round=None):
    """The accepted, not anonymised applications whose audience ``session``
    (a gathering of a round in the default language) is, by name.
    ``programme_round`` is the session's parent, when the caller has it."""
    round_id = programme_round.pk if programme_round else session.get_parent().pk
    return Application.objects.filter(
        round_id=round_id,
        role__in=roles_of(session.audience),
        status=Application.Status.ACCEPTED,
        anonymised_at__isnull=True,
    ).order_by("full_name", "pk")


def attendance_open(session, now=None):
    """Whether HR may record attendance for ``session``: it has started
    (``start <= now``)."""
    return session.start <= (now or timezone.now())


def record_attendance(session, statuses, *, user=None, now=None):
    """Store HR's register for ``session``: ``statuses`` maps application
    ids to ``Attendance.Status`` values (or "" to clear). Ids that are not
    participants of the gathering are ignored. Returns the number stored.

    Raises ``ParticipationRefused`` (code ``gathering_not_started``) when
    the gathering has not started yet: attendance is a record of what
    happened, so nothing is stored for a gathering to come."""
    if not attendance_open(session, now):
        raise ParticipationRefused(
            _(
                "This gathering has not taken place yet; attendance can only be "
                "recorded once it has started."
            ),
            code="gathering_not_started",
        )
    allowed = set(participants_of(session).values_list("pk", flat=True))
    stored = 0
    with transaction.atomic():
        for application_id, status in statuses.items():
            if application_id not in allowed:
                continue
            if not status:
                Attendance.objects.filter(
                    application_id=application_id, session=session
                ).delete()
                continue
            Attendance.objects.update_or_create(
                application_id=application_id,
                session=session,
                defaults={
                    "status": Attendance.Status(status),
                    "recorded_by": user,
                    "recorded_at": timezone.now(),
                },
            )
            stored += 1
        log(instance=session, action=LOG_ATTENDANCE, user=user, data={"count": stored})
    return stored


def expected_meetings_by(programme_round, day):
    """How many meetings a pair should have had by ``day``: the round's
    ``meetings_min`` spread evenly over its period (rounded down)."""
    total_days = (programme_round.period_end - programme_round.period_start).days + 1
    elapsed = (day - programme_round.period_start).days + 1
    if elapsed <= 0:
        return 0
    elapsed = min(elapsed, total_days)
    return programme_round.meetings_min * elapsed // max(total_days, 1)
