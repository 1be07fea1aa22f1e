"""The application form as data: steps, questions and the core questions.

An application form is edited as a StreamField (``questions.blocks``) and
read here from its raw JSON, so that the wizard, the snapshot of a
submission and the check of an editor's changes share one shape without
building the block values (one dictionary walk per request, however many
questions a form has).

Shapes (all plain, immutable):

* ``Question``: ``id`` (the stable identifier; for a core question its key
  in ``CORE_QUESTIONS``), ``type`` (one of ``QUESTION_TYPES`` or
  ``"core"``), ``label`` and ``help_text`` in the form's language
  (empty for a core question that keeps the wording in code), ``required``,
  ``choices`` (``Choice(value, label)``: ``value`` is the choice's stable id,
  the same in every translation), ``limit`` and ``limit_unit`` (``"words"``
  or ``"characters"``; a maximum length for short text), ``min_value`` and
  ``max_value`` for numbers.
* ``Step``: ``id`` (the block id), ``title``, ``intro``, ``questions``.
* ``FormSchema``: ``steps``; ``questions()`` in order, ``question(id)``.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
YES_NO = "yes_no"
DATE = "date"
NUMBER = "number"
URL = "url"
CORE = "core"

QUESTION_TYPES = (
    SHORT_TEXT,
    LONG_TEXT,
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    YES_NO,
    DATE,
    NUMBER,
    URL,
)
CHOICE_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE)

WORDS = "words"
CHARACTERS = "characters"
# Short answers are one line: at most this many characters unless the
# question sets a lower limit.
SHORT_TEXT_MAX_LENGTH = 255

MENTEE = "mentee"
MENTOR = "mentor"
BOTH = frozenset({MENTEE, MENTOR})


@dataclass(frozen=True)
class CoreQuestion:
    """A question whose type and rules are defined in code because the
    application's rules depend on its answer. ``roles`` are the roles whose
    form may ask it, ``required_for`` those whose form must ask it."""

    key: str
    name: str
    roles: frozenset = BOTH
    required_for: frozenset = BOTH


# The core questions of the issue: name, email, phone, correspondence
# language, position, permanent employment, faculty, department, academic
# field, the commitments, the privacy consent and the PDF. Their answers are
# columns of ``Application`` (or its file); editors may reword and place
# them, never remove a required one or change its type.
CORE_QUESTIONS = {
    question.key: question
    for question in (
        CoreQuestion("full_name", _("Full name")),
        CoreQuestion("email", _("Work email")),
        CoreQuestion("phone", _("Phone"), required_for=frozenset()),
        CoreQuestion("language", _("Preferred language for correspondence")),
        CoreQuestion("position", _("Current position")),
        CoreQuestion(
            "permanently_employed",
            _("Are you permanently employed?"),
            roles=frozenset({MENTEE}),
            required_for=frozenset({MENTEE}),
        ),
        CoreQuestion("faculty", _("Faculty")),
        CoreQuestion("department", _("Department")),
        CoreQuestion("academic_field", _("Academic field"), required_for=frozenset()),
        CoreQuestion(
            "attachment",
            _("CV or publication list"),
            roles=frozenset({MENTEE}),
            required_for=frozenset(),
        ),
        CoreQuestion("confirm_gatherings", _("Attendance at the gatherings")),
        CoreQuestion("confirm_meetings", _("Mentor meetings")),
        CoreQuestion("accept_privacy", _("Privacy notice")),
    )
}

# Names an editor's question may not take: the core questions' and the
# form's machinery (the honeypot, the privacy notice version, the review).
RESERVED_IDENTIFIERS = frozenset(CORE_QUESTIONS) | {
    "website",
    "notice_version",
    "review",
    "form_language",
}


def core_choices():
    """(key, name) of the core questions, for the editor's choice."""
    return [(question.key, question.name) for question in CORE_QUESTIONS.values()]


def missing_core_questions(role, identifiers):
    """The core questions ``role``'s form must ask that are not among
    ``identifiers``, in the order of ``CORE_QUESTIONS``."""
    present = set(identifiers)
    return [
        question
        for question in CORE_QUESTIONS.values()
        if role in question.required_for and question.key not in present
    ]


def core_questions_not_for(role, identifiers):
    """The core questions among ``identifiers`` that ``role`` is never asked
    (the permanent position and the PDF are the mentee's)."""
    return [
        CORE_QUESTIONS[key]
        for key in identifiers
        if key in CORE_QUESTIONS and role not in CORE_QUESTIONS[key].roles
    ]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str = ""
    help_text: str = ""
    required: bool = True
    choices: tuple = ()
    limit: int | None = None
    limit_unit: str = CHARACTERS
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    @property
    def is_core(self):
        return self.type == CORE

    def choice_label(self, value):
        """The label of the choice ``value`` in this schema's language, or
        None when the question does not offer it."""
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return None


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str = ""
    questions: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class FormSchema:
    steps: tuple = ()

    def questions(self):
        """Every question of the form, step by step."""
        return [question for step in self.steps for question in step.questions]

    def question(self, identifier):
        """The question ``identifier`` or None."""
        for question in self.questions():
            if question.id == identifier:
                return question
        return None

    def editor_questions(self):
        """The questions editors own (every one but the core questions)."""
        return [question for question in self.questions() if not question.is_core]


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _positive_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def question_from_raw(block_type, value):
    """A ``Question`` from one question block's raw JSON (``block_type`` is
    the block's name in the step's stream, ``value`` its dict)."""
    if block_type == CORE:
        return Question(
            id=value.get("question", ""),
            type=CORE,
            label=value.get("label") or "",
            help_text=value.get("help_text") or "",
            required=True,
        )
    choices = tuple(
        Choice(value=str(item.get("id")), label=item.get("value") or "")
        for item in _list_items(value.get("choices"))
    )
    return Question(
        id=value.get("identifier", ""),
        type=block_type,
        label=value.get("label") or "",
        help_text=value.get("help_text") or "",
        required=bool(value.get("required")),
        choices=choices,
        limit=_positive_int(value.get("limit")),
        limit_unit=value.get("limit_unit") or CHARACTERS,
        min_value=_decimal(value.get("min_value")),
        max_value=_decimal(value.get("max_value")),
    )


def _list_items(raw):
    """The items of a ListBlock's raw value as dicts with ``id`` and
    ``value`` (Wagtail stores them so; very old data as plain values)."""
    items = []
    for index, item in enumerate(raw or []):
        if isinstance(item, dict) and "value" in item:
            items.append(item)
        else:
            items.append({"id": str(index), "value": item})
    return items


def schema_from_raw(raw_data):
    """A ``FormSchema`` from a form body's raw StreamField JSON (a list of
    ``{"type": "step", "value": {...}, "id": ...}``); unknown blocks are
    skipped."""
    steps = []
    for block in raw_data or []:
        if block.get("type") != "step":
            continue
        value = block.get("value") or {}
        questions = tuple(
            question_from_raw(child.get("type"), child.get("value") or {})
            for child in value.get("questions") or []
        )
        steps.append(
            Step(
                id=str(block.get("id") or len(steps)),
                title=value.get("title") or "",
                intro=value.get("intro") or "",
                questions=questions,
            )
        )
    return FormSchema(steps=tuple(steps))


def schema_of(stream_value):
    """A ``FormSchema`` from a StreamField value (``ApplicationForm.body``)
    without building its blocks."""
    raw = getattr(stream_value, "raw_data", stream_value)
    return schema_from_raw(list(raw or []))
