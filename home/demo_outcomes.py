"""Two finished rounds of the demo (2019–2020 and 2020–2021) with accepted
participants, their attendance at three mandatory gatherings, the meetings
they logged and the promotion outcomes of the mentees, so that HR's
programme dashboard and promotion outcomes show something (issue 17).

The rounds' public pages are kept unpublished (taken down when the rounds
ended); the admin shows them. The 2019 round has been through the retention
job: its applications are anonymised, and the dashboard reads what was kept
for the statistics.
"""

import datetime
import random

from django.utils import timezone

from home.demo_matching import FIRST_NAMES, LAST_NAMES
from mentoring_cms.models import (
    Application,
    Attendance,
    Faculty,
    Meeting,
    ProgramRoundPage,
    PromotionOutcome,
    SessionPage,
)
from mentoring_cms.operations import anonymise_application

# (year the round starts, anonymised by the retention job)
PAST_ROUNDS = ((2019, True), (2020, False))
PAST_ROUND_SLUGS = [f"{year}-{year + 1}" for year, _anonymised in PAST_ROUNDS]
PARTICIPANTS = 20
REJECTED = {Application.Role.MENTEE: 12, Application.Role.MENTOR: 4}
GATHERINGS = (
    ("Oppstartssamling", 9, 20),
    ("Samling om karriereplanlegging", 11, 15),
    ("Avslutningssamling", 5, 28),
)
# Each accepted mentee's outcome, in order: (result, years after the
# round's start she applied, years after that the result came), or None
# where HR has not learned it yet.
OUTCOMES = [
    ("promoted", 0, 1),
    ("promoted", 1, 1),
    ("promoted", 1, 1),
    ("promoted", 1, 1),
    ("promoted", 1, 1),
    ("promoted", 1, 0),
    ("promoted", 2, 1),
    ("promoted", 2, 0),
    ("promoted", 2, 1),
    ("not_promoted", 1, 1),
    ("not_promoted", 2, 1),
    ("not_promoted", 3, 0),
    ("applied", 3, None),
    ("applied", 4, None),
    ("not_applied", None, None),
    ("not_applied", None, None),
    ("not_applied", None, None),
    ("not_applied", None, None),
    None,
    None,
]


def _oslo(day, hour):
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )


def _round(programme, year):
    slug = f"{year}-{year + 1}"
    existing = ProgramRoundPage.objects.child_of(programme).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    programme_round = ProgramRoundPage(
        title=f"Programrunde {year}–{year + 1}",
        slug=slug,
        locale=programme.locale,
        live=False,
        period_start=datetime.date(year, 9, 2),
        period_end=datetime.date(year + 1, 6, 12),
        application_opens=_oslo(datetime.date(year, 4, 1), 9),
        application_closes=_oslo(datetime.date(year, 5, 15), 23),
    )
    programme.add_child(instance=programme_round)
    programme_round.save_revision()
    return programme_round, True


def _gatherings(programme_round, year):
    sessions = []
    for index, (title, month, day) in enumerate(GATHERINGS):
        when = datetime.date(year + (1 if month < 9 else 0), month, day)
        session = SessionPage(
            title=title,
            slug=f"samling-{index + 1}",
            locale=programme_round.locale,
            live=False,
            start=_oslo(when, 9),
            end=_oslo(when, 16),
            place="Gløshaugen",
            mandatory=True,
        )
        programme_round.add_child(instance=session)
        sessions.append(session)
    return sessions


def _applications(programme_round, year, rng):
    faculties = list(
        Faculty.objects.filter(locale=programme_round.locale).order_by("pk")
    )
    created = []
    for role, positions in (
        (Application.Role.MENTEE, ["associate_professor", "senior_lecturer"]),
        (Application.Role.MENTOR, ["professor", "dosent"]),
    ):
        for n in range(PARTICIPANTS + REJECTED[role]):
            status = (
                Application.Status.ACCEPTED
                if n < PARTICIPANTS
                else Application.Status.REJECTED
            )
            application = Application(
                reference=f"MP-{year}-{800_000 + len(created)}",
                round=programme_round,
                role=role,
                status=status,
                status_changed_at=_oslo(datetime.date(year, 6, 20), 12),
                submitted_at=_oslo(datetime.date(year, 5, 2), 12),
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"demo.{year}.{role}.{n + 1}@example.org",
                language="en" if rng.random() < 0.2 else "nb",
                position=positions[n % 2],
                permanently_employed=True if role == "mentee" else None,
                faculty=faculties[n % len(faculties)],
                privacy_notice_version="demo",
            )
            application.save()
            created.append(application)
    return created


def _participation(applications, sessions, programme_round, rng):
    attendance, meetings = [], []
    days = (programme_round.period_end - programme_round.period_start).days
    for application in applications:
        if application.status != Application.Status.ACCEPTED:
            continue
        for session in sessions:
            roll = rng.random()
            status = (
                Attendance.Status.PRESENT
                if roll < 0.9
                else Attendance.Status.ABSENT_WITH_NOTICE
                if roll < 0.97
                else Attendance.Status.ABSENT
            )
            attendance.append(
                Attendance(application=application, session=session, status=status)
            )
        count = rng.choice([5, 6, 7, 8, 8, 9, 9, 10, 10, 11])
        for offset in sorted(rng.sample(range(days), count)):
            meetings.append(
                Meeting(
                    application=application,
                    date=programme_round.period_start + datetime.timedelta(offset),
                )
            )
    Attendance.objects.bulk_create(attendance)
    Meeting.objects.bulk_create(meetings)


# The 2020 round did a little differently: two more applied in their
# second year, and one of the promotions came a year later.
OUTCOMES_BY_YEAR = {
    2019: OUTCOMES,
    2020: [
        *OUTCOMES[:8],
        ("promoted", 2, 2),
        *OUTCOMES[9:14],
        ("applied", 2, None),
        ("not_promoted", 2, 1),
        *OUTCOMES[16:],
    ],
}


def _outcomes(applications, year):
    mentees = [
        a
        for a in applications
        if a.role == Application.Role.MENTEE and a.status == Application.Status.ACCEPTED
    ]
    for application, entry in zip(mentees, OUTCOMES_BY_YEAR[year], strict=True):
        if entry is None:
            continue
        result, applied, later = entry
        outcome = PromotionOutcome(
            application=application,
            round_year=year,
            result=result,
            source=PromotionOutcome.Source.HR,
            recorded_at=timezone.now(),
        )
        if applied is not None:
            outcome.position = (
                PromotionOutcome.Position.PROFESSOR
                if application.position == "associate_professor"
                else PromotionOutcome.Position.DOCENT
            )
            outcome.applied_year = year + applied
            if later is not None:
                outcome.result_year = year + applied + later
        outcome.full_clean(exclude=["application"])
        outcome.save()


def load_past_rounds(programme):
    """The finished demo rounds under ``programme``; nothing is added to a
    round that exists already. Returns the number of applications created."""
    total = 0
    for year, anonymised in PAST_ROUNDS:
        programme_round, created = _round(programme, year)
        if not created:
            continue
        rng = random.Random(year)  # noqa: S311 (demo data, not secrets)
        sessions = _gatherings(programme_round, year)
        applications = _applications(programme_round, year, rng)
        _participation(applications, sessions, programme_round, rng)
        _outcomes(applications, year)
        if anonymised:
            for application in applications:
                anonymise_application(application)
        total += len(applications)
    return total
