from .applications import (
    Application,
    ApplicationNote,
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
from .questions import ApplicationForm
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
    "ContactPage",
    "ContactPerson",
    "ExportFile",
    "Faculty",
    "ProgramPage",
    "ProgramRoundPage",
    "RoundStatus",
    "SessionPage",
    "TransitionNotAllowed",
]
