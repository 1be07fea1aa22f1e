"""The questions of the application forms that are defined in code, and the
one place that says how their answers are stored and shown.

Everything that names a question or turns an answer into text reads it
here: the step forms (``forms.py``) take their labels and choices from
``QUESTIONS``; HR's detail page and the confirmation email use
``describe.describe_application``; the listing and the exports use ``COLUMNS`` and
``answer_questions``. This module imports no models (it sits below them):
roles are their ``Application.Role`` values, ``"mentee"`` and ``"mentor"``,
and the faculties, which live in the database, are passed in by the caller.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from ..conf import get_setting

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
MULTIPLE_CHOICE = "multiple_choice"  # stored as a list of choice values


@dataclass(frozen=True)
class Question:
    """One question of the code-defined forms.

    ``label`` is lazy (it reads in the active language); ``role_labels``
    replaces it for one role. ``choices`` is a list of (value, label) pairs,
    or a function of the role returning one; the faculty question takes its
    choices from the caller (``describe_application(faculties=…)``), and
    so do the matching questions of topics (the programme's list) and of
    faculties to avoid. ``heading`` (lazy), when set, heads the export's
    column instead of the label (a column that both roles answer).
    """

    name: str
    label: object
    kind: str = TEXT
    choices: object = ()
    role_labels: dict = field(default_factory=dict)
    heading: object = None

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
        if self.kind in (CHOICE, MULTIPLE_CHOICE):
            if choices is None:
                choices = self.choices_for(role)
            labels = {str(k): v for k, v in choices}
            if self.kind == CHOICE:
                return labels.get(str(value), value)
            values = value if isinstance(value, list | tuple) else [value]
            return ", ".join(str(labels.get(str(item), item)) for item in values)
        return value

    def column_heading(self):
        """The heading of this question's export column (lazy)."""
        return self.heading or self.label


def language_choices(role=None):
    """The languages an applicant can be written to in (``LANGUAGES``)."""
    return [(code, name) for code, name in settings.LANGUAGES]


# The tracks of the matching (issue 15): the promotion a mentee aims for or
# the one a mentor has made (``models.matching.Track`` has the same values).
TRACK_CHOICES = [("professor", _("Professor")), ("dosent", _("Docent"))]

# The topics offered for the matching when a programme lists none of its own
# (``ProgramPage.matching_topics``; ``models.topics``): the topics of the
# gatherings in the programme description, plus research leadership and a
# teaching portfolio.
DEFAULT_MATCHING_TOPICS = (
    ("promotion_application", _("The promotion application")),
    ("career_choices", _("Career choices and priorities")),
    ("networking", _("Networking")),
    ("identity", _("Identity as professor or docent")),
    ("home_work_balance", _("Balancing home and work")),
    ("research_leadership", _("Research leadership")),
    ("teaching_portfolio", _("Teaching portfolio")),
)


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
        TRACK_CHOICES,
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
    # The matching step (issue 15; ``mentoring_cms.matching_step``), asked of
    # both roles in their own words.
    Question(
        "matching_track",
        _("Which promotion are you aiming for?"),
        CHOICE,
        TRACK_CHOICES,
        role_labels={MENTOR: _("Which promotion have you made?")},
        heading=_("Matching: track"),
    ),
    Question(
        "matching_topics",
        _("Topics you want help with"),
        MULTIPLE_CHOICE,
        DEFAULT_MATCHING_TOPICS,
        role_labels={MENTOR: _("Topics you can help with")},
        heading=_("Matching: topics"),
    ),
    Question(
        "matching_languages",
        _("Languages you can be mentored in"),
        MULTIPLE_CHOICE,
        language_choices,
        role_labels={MENTOR: _("Languages you can mentor in")},
        heading=_("Matching: languages"),
    ),
    Question(
        "matching_avoid_faculties",
        _("Faculties you would rather not be paired with (optional)"),
        MULTIPLE_CHOICE,
        heading=_("Matching: faculties to avoid"),
    ),
    Question(
        "matching_avoid_departments",
        _("Departments you would rather not be paired with (optional)"),
        LONG_TEXT,
        heading=_("Matching: departments to avoid"),
    ),
    Question(
        "matching_wishes",
        _("Wishes for your mentor (optional)"),
        LONG_TEXT,
        role_labels={MENTOR: _("Wishes for your mentee (optional)")},
        heading=_("Matching: wishes"),
    ),
)

# The questions whose choices the caller passes in: the faculties (in the
# reader's language, from the database) and the topics (the round's
# programme's list, ``models.topics``).
FACULTY_QUESTIONS = ("faculty", "matching_avoid_faculties")
TOPIC_QUESTIONS = ("matching_topics",)


def answer_choices(name, role=None, faculties=None, topics=None):
    """The (value, label) choices the answer to question ``name`` is shown
    with: ``faculties`` for the faculty questions, ``topics`` for the
    topics (the defaults when ``None``), else the question's own."""
    if name in FACULTY_QUESTIONS:
        return list(faculties or [])
    if name in TOPIC_QUESTIONS and topics is not None:
        return list(topics)
    return QUESTIONS[name].choices_for(role)


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
# The matching step, which both wizards ask before consent
# (``matching_step.with_matching_step``); not in ``STEPS`` since every form,
# the default or an editor's, gets it.
MATCHING_STEP = Step(
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
    """The names of every question ``role`` is asked by the default form and
    the matching step."""
    names = {name for step in STEPS[role] for name in step.questions}
    return names | set(MATCHING_STEP.questions)


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
    both roles, in the order of the steps (the mentee's first), then the
    matching step's; each once."""
    found = {}
    for role in ROLES:
        for step in STEPS[role]:
            for name in step.questions:
                if name not in COLUMN_FIELDS and name not in MACHINERY_FIELDS:
                    found.setdefault(name, QUESTIONS[name])
    for name in MATCHING_STEP.questions:
        found.setdefault(name, QUESTIONS[name])
    return list(found.values())


def question_label(role, name, language):
    """The wording in code of the question ``name`` asked of ``role``, in
    ``language`` (what a form that does not reword it asks)."""
    with translation.override(language):
        return str(QUESTIONS[name].label_for(role))


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


def answer_cell_converters(faculties=None, topics=None):
    """``{question name: function}`` for every question of
    ``answer_questions``: the function turns a stored answer (never
    ``None``) into its cell: choices by their labels (``faculties`` and
    ``topics`` as in ``answer_choices``; several as "a, b"), ticked boxes
    in words, an empty answer as ``""``. Labels are fixed in the language
    active now."""
    yes_no = {value: yes_no_text(value) for value in (None, True, False)}
    converters = {}
    for question in answer_questions():
        if question.kind == CONSENT:
            converters[question.name] = functools.partial(_consent_cell, yes_no)
        elif question.kind in (CHOICE, MULTIPLE_CHOICE):
            choices = answer_choices(question.name, None, faculties, topics)
            labels = {str(k): str(v) for k, v in choices}
            converters[question.name] = functools.partial(_choice_cell, labels)
        else:
            converters[question.name] = _cell
    return converters


def _cell(value):
    return "" if value in (None, []) else value


def _consent_cell(labels, value):
    try:
        value = labels.get(value, value)
    except TypeError:
        # Not a yes/no (a list in old or imported data): shown as it is.
        pass
    return _cell(value)


def _choice_cell(labels, value):
    if isinstance(value, list | tuple):
        value = ", ".join(str(labels.get(str(v), v)) for v in value)
    elif isinstance(value, str | int):
        value = labels.get(str(value), value)
    return _cell(value)
