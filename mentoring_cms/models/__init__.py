from .applications import (
    Application,
    ApplicationNote,
    TransitionNotAllowed,
)
from .drafts import ApplicationDraft
from .evaluation import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationInvitation,
    EvaluationReceipt,
    RoundEvaluation,
)
from .exports import ExportFile
from .matching import (
    Match,
    MatchingRun,
    MentorCapacity,
    PairConstraint,
    ProposedPair,
)
from .outcomes import CompletionRecord, PromotionOutcome
from .pages import ContactPage, ProgramPage, ProgramRoundPage, RoundStatus, SessionPage
from .participation import (
    AbsenceNotice,
    Attendance,
    GatheringReminder,
    Meeting,
    OwedGatheringReminder,
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
    "OwedGatheringReminder",
    "Meeting",
    "Participation",
    "Application",
    "ApplicationDraft",
    "ApplicationForm",
    "ApplicationNote",
    "ConflictOfInterest",
    "CompletionRecord",
    "ContactPage",
    "ContactPerson",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationInvitation",
    "EvaluationReceipt",
    "ExportFile",
    "RoundEvaluation",
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
    "PromotionOutcome",
    "ProgramPage",
    "ProgramRoundPage",
    "Review",
    "RoundStatus",
    "Score",
    "SelectionCriterion",
    "SessionPage",
    "TransitionNotAllowed",
]
