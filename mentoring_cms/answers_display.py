"""How one application's answers are shown to HR: grouped by the steps of the
application form, in the form's order, labelled in the reader's language.

Answers kept as columns are read from the model; the rest come from
``Application.answers``. Any answer this layout does not know is still shown,
under "Other answers", so nothing an applicant gave is hidden from HR.
"""

import json

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Application

# (step title, [(source, key, label)]); source is "field" or "answer".
ABOUT_YOU = (
    gettext_lazy("About you"),
    [
        ("field", "full_name", gettext_lazy("Full name")),
        ("field", "email", gettext_lazy("Work email")),
        ("field", "phone", gettext_lazy("Phone")),
        ("field", "language", gettext_lazy("Preferred language")),
    ],
)
CONSENT = (
    gettext_lazy("Commitment and consent"),
    [
        (
            "answer",
            "confirms_attendance",
            gettext_lazy("Confirms attending all gatherings and meetings"),
        ),
        ("answer", "privacy_accepted", gettext_lazy("Accepted the privacy notice")),
        ("field", "privacy_notice_version", gettext_lazy("Privacy notice version")),
        ("field", "submitted_at", gettext_lazy("Submitted at")),
    ],
)

ANSWER_STEPS = {
    Application.Role.MENTEE: [
        ABOUT_YOU,
        (
            gettext_lazy("Position"),
            [
                ("field", "position", gettext_lazy("Current position")),
                (
                    "field",
                    "permanently_employed",
                    gettext_lazy("Permanently employed"),
                ),
                ("field", "faculty", gettext_lazy("Faculty")),
                ("field", "department", gettext_lazy("Department")),
                ("field", "academic_field", gettext_lazy("Academic field")),
            ],
        ),
        (
            gettext_lazy("Towards promotion"),
            [
                ("answer", "promotion_target", gettext_lazy("Aiming for")),
                (
                    "answer",
                    "promotion_progress",
                    gettext_lazy("How far the promotion work has come"),
                ),
                (
                    "answer",
                    "planned_application",
                    gettext_lazy("Plans to apply for promotion"),
                ),
                ("answer", "progress_summary", gettext_lazy("Summary of progress")),
            ],
        ),
        (
            gettext_lazy("Motivation"),
            [
                ("answer", "motivation", gettext_lazy("Motivation for taking part")),
                ("answer", "justification", gettext_lazy("Justification")),
                (
                    "answer",
                    "mentor_expectations",
                    gettext_lazy("Hopes to get from a mentor"),
                ),
            ],
        ),
        CONSENT,
    ],
    Application.Role.MENTOR: [
        ABOUT_YOU,
        (
            gettext_lazy("Position"),
            [
                ("field", "position", gettext_lazy("Current position")),
                ("field", "faculty", gettext_lazy("Faculty")),
                ("field", "department", gettext_lazy("Department")),
                ("field", "academic_field", gettext_lazy("Academic field")),
            ],
        ),
        (
            gettext_lazy("Experience"),
            [
                (
                    "answer",
                    "earlier_mentoring",
                    gettext_lazy("Earlier experience as a mentor"),
                ),
                ("answer", "can_offer", gettext_lazy("What they can offer a mentee")),
            ],
        ),
        CONSENT,
    ],
}


def display_value(value):
    """An answer as text, exactly as given (templates escape it)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_value(application, name):
    if name == "position":
        return application.get_position_display()
    if name == "language":
        return application.get_language_display()
    if name == "faculty":
        faculty = application.faculty
        return faculty.localized.name if faculty else None
    if name == "submitted_at":
        return formats.date_format(
            timezone.localtime(application.submitted_at), "DATETIME_FORMAT"
        )
    return getattr(application, name)


def answer_sections(application):
    """[(step title, [(label, text)])] in the order of the form's steps."""
    answers = dict(application.answers or {})
    sections = []
    for title, items in ANSWER_STEPS.get(application.role, []):
        rows = []
        for source, key, label in items:
            if source == "field":
                value = _field_value(application, key)
            elif key in answers:
                value = answers.pop(key)
            else:
                continue
            rows.append((label, display_value(value)))
        sections.append((title, rows))
    if answers:
        sections.append(
            (
                _("Other answers"),
                [
                    (key.replace("_", " ").capitalize(), display_value(value))
                    for key, value in answers.items()
                ],
            )
        )
    return sections
