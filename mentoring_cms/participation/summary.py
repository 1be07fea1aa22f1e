"""How a round is going: attendance at its gatherings, the meetings of
each participant, and the meetings of each pair (once matching makes pairs),
for HR. A fixed number of queries whatever the number of gatherings,
participants, pairs or meetings."""

from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone

from ..models import AbsenceNotice, Application, Attendance, Meeting
from ..models.localized import localize_titles
from .gatherings import source_sessions
from .operations import audiences_of, expected_meetings_by
from .partners import partners_of


@dataclass
class ParticipantRow:
    application: Application
    meetings: int = 0
    last_meeting: object = None
    missed_mandatory: list = field(default_factory=list)
    notices: int = 0
    partner: Application | None = None
    expected: int = 0

    @property
    def below_pace(self):
        """Fewer meetings logged than the round's minimum spread evenly
        over the round would give by today."""
        return self.meetings < self.expected


@dataclass
class PairRow:
    """One current pair of the round: a meeting counts once for the pair on
    the day either of the two logged it (both logging it is one meeting)."""

    mentor: Application
    mentee: Application
    dates: set = field(default_factory=set)
    mentor_logged: int = 0
    mentee_logged: int = 0
    expected: int = 0

    @property
    def meetings(self):
        return len(self.dates)

    @property
    def last_meeting(self):
        return max(self.dates, default=None)

    @property
    def below_pace(self):
        """Fewer meetings than the round's minimum (``meetings_min`` of its
        8–10) spread evenly over the round would give by today."""
        return self.meetings < self.expected


@dataclass
class GatheringRow:
    session: object
    registered: int = 0
    notices: int = 0
    missed: int = 0


@dataclass
class RoundParticipation:
    round: object
    gatherings: list
    participants: list
    pairs: list = field(default_factory=list)

    @property
    def missed_mandatory(self):
        """Participants who missed at least one mandatory gathering."""
        return [row for row in self.participants if row.missed_mandatory]

    @property
    def below_pace(self):
        return [row for row in self.participants if row.below_pace]

    @property
    def pairs_below_pace(self):
        return [row for row in self.pairs if row.below_pace]


def round_participation(programme_round, today=None, now=None):
    """The participation summary of ``programme_round`` (default language);
    the gatherings carry ``admin_title`` in the reader's language.

    A gathering counts as missed only once it is past (``end <= now``):
    attendance recorded for a gathering still to come or under way (from
    before that rule) does not flag anyone."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sessions = localize_titles(source_sessions(programme_round, audiences_of_all()))
    by_id = {session.pk: session for session in sessions}
    participants = list(
        Application.objects.filter(
            round=programme_round,
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
        )
        .annotate(meeting_count=Count("meetings"), last_meeting=Max("meetings__date"))
        .order_by("role", "full_name", "pk")
    )
    expected = expected_meetings_by(programme_round, today)
    partners = partners_of(participants)
    rows = {
        application.pk: ParticipantRow(
            application=application,
            meetings=application.meeting_count,
            last_meeting=application.last_meeting,
            partner=partners.get(application.pk),
            expected=expected,
        )
        for application in participants
    }
    gatherings = {session.pk: GatheringRow(session) for session in sessions}
    for application_id, session_id, status in Attendance.objects.filter(
        session_id__in=by_id, application_id__in=rows
    ).values_list("application_id", "session_id", "status"):
        gatherings[session_id].registered += 1
        if status in Attendance.MISSED and by_id[session_id].end <= now:
            gatherings[session_id].missed += 1
            if by_id[session_id].mandatory:
                rows[application_id].missed_mandatory.append(by_id[session_id])
    for application_id, session_id in AbsenceNotice.objects.filter(
        session_id__in=by_id, application_id__in=rows
    ).values_list("application_id", "session_id"):
        gatherings[session_id].notices += 1
        rows[application_id].notices += 1
    return RoundParticipation(
        round=programme_round,
        gatherings=list(gatherings.values()),
        participants=list(rows.values()),
        pairs=pair_rows(rows.values(), expected),
    )


def pair_rows(participant_rows, expected):
    """[PairRow] of the current pairs among ``participant_rows`` (mentor
    first, by the mentor's name), with their meetings; one query."""
    pairs = [
        PairRow(mentor=row.application, mentee=row.partner, expected=expected)
        for row in participant_rows
        if row.partner is not None and row.application.role == Application.Role.MENTOR
    ]
    by_person = {}
    for pair in pairs:
        by_person[pair.mentor.pk] = (pair, "mentor_logged")
        by_person[pair.mentee.pk] = (pair, "mentee_logged")
    # The meetings of every participant, paired or not: the same one query
    # whether the round has no pair yet or many.
    for application_id, day in Meeting.objects.filter(
        application_id__in=[row.application.pk for row in participant_rows]
    ).values_list("application_id", "date"):
        if application_id not in by_person:
            continue
        pair, side = by_person[application_id]
        pair.dates.add(day)
        setattr(pair, side, getattr(pair, side) + 1)
    return pairs


def audiences_of_all():
    """Every audience: HR sees all gatherings."""
    return sorted({a for role in Application.Role.values for a in audiences_of(role)})


def latest_meetings(application_ids):
    """{application id: date of the latest logged meeting} (one query)."""
    return dict(
        Meeting.objects.filter(application_id__in=application_ids)
        .values("application_id")
        .annotate(latest=Max("date"))
        .values_list("application_id", "latest")
    )


def missed_mandatory_gatherings(programme_round, now=None):
    """[(application, [gatherings])] of the accepted participants of
    ``programme_round`` (any language version) whom HR registered absent, with
    or without notice, from a mandatory gathering that is past (``end <=
    now``); the gatherings carry ``admin_title`` in the reader's language.
    Two queries."""
    now = now or timezone.now()
    missed = {}
    rows = (
        Attendance.objects.filter(
            application__round__translation_key=programme_round.translation_key,
            application__status=Application.Status.ACCEPTED,
            application__anonymised_at__isnull=True,
            session__mandatory=True,
            session__end__lte=now,
            status__in=Attendance.MISSED,
        )
        .select_related("application", "session")
        .order_by("application__full_name", "application_id", "session__start")
    )
    for attendance in rows:
        entry = missed.setdefault(
            attendance.application_id, (attendance.application, [])
        )
        entry[1].append(attendance.session)
    localize_titles(session for _a, sessions in missed.values() for session in sessions)
    return list(missed.values())
