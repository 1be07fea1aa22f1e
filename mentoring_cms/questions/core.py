"""The questions of the application forms that are defined in code, and the
one place that says how their answers are stored and shown.

Everything that names a question or turns an answer into text reads it
here: the step forms (``forms.py``) take their labels and choices from
``QUESTIONS``; HR's detail page and the confirmation email use
``describe_application``; the listing and the exports use ``COLUMNS`` and
``answer_questions``. This module imports no models (it sits below them):
roles are their ``Application.Role`` values, ``"mentee"`` and ``"mentor"``,
and the faculties, which live in the database, are passed in by the caller.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from ..conf import get_setting
from . import snapshot

MENTEE = "mentee"
MENTOR = "mentor"
ROLES = (MENTEE, MENTOR)


class Position(models.TextChoices):
    """The default academic positions; a site can replace the lists that
    qualify for each role with ``MENTORING_CMS_MENTEE_POSITIONS`` and
    ``MENTORING_CMS_MENTOR_POSITIONS``."""

    ASSOCIATE_PROFESSOR = "associate_professor", _("Associate professor")
    SENIOR_LECTURER = "senior_lecturer", _("Senior lecturer")
    PROFESSOR = "professor", _("Professor")
    DOSENT = "dosent", _("Docent")


def positions_for_role(role):
    """(value, label) pairs of the positions that qualify for ``role``
    (``"mentee"`` or ``"mentor"``), from the settings or the defaults."""
    if role == MENTEE:
        configured = get_setting("MENTEE_POSITIONS")
        default = [Position.ASSOCIATE_PROFESSOR, Position.SENIOR_LECTURER]
    else:
        configured = get_setting("MENTOR_POSITIONS")
        default = [Position.PROFESSOR, Position.DOSENT]
    if configured is not None:
        return [tuple(choice) for choice in configured]
    return [(p.value, p.label) for p in default]


def position_label(value):
    """The label of the position ``value`` (either role), or ``value``."""
    for role in ROLES:
        for choice_value, label in positions_for_role(role):
            if choice_value == value:
                return label
    return value


# ---------------------------------------------------------------------------
# Yes/no: asked as a choice of "yes"/"no", stored as a bool where it is a
# column (``Application.permanently_employed``), shown in words.
# ---------------------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no_to_bool(value):
    """``True`` for "yes", ``False`` for "no", ``None`` for no answer."""
    if value in (None, ""):
        return None
    return value == "yes"


def bool_to_yes_no(value):
    """The form value ("yes"/"no") of a stored bool; ``None`` stays ``None``."""
    if value is None:
        return None
    return "yes" if value else "no"


def yes_no_text(value):
    """A bool (or ``None``) in words in the active language; ``""`` for none."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


# ---------------------------------------------------------------------------
# The questions
# ---------------------------------------------------------------------------

TEXT = "text"
LONG_TEXT = "long_text"
EMAIL = "email"
PHONE = "phone"
CHOICE = "choice"
CONSENT = "consent"  # a box to tick: stored as a bool
FILE = "file"


@dataclass(frozen=True)
class Question:
    """One question of the code-defined forms.

    ``label`` is lazy (it reads in the active language); ``role_labels``
    replaces it for one role. ``choices`` is a list of (value, label) pairs,
    or a function of the role returning one; the faculty question takes its
    choices from the caller (``describe_application(faculties=…)``).
    """

    name: str
    label: object
    kind: str = TEXT
    choices: object = ()
    role_labels: dict = field(default_factory=dict)

    def label_for(self, role=None):
        """The label asked of ``role`` (lazy)."""
        return self.role_labels.get(role, self.label)

    def choices_for(self, role=None):
        """The (value, label) pairs offered to ``role``."""
        if callable(self.choices):
            return list(self.choices(role))
        return list(self.choices)

    def answer_text(self, value, role=None, choices=None):
        """The stored ``value`` as shown to a reader: choices by their
        labels, ticked boxes as Yes/No, a file by its name, a missing answer
        as "Not given"."""
        if self.kind == CONSENT:
            return yes_no_text(bool(value))
        if value in (None, "", [], False):
            return gettext("Not given")
        if self.kind == FILE:
            return getattr(value, "name", value)
        if self.kind == CHOICE:
            if choices is None:
                choices = self.choices_for(role)
            return {str(k): v for k, v in choices}.get(str(value), value)
        return value


