"""A stored application's answers as text, step by step, in the reader's
language: what HR's application pages, the participant's page and the
confirmation email show.

Every answer a step of either role asks for (the default forms' questions,
an editor's questions as the snapshot keeps them, the matching step's) is
shown under its question with its choices by their labels; only stored
answers that no question asks for (older or imported data) fall under
"Other answers", so nothing an applicant gave is hidden. Like ``core``, this
module imports no models: faculties and topics are passed in.
"""

import json

from django.utils.translation import get_language, gettext

from . import snapshot
from .core import (
    COLUMN_FIELDS,
    MACHINERY_FIELDS,
    MATCHING_STEP,
    QUESTIONS,
    STEPS,
    SUBMISSION_ANSWERS,
    answer_choices,
    bool_to_yes_no,
    yes_no_text,
)


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
    if value.__class__ is str:
        # Most answers.
        return value or gettext("Not given")
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


def matching_section(role, answers, faculties=None, topics=None):
    """(title, [(label, text)…]) of the matching step's answers in
    ``answers`` (``Application.answers``), worded for ``role`` in the active
    language with choices by their labels (``faculties`` and ``topics`` as
    in ``core.answer_choices``); ``None`` when there are none (an
    application made before the step existed)."""
    rows = []
    for name in MATCHING_STEP.questions:
        if name not in answers:
            continue
        question = QUESTIONS[name]
        choices = answer_choices(name, role, faculties, topics)
        text = question.answer_text(answers[name], role, choices)
        rows.append((question.label_for(role), text))
    return (MATCHING_STEP.title, rows) if rows else None


def describe_application(application, faculties=None, topics=None):
    """The answers of a stored application, step by step, as
    [(step title, [(label, value)…])…] in the active language: labels are the
    questions' own, choices are shown by their labels; the matching step's
    answers follow in a section of their own.

    ``faculties`` are the (pk, name) faculty choices in the reader's language
    (``Faculty.objects.choices()``); the application's faculty, when it is
    not among them, shows by its own name (``application.faculty``).
    ``topics`` are the (key, label) topics of the application's programme
    (``models.topics.topic_choices``; the default topics when ``None``).
    Stored answers that no question of the role asks for (older or imported
    data) follow under "Other answers", so nothing an applicant gave is
    hidden.
    """
    role = application.role
    values = stored_values(application)
    faculties = list(faculties or [])
    if application.faculty_id and str(application.faculty_id) not in dict(faculties):
        faculties.append(
            (str(application.faculty_id), application.faculty.localized.name)
        )

    def core_text(name):
        choices = answer_choices(name, role, faculties, topics)
        return QUESTIONS[name].answer_text(values.get(name), role, choices)

    known = set(COLUMN_FIELDS) | set(SUBMISSION_ANSWERS) | set(MACHINERY_FIELDS)
    entries = application.answer_snapshot or []
    if any(entry.get("type") == "core" for entry in entries):
        # Asked by an editors' form: its steps and questions as they were
        # asked, the core answers from the columns.
        sections = snapshot.describe_snapshot(entries, get_language(), core_text)
        known.update(entry.get("id") for entry in entries)
    else:
        sections = []
        for step in STEPS[role]:
            if not step.questions:
                continue
            rows = [
                (QUESTIONS[name].label_for(role), core_text(name))
                for name in step.questions
            ]
            known.update(step.questions)
            sections.append((step.title, rows))
    answers = application.answers or {}
    matching = matching_section(role, answers, faculties, topics)
    if matching:
        sections.append(matching)
    known.update(MATCHING_STEP.questions)
    other = other_answers(answers, known)
    if other:
        sections.append((gettext("Other answers"), other))
    return sections
