"""The programme's raw figures per round, for the dashboard across rounds
(issue 17): applications, accepted participants, completion and the
promotion of former mentees. Raw counts only: nothing here may be shown
before ``outcomes.dashboard`` has passed it through ``small_groups``.

Four queries whatever the number of rounds, applications or outcomes.

Definitions (one place for each):

* completion, for accepted participants of a round that has ended: not
  registered absent (with or without notice) from any mandatory gathering,
  and at least the round's ``meetings_min`` meetings logged. Anonymised
  applications count through the ``CompletionRecord`` kept for them. A
  round for which HR kept no attendance register has no completion figures
  (``register_kept``): unknown, not 100 %.
* promotion within N years: the year she applied (or was promoted) is at
  most N years after the year her round started (``PromotionOutcome.
  round_year``). Shares are of the round's accepted mentees, anonymised
  ones included; a mentee with no recorded outcome counts as not (yet)
  applied, and the dashboard shows how many outcomes are recorded. A
  window is reported only once it has closed (the year ``round_year + N``
  is over), since until then the share can still grow; a round with no
  outcome recorded at all has no promotion figures.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language

from ..models import (
    Application,
    Attendance,
    ProgramRoundPage,
    PromotionOutcome,
)

# The windows of the promotion figures, in years after the round.
PROMOTION_WINDOWS = (1, 2, 3)


@dataclass
class RoundFigures:
    """One round's raw counts (``int``; ``None`` where not applicable)."""

    translation_key: object
    title: str
    period_start: object
    period_end: object
    meetings_min: int
    meetings_max: int
    ended: bool
    applications: int = 0
    mentee_applications: int = 0
    mentor_applications: int = 0
    accepted: int = 0
    accepted_mentees: int = 0
    accepted_mentors: int = 0
    # Accepted participants with no mandatory gathering missed, and with at
    # least ``meetings_min`` meetings logged (rounds that have ended).
    attended_all_mandatory: int = 0
    met_minimum: int = 0
    # Whether HR kept an attendance register for the round at all (else
    # its completion is unknown, not 100 %).
    register_kept: bool = False
    outcomes_recorded: int = 0
    # {years: count of accepted mentees} for each window that has closed.
    applied_within: dict = field(default_factory=dict)
    promoted_within: dict = field(default_factory=dict)

    @property
    def year(self):
        return self.period_start.year


def _rounds(language):
    """{translation key: RoundFigures} of every round, oldest first, with
    the dates of the default language version and the title in
    ``language`` (one query)."""
    rows = ProgramRoundPage.objects.values_list(
        "translation_key",
        "locale__language_code",
        "title",
        "period_start",
        "period_end",
        "meetings_min",
        "meetings_max",
    ).order_by("period_start", "pk")
    by_key = {}
    for key, code, title, start, end, low, high in rows:
        entry = by_key.setdefault(key, {})
        entry[code] = (title, start, end, low, high)
    today = timezone.localdate()
    figures = {}
    for key, versions in by_key.items():
        source = versions.get(settings.LANGUAGE_CODE) or next(iter(versions.values()))
        title = (versions.get(language) or source)[0]
        _title, start, end, low, high = source
        figures[key] = RoundFigures(
            translation_key=key,
            title=title,
            period_start=start,
            period_end=end,
            meetings_min=low,
            meetings_max=high,
            ended=end < today,
        )
    return dict(sorted(figures.items(), key=lambda item: item[1].period_start))


def _count_applications(figures):
    accepted = Q(status=Application.Status.ACCEPTED)
    rows = (
        Application.objects.values("round__translation_key", "role")
        .annotate(total=Count("pk"), accepted=Count("pk", filter=accepted))
        .order_by()
    )
    for row in rows:
        entry = figures.get(row["round__translation_key"])
        if entry is None:
            continue
        entry.applications += row["total"]
        entry.accepted += row["accepted"]
        if row["role"] == Application.Role.MENTEE:
            entry.mentee_applications += row["total"]
            entry.accepted_mentees += row["accepted"]
        else:
            entry.mentor_applications += row["total"]
            entry.accepted_mentors += row["accepted"]


def _count_completion(figures):
    missed = Q(
        attendances__session__mandatory=True,
        attendances__status__in=Attendance.MISSED,
    )
    rows = (
        Application.objects.filter(status=Application.Status.ACCEPTED)
        .annotate(
            missed=Count("attendances", filter=missed, distinct=True),
            meeting_count=Count("meetings", distinct=True),
            registered=Count("attendances", distinct=True),
        )
        .values_list(
            "round__translation_key",
            "anonymised_at",
            "missed",
            "meeting_count",
            "registered",
            "completion_record__missed_mandatory",
            "completion_record__meetings",
        )
        .order_by()
    )
    for key, anonymised_at, missed_count, meetings, registered, *kept in rows:
        entry = figures.get(key)
        if entry is None or not entry.ended:
            continue
        if anonymised_at is not None:
            # Her attendance and meetings are gone; the counts kept for the
            # statistics stand in (none kept: nothing known, not counted).
            if kept[0] is None:
                continue
            (missed_count, meetings), registered = kept, 1
        if registered:
            entry.register_kept = True
        if missed_count == 0:
            entry.attended_all_mandatory += 1
        if meetings >= entry.meetings_min:
            entry.met_minimum += 1


def _count_promotion(figures, this_year):
    rows = PromotionOutcome.objects.filter(
        application__role=Application.Role.MENTEE,
        application__status=Application.Status.ACCEPTED,
    ).values_list(
        "application__round__translation_key",
        "round_year",
        "result",
        "applied_year",
        "result_year",
    )
    for entry in figures.values():
        for years in PROMOTION_WINDOWS:
            if entry.year + years < this_year:
                entry.applied_within[years] = 0
                entry.promoted_within[years] = 0
    for key, round_year, result, applied_year, result_year in rows:
        entry = figures.get(key)
        if entry is None:
            continue
        entry.outcomes_recorded += 1
        for years in entry.applied_within:
            if applied_year is not None and applied_year - round_year <= years:
                entry.applied_within[years] += 1
            if (
                result == PromotionOutcome.Result.PROMOTED
                and result_year - round_year <= years
            ):
                entry.promoted_within[years] += 1


def programme_figures(language=None):
    """``[RoundFigures]`` of every round, oldest first; titles in
    ``language`` (default: the active one). Four queries."""
    figures = _rounds(language or get_language() or settings.LANGUAGE_CODE)
    _count_applications(figures)
    _count_completion(figures)
    _count_promotion(figures, timezone.localdate().year)
    return list(figures.values())