def language_choices(role=None):
    """The languages an applicant can be written to in (``LANGUAGES``)."""
    return [(code, name) for code, name in settings.LANGUAGES]


def _questions(*questions):
    return {question.name: question for question in questions}


QUESTIONS = _questions(
    Question("full_name", _("Full name")),
    Question("email", _("Work email"), EMAIL),
    Question("phone", _("Phone (optional)"), PHONE),
    Question(
        "language", _("Preferred language for correspondence"), CHOICE, language_choices
    ),
    Question("position", _("Current position"), CHOICE, positions_for_role),
    Question(
        "permanently_employed", _("Are you permanently employed?"), CHOICE, YES_NO
    ),
    Question("faculty", _("Faculty"), CHOICE),
    Question("department", _("Department")),
    Question(
        "academic_field",
        _("Academic field"),
        role_labels={MENTOR: _("Academic field (optional)")},
    ),
    Question("attachment", _("CV or publication list (optional)"), FILE),
    Question(
        "promotion_target",
        _("Which promotion are you working towards?"),
        CHOICE,
        [("professor", _("Professor")), ("dosent", _("Docent"))],
    ),
    Question(
        "promotion_progress",
        _("How far has your promotion work come?"),
        CHOICE,
        [
            ("starting", _("I have started planning")),
            ("under_way", _("I am well under way")),
            ("nearly_ready", _("I am nearly ready to apply")),
        ],
    ),
    Question(
        "planned_application",
        _("When do you plan to apply for promotion?"),
        CHOICE,
        [
            ("within_1_year", _("Within a year")),
            ("1_2_years", _("In one to two years")),
            ("2_3_years", _("In two to three years")),
            ("later", _("Later, or not decided yet")),
        ],
    ),
    Question("progress_summary", _("Summary of your progress"), LONG_TEXT),
    Question("motivation", _("Why do you want to take part?"), LONG_TEXT),
    Question("justification", _("Why is now the right time for you?"), LONG_TEXT),
    Question("expectations", _("What do you hope to get from a mentor?"), LONG_TEXT),
    Question("earlier_mentoring", _("Have you been a mentor before?"), CHOICE, YES_NO),
    Question(
        "mentoring_experience", _("Your experience as a mentor (optional)"), LONG_TEXT
    ),
    Question("offer", _("What can you offer a mentee?"), LONG_TEXT),
    Question(
        "confirm_gatherings",
        _("I will attend all the gatherings of the round."),
        CONSENT,
    ),
    Question(
        "confirm_meetings",
        _("I will take part in the mentor meetings between the gatherings."),
        CONSENT,
    ),
    Question(
        "accept_privacy", _("I have read the privacy notice and accept it."), CONSENT
    ),
)


@dataclass(frozen=True)
class Step:
    """One step of a role's form: its name (the wizard's step slug), its
    title (lazy) and the names of its questions in the order asked."""

    name: str
    title: object
    questions: tuple = ()


_ABOUT = Step("about", _("About you"), ("full_name", "email", "phone", "language"))
_CONSENT = Step(
    "consent",
    _("Commitment and consent"),
    ("confirm_gatherings", "confirm_meetings", "accept_privacy"),
)
_REVIEW = Step("review", _("Review"))

STEPS = {
    MENTEE: (
        _ABOUT,
        Step(
            "position",
            _("Position"),
            (
                "position",
                "permanently_employed",
                "faculty",
                "department",
                "academic_field",
                "attachment",
            ),
        ),
        Step(
            "promotion",
            _("Towards promotion"),
            (
                "promotion_target",
                "promotion_progress",
                "planned_application",
                "progress_summary",
            ),
        ),
        Step(
            "motivation",
            _("Motivation"),
            ("motivation", "justification", "expectations"),
        ),
        _CONSENT,
        _REVIEW,
    ),
    MENTOR: (
        _ABOUT,
        Step(
            "position",
            _("Position"),
            ("position", "faculty", "department", "academic_field"),
        ),
        Step(
            "experience",
            _("Experience"),
            ("earlier_mentoring", "mentoring_experience", "offer"),
        ),
        _CONSENT,
        _REVIEW,
    ),
}


def step(role, name):
    """The step ``name`` of ``role``'s form. Raises ``KeyError`` when there
    is none."""
    for candidate in STEPS[role]:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def role_question_names(role):
    """The names of every question ``role`` is asked."""
    return {name for step in STEPS[role] for name in step.questions}


