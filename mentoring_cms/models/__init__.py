from .applications import (
    Application,
    ApplicationNote,
    TransitionNotAllowed,
)
from .exports import ExportFile
from .matching import (
    Match,
    MatchingRun,
    MentorCapacity,
    PairConstraint,
    ProposedPair,
)
from .pages import ContactPage, ProgramPage, ProgramRoundPage, RoundStatus, SessionPage
from .questions import ApplicationForm
from .snippets import ContactPerson, Faculty

__all__ = [
    "Application",
    "ApplicationForm",
    "ApplicationNote",
    "ContactPage",
    "ContactPerson",
    "ExportFile",
    "Faculty",
    "Match",
    "MatchingRun",
    "MentorCapacity",
    "PairConstraint",
    "ProposedPair",
    "ProgramPage",
    "ProgramRoundPage",
    "RoundStatus",
    "SessionPage",
    "TransitionNotAllowed",
]
