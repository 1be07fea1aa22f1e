"""A participant's matching answers, as the matching step stores them.

They are answers of the application like any other (``Application.answers``,
keys ``matching_*``): erased and anonymised with it. Applications without
them (made before the step existed, or imported) still take part: their
track comes from the position or promotion target, their language from the
correspondence language.
"""

from dataclasses import dataclass

from ..models.matching import Track
from ..questions.core import MATCHING_STEP

# The matching step's field names (``matching_step.MatchingForm``).
MATCHING_FIELDS = MATCHING_STEP.questions


@dataclass(frozen=True)
class MatchingAnswers:
    """What the matching reads of one application: ``track`` ("professor",
    "dosent" or ""), ``topics`` topic keys, ``languages`` codes,
    ``avoid_faculties`` faculty pks, ``avoid_departments`` names,
    ``wishes`` free text."""

    track: str
    topics: tuple
    languages: tuple
    avoid_faculties: tuple
    avoid_departments: tuple
    wishes: str


def _list(value):
    if value in (None, ""):
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return (str(value),)


def _pks(values):
    return tuple(int(v) for v in values if str(v).isdigit())


def matching_answers(application):
    """The application's ``MatchingAnswers``, with the fallbacks above."""
    answers = application.answers or {}
    track = answers.get("matching_track") or ""
    if track not in Track.values:
        # A mentor's position, or a mentee's promotion target.
        track = application.position if application.position in Track.values else ""
        target = answers.get("promotion_target")
        track = track or (target if target in Track.values else "")
    departments = answers.get("matching_avoid_departments") or ""
    return MatchingAnswers(
        track=track,
        topics=_list(answers.get("matching_topics")),
        languages=_list(answers.get("matching_languages"))
        or ((application.language,) if application.language else ()),
        avoid_faculties=_pks(_list(answers.get("matching_avoid_faculties"))),
        avoid_departments=tuple(
            line.strip() for line in str(departments).splitlines() if line.strip()
        ),
        wishes=str(answers.get("matching_wishes") or ""),
    )