# ---------------------------------------------------------------------------
# Where answers are stored
# ---------------------------------------------------------------------------

# Answers stored in Application columns; every other answer goes to
# ``Application.answers``.
COLUMN_FIELDS = (
    "full_name",
    "email",
    "phone",
    "language",
    "position",
    "permanently_employed",
    "faculty",
    "department",
    "academic_field",
)
# Fields that are part of the form's machinery, not of the answers.
MACHINERY_FIELDS = ("website", "notice_version", "attachment")
# Kept in ``Application.answers`` by the submission itself, not typed by the
# applicant: the language the form was filled in.
SUBMISSION_ANSWERS = ("form_language",)


def split_answers(answers):
    """The cleaned answers of every step as ``(columns, other)``: the values
    of ``COLUMN_FIELDS`` (yes/no as a bool) and the rest, which is kept in
    ``Application.answers``; the form's machinery is in neither."""
    columns = {name: answers.get(name) for name in COLUMN_FIELDS if name in answers}
    if "permanently_employed" in columns:
        columns["permanently_employed"] = yes_no_to_bool(
            columns["permanently_employed"]
        )
    other = {
        name: value
        for name, value in answers.items()
        if name not in COLUMN_FIELDS and name not in MACHINERY_FIELDS
    }
    return columns, other


def answer_questions():
    """The questions whose answers are kept in ``Application.answers``, for
    both roles, in the order of the steps (the mentee's first); each once."""
    found = {}
    for role in ROLES:
        for step in STEPS[role]:
            for name in step.questions:
                if name not in COLUMN_FIELDS and name not in MACHINERY_FIELDS:
                    found.setdefault(name, QUESTIONS[name])
    return list(found.values())


def stored_values(application):
    """An application's answers keyed by question name, in the form's
    values (yes/no as "yes"/"no", the faculty by its pk)."""
    values = {name: getattr(application, name) for name in COLUMN_FIELDS}
    values["faculty"] = application.faculty_id
    values["permanently_employed"] = bool_to_yes_no(application.permanently_employed)
    values["attachment"] = application.attachment_name
    values.update(application.answers or {})
    return values


def plain_value(value):
    """An answer no question knows, as text."""
    if value in (None, "", [], {}):
        return gettext("Not given")
    if isinstance(value, bool):
        return yes_no_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def other_answers(answers, known):
    """(label, text) of the stored answers whose names are not in ``known``."""
    return [
        (name.replace("_", " ").capitalize(), plain_value(value))
        for name, value in answers.items()
        if name not in known
    ]


def question_label(role, name, language):
    """The wording in code of the question ``name`` asked of ``role``, in
    ``language`` (what a form that does not reword it asks)."""
    with translation.override(language):
        return str(QUESTIONS[name].label_for(role))


# The matching step's answers (issue 15; the step is
# ``mentoring_cms.matching_step``), shown in a section of their own.
MATCHING_ANSWERS = Step(
    "matching",
    _("Matching"),
    (
        "matching_track",
        "matching_topics",
        "matching_languages",
        "matching_avoid_faculties",
        "matching_avoid_departments",
        "matching_wishes",
    ),
)
MATCHING_LABELS = {
    "matching_track": _("Which promotion are you aiming for?"),
    "matching_topics": _("Topics you want help with"),
    "matching_languages": _("Languages you can be mentored in"),
    "matching_avoid_faculties": _(
        "Faculties you would rather not be paired with (optional)"
    ),
    "matching_avoid_departments": _(
        "Departments you would rather not be paired with (optional)"
    ),
    "matching_wishes": _("Wishes for your mentor (optional)"),
}


def matching_section(answers):
    """(title, [(label, text)…]) of the matching answers in ``answers``, or
    ``None`` when there are none."""
    rows = [
        (MATCHING_LABELS[name], plain_value(answers[name]))
        for name in MATCHING_ANSWERS.questions
        if name in answers
    ]
    return (MATCHING_ANSWERS.title, rows) if rows else None


