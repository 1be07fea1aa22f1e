"""The programme's page types, one module per area; imported from here
(``mentoring_cms.models.pages.X``) as before they were split."""

from .common import (
    ContactPersonLink,
    ContactPersonsMixin,
    FactsPageForm,
    RoundStatus,
    view_restricted_below,
)
from .contact import ContactPage
from .programme import ProgramPage
from .round import (
    APPLICATION_VIEWS_HOOK,
    ProgramRoundPage,
    SessionPage,
    SessionPageForm,
    application_view,
    find_round,
    session_outside_round_error,
)

__all__ = [
    "APPLICATION_VIEWS_HOOK",
    "ContactPage",
    "ContactPersonLink",
    "ContactPersonsMixin",
    "FactsPageForm",
    "ProgramPage",
    "ProgramRoundPage",
    "RoundStatus",
    "SessionPage",
    "SessionPageForm",
    "application_view",
    "find_round",
    "session_outside_round_error",
    "view_restricted_below",
]
