from .applications import (
    Application,
    ApplicationNote,
    Position,
    TransitionNotAllowed,
)
from .exports import ExportFile
from .pages import ContactPage, ProgramPage, ProgramRoundPage, RoundStatus, SessionPage
from .participation import (
    AbsenceNotice,
    Attendance,
    GatheringReminder,
    Meeting,
    Participation,
)
from .snippets import ContactPerson, Faculty

__all__ = [
    "AbsenceNotice",
    "Attendance",
    "GatheringReminder",
    "Meeting",
    "Participation",
    "Application",
    "ApplicationNote",
    "ContactPage",
    "ContactPerson",
    "ExportFile",
    "Faculty",
    "Position",
    "ProgramPage",
    "ProgramRoundPage",
    "RoundStatus",
    "SessionPage",
    "TransitionNotAllowed",
]
