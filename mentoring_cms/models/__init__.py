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
from .participation import (
    AbsenceNotice,
    Attendance,
    GatheringReminder,
    Meeting,
    Participation,
)
from .questions import ApplicationForm
from .selection import (
    ConflictOfInterest,
    FacultyCoordinator,
    Nomination,
    NominationReminder,
    Review,
    ReviewReminder,
    Score,
    SelectionCriterion,
)
from .snippets import ContactPerson, Faculty

__all__ = [
    "AbsenceNotice",
    "Attendance",
    "GatheringReminder",
    "Meeting",
    "Participation",
    "Application",
    "ApplicationForm",
    "ApplicationNote",
    "ConflictOfInterest",
    "ContactPage",
    "ContactPerson",
    "ExportFile",
    "Faculty",
    "FacultyCoordinator",
    "Nomination",
    "NominationReminder",
    "ReviewReminder",
    "Match",
    "MatchingRun",
    "MentorCapacity",
    "PairConstraint",
    "ProposedPair",
    "ProgramPage",
    "ProgramRoundPage",
    "Review",
    "RoundStatus",
    "Score",
    "SelectionCriterion",
    "SessionPage",
    "TransitionNotAllowed",
]
