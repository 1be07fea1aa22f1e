"""Numbers of one round for HR: by role, status and faculty, with the
nominations and places left. A fixed number of aggregate queries, however
many applications there are; anonymised applications still count.

Each count carries the address of HR's listing filtered to the
applications it counts (``filters.listing_url``); a quota or a number of
places links to the applications competing for it."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language

from ..models import Application, Faculty, ProgramRoundPage
from .filters import listing_url, one_per_translation


@dataclass
class RoleSummary:
    role: str
    label: str
    places: int
    counts: dict = field(default_factory=dict)
    # The listing: every application in the role, the accepted ones, and
    # those of each status.
    url: str = ""
    accepted_url: str = ""
    status_urls: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def accepted(self):
        return self.counts.get(Application.Status.ACCEPTED, 0)

    @property
    def places_left(self):
        return max(self.places - self.accepted, 0)


@dataclass
class FacultySummary:
    name: str
    quota: int
    mentees: int = 0
    mentors: int = 0
    # Mentees whose status is "nominated" (HR has not decided on them yet).
    nominated: int = 0
    # Mentees using one of the faculty's nominations: nominated, waitlisted
    # or accepted (``Application.NOMINATION_STATUSES``, the quota's rule).
    holding_nomination: int = 0
    accepted_mentees: int = 0
    has_quota: bool = True
    # The listing (only for a faculty: it cannot filter "no faculty").
    mentees_url: str = ""
    mentors_url: str = ""
    nominated_url: str = ""

    @property
    def nominations_left(self):
        return max(self.quota - self.holding_nomination, 0)


@dataclass
class RoundSummary:
    round: ProgramRoundPage
    roles: list
    faculties: list

    @property
    def total(self):
        return sum(role.total for role in self.roles)

    def status_table(self):
        """[(status label, [count for each role])] in workflow order."""
        return [
            (status.label, [role.counts.get(status, 0) for role in self.roles])
            for status in Application.Status
        ]

    def status_rows(self):
        """[(status label, [(count, listing url) for each role])] in
        workflow order."""
        return [
            (
                status.label,
                [
                    (role.counts.get(status, 0), role.status_urls.get(status, ""))
                    for role in self.roles
                ],
            )
            for status in Application.Status
        ]


def summary_rounds():
    """One version of each round (in the active language where there is one),
    newest first."""
    rounds = (
        ProgramRoundPage.objects.select_related("locale")
        .defer_streamfields()
        .order_by("-period_start", "pk")
    )
    keys = dict(one_per_translation(rounds, lambda r: r))
    return list(keys.values())


def default_round(rounds, now=None):
    """The round HR most likely wants: the newest one that has opened for
    applications, else the newest one."""
    now = now or timezone.now()
    for programme_round in rounds:
        opens = programme_round.application_opens
        if opens is not None and opens <= now:
            return programme_round
    return rounds[0] if rounds else None


def round_summary(programme_round):
    applications = Application.objects.for_round(programme_round)
    roles = {
        role: RoleSummary(
            role=role,
            label=role.label,
            places=programme_round.places_for(role),
            url=listing_url(programme_round, role=role),
            accepted_url=listing_url(
                programme_round, role=role, status=Application.Status.ACCEPTED
            ),
            status_urls={
                status: listing_url(programme_round, role=role, status=status)
                for status in Application.Status
            },
        )
        for role in Application.Role
    }
    for row in applications.values("role", "status").annotate(n=Count("pk")):
        if row["role"] in roles:
            roles[row["role"]].counts[row["status"]] = row["n"]

    quota = programme_round.faculty_quota
    by_faculty = {}
    for row in (
        applications.values("role", "status", "faculty__translation_key")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = row["faculty__translation_key"]
        summary = by_faculty.setdefault(key, FacultySummary(name="", quota=quota))
        if row["role"] == Application.Role.MENTEE:
            summary.mentees += row["n"]
            if row["status"] in Application.NOMINATION_STATUSES:
                summary.holding_nomination += row["n"]
            if row["status"] == Application.Status.NOMINATED:
                summary.nominated += row["n"]
            if row["status"] == Application.Status.ACCEPTED:
                summary.accepted_mentees += row["n"]
        else:
            summary.mentors += row["n"]

    # Every faculty is listed, also those without applications yet.
    names = {}
    for _pk, key, name in Faculty.objects.localized(get_language()):
        names[key] = name
        by_faculty.setdefault(key, FacultySummary(name="", quota=quota))
    faculties = []
    unknown = by_faculty.pop(None, None)
    for key, summary in by_faculty.items():
        summary.name = names.get(key, "")
        summary.mentees_url = listing_url(
            programme_round, role=Application.Role.MENTEE, faculty=key
        )
        summary.mentors_url = listing_url(
            programme_round, role=Application.Role.MENTOR, faculty=key
        )
        summary.nominated_url = listing_url(
            programme_round,
            role=Application.Role.MENTEE,
            faculty=key,
            status=Application.Status.NOMINATED,
        )
        faculties.append(summary)
    faculties.sort(key=lambda summary: summary.name.casefold())
    if unknown is not None:
        unknown.has_quota = False
        faculties.append(unknown)
    return RoundSummary(
        round=programme_round, roles=list(roles.values()), faculties=faculties
    )