def describe_application(application, faculties=None):
    """The answers of a stored application, step by step, as
    [(step title, [(label, value)…])…] in the active language: labels are the
    questions' own, choices are shown by their labels.

    ``faculties`` are the (pk, name) faculty choices in the reader's language
    (``Faculty.objects.choices()``); the application's faculty, when it is
    not among them, shows by its own name (``application.faculty``). Stored
    answers that no question of the role asks for (older or imported data)
    follow under "Other answers", so nothing an applicant gave is hidden.
    """
    role = application.role
    values = stored_values(application)
    faculties = list(faculties or [])
    if application.faculty_id and str(application.faculty_id) not in dict(faculties):
        faculties.append(
            (str(application.faculty_id), application.faculty.localized.name)
        )
    known = set(COLUMN_FIELDS) | set(SUBMISSION_ANSWERS) | set(MACHINERY_FIELDS)
    entries = application.answer_snapshot or []
    if any(entry.get("type") == "core" for entry in entries):
        # Asked by an editors' form: its steps and questions as they were
        # asked, the core answers from the columns.
        def core_text(name):
            choices = faculties if name == "faculty" else None
            return QUESTIONS[name].answer_text(values.get(name), role, choices)

        sections = snapshot.describe_snapshot(entries, get_language(), core_text)
        known.update(entry.get("id") for entry in entries)
        matching = matching_section(application.answers or {})
        if matching:
            sections.append(matching)
            known.update(MATCHING_ANSWERS.questions)
        other = other_answers(application.answers or {}, known)
        if other:
            sections.append((gettext("Other answers"), other))
        return sections
    sections = []
    for step in STEPS[role]:
        if not step.questions:
            continue
        rows = []
        for name in step.questions:
            question = QUESTIONS[name]
            choices = faculties if name == "faculty" else None
            text = question.answer_text(values.get(name), role, choices)
            rows.append((question.label_for(role), text))
            known.add(name)
        sections.append((step.title, rows))
    matching = matching_section(application.answers or {})
    if matching:
        sections.append(matching)
        known.update(MATCHING_ANSWERS.questions)
    other = other_answers(application.answers or {}, known)
    if other:
        sections.append((gettext("Other answers"), other))
    return sections


# ---------------------------------------------------------------------------
# The listing's and the exports' columns
# ---------------------------------------------------------------------------

# (name on the annotated listing queryset, heading): the export's first
# columns, in order; the answers of ``answer_questions`` follow.
COLUMNS = [
    ("reference", gettext_lazy("Reference")),
    ("full_name", gettext_lazy("Name")),
    ("email", gettext_lazy("Work email")),
    ("phone", gettext_lazy("Phone")),
    ("role", gettext_lazy("Role")),
    ("position", gettext_lazy("Position")),
    ("permanently_employed", gettext_lazy("Permanently employed")),
    ("faculty_label", gettext_lazy("Faculty")),
    ("department", gettext_lazy("Department")),
    ("academic_field", gettext_lazy("Academic field")),
    ("attachment_name", gettext_lazy("CV or publication list")),
    ("round_title", gettext_lazy("Round")),
    ("status", gettext_lazy("Status")),
    ("language", gettext_lazy("Language")),
    ("submitted_at", gettext_lazy("Submitted at")),
    ("status_changed_at", gettext_lazy("Status changed at")),
]
# Export columns that hold the answer to a question a role may not be asked.
COLUMN_QUESTIONS = {"attachment_name": "attachment", "faculty_label": "faculty"}


def column_question(name):
    """The question behind the export column ``name``, or ``None`` for the
    columns no applicant answers (reference, status…)."""
    question = COLUMN_QUESTIONS.get(name, name)
    if question in COLUMN_FIELDS or question in MACHINERY_FIELDS:
        return question
    return None


def answer_cells():
    """A function turning ``Application.answers`` into one cell per question
    of ``answer_questions``: choices by their labels, ticked boxes in words,
    missing answers empty. Labels are fixed in the language active now."""
    yes_no = {value: yes_no_text(value) for value in (None, True, False)}
    columns = []
    for question in answer_questions():
        if question.kind == CONSENT:
            columns.append((question.name, yes_no))
        elif question.kind == CHOICE:
            labels = {str(k): str(v) for k, v in question.choices_for()}
            columns.append((question.name, labels))
        else:
            columns.append((question.name, None))

    def cells(answers):
        row = []
        for name, labels in columns:
            value = answers.get(name)
            if labels is not None:
                value = labels.get(value, value)
            row.append("" if value is None else value)
        return row

    return cells
