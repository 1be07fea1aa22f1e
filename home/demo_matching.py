"""Accepted mentors and mentees of the demo's 2022 round, with their
matching answers, so that HR can try the matching page straight away."""

import random

from django.utils import timezone

from mentoring_cms.models import Application, Faculty
from mentoring_cms.models.topics import DEFAULT_TOPICS

FIRST_NAMES = [
    "Anne",
    "Berit",
    "Cecilie",
    "Dina",
    "Eva",
    "Frida",
    "Guro",
    "Hanne",
    "Ingrid",
    "Jorunn",
    "Kari",
    "Liv",
    "Marit",
    "Nina",
    "Oda",
    "Per",
    "Ragnhild",
    "Silje",
    "Tone",
    "Unni",
    "Vigdis",
    "Wenche",
    "Åse",
    "Øystein",
]
LAST_NAMES = [
    "Aasen",
    "Berg",
    "Dahl",
    "Eide",
    "Fjeld",
    "Haugen",
    "Holm",
    "Lie",
    "Moen",
    "Nilsen",
    "Solberg",
    "Strand",
    "Tangen",
    "Vik",
    "Ødegård",
]
DEPARTMENTS = [
    "Institutt for fysikk",
    "Institutt for kjemi",
    "Institutt for datateknologi",
    "Institutt for historie",
    "Institutt for psykologi",
    "Institutt for økonomi",
    "Institutt for arkitektur",
    "Institutt for sirkulasjon og bildediagnostikk",
]
COUNT = 20


def load_matching_participants(programme_round, *, count=COUNT, seed=2022):
    """``count`` accepted mentors and mentees in ``programme_round`` with
    faculties, tracks, topics and languages; nothing when the round already
    has applications. Returns the number created."""
    if Application.objects.filter(round=programme_round).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    faculties = list(
        Faculty.objects.filter(locale=programme_round.locale).order_by("pk")
    )
    topics = [key for key, _label in DEFAULT_TOPICS]
    year = programme_round.period_start.year
    created = []
    for role, positions in (
        (Application.Role.MENTOR, ["professor", "dosent"]),
        (Application.Role.MENTEE, ["associate_professor", "senior_lecturer"]),
    ):
        for n in range(count):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            position = rng.choice(positions)
            language = "en" if rng.random() < 0.25 else "nb"
            track = (
                position
                if role == Application.Role.MENTOR
                else ("dosent" if position == "senior_lecturer" else "professor")
            )
            faculty = faculties[(n + (3 if role == "mentee" else 0)) % len(faculties)]
            answers = {
                "matching_track": track,
                "matching_topics": rng.sample(topics, rng.randint(2, 4)),
                "matching_languages": ["en"]
                if language == "en"
                else rng.choice([["nb"], ["nb", "en"]]),
                "matching_wishes": "",
                "form_language": language,
            }
            if role == Application.Role.MENTEE and rng.random() < 0.3:
                answers["matching_wishes"] = (
                    f"Gjerne noen fra {rng.choice(faculties).name}"
                )
            created.append(
                Application(
                    reference=f"MP-{year}-{900_000 + len(created)}",
                    round=programme_round,
                    role=role,
                    status=Application.Status.ACCEPTED,
                    status_changed_at=timezone.now(),
                    full_name=name,
                    email=f"demo.{role}.{n + 1}@example.org",
                    language=language,
                    position=position,
                    permanently_employed=True if role == "mentee" else None,
                    faculty=faculty,
                    department=rng.choice(DEPARTMENTS),
                    academic_field="",
                    answers=answers,
                    privacy_notice_version="demo",
                )
            )
    for application in created:
        application.save()
    return len(created)
