"""Answers stored with the questions as they were asked.

An application keeps, for every question editors own, one entry::

    {
        "id": "motivation",                  # the question's identifier
        "type": "long_text",                 # schema.QUESTION_TYPES
        "label": {"nb": "Hvorfor …?", "en": "Why …?"},
        "choices": [                         # [] unless a choice question
            {"value": "<choice id>", "label": {"nb": "…", "en": "…"}},
        ],
        "value": "…",                        # see fields.stored_value
        "step": {"nb": "Motivasjon", "en": "Motivation"},
    }

in the order the form asked them. Labels are taken from the form in every
language of the site at submission (a language the form was not translated
into gets the source language's text), so that rewording or translating a
question later never changes what a submitted application says it asked.
Everything here reads the snapshot alone: no form, no database.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext

from . import schema


def _texts(by_language, pick, source_language):
    texts = {}
    source = by_language.get(source_language)
    for code, form_schema in by_language.items():
        texts[code] = pick(form_schema)
    fallback = pick(source) if source is not None else next(iter(texts.values()), "")
    for code, _name in settings.LANGUAGES:
        if not texts.get(code):
            texts[code] = fallback or ""
    return texts


def take_snapshot(schemas, values, source_language=None, core_label=None):
    """The snapshot entries of ``values`` for the questions of ``schemas``:
    ``with_values(asked_questions(...), values)``; see ``asked_questions``."""
    return with_values(asked_questions(schemas, source_language, core_label), values)


def with_values(questions, values):
    """New snapshot entries: those of ``questions`` (``asked_questions``)
    each with its value from ``values`` (``{identifier: stored value}``,
    ``None`` where there is none). ``questions`` is left as it is, so one
    list serves every application of a form version."""
    return [{**entry, "value": values.get(entry["id"])} for entry in questions]


def asked_questions(schemas, source_language=None, core_label=None):
    """The snapshot entries, each with ``"value": None``, for the editor's
    questions of the form (values come from ``with_values``, see
    ``fields.stored_value``).

    ``schemas`` maps language codes to the ``schema.FormSchema`` of the
    form in that language (the source and its translations; the same
    identifiers and choice values in each). The order and the questions are
    the source language's (``source_language``, default the site's
    ``LANGUAGE_CODE``); a question without a value is stored with ``None``.

    With ``core_label`` (a function of a core question's key and a language
    code giving its wording in code), the core questions are kept too, where
    they were asked, with ``"type": "core"`` and no value (their answers are
    the application's columns): the editor's wording, else ``core_label``'s.
    """
    source_language = source_language or settings.LANGUAGE_CODE
    source = schemas.get(source_language) or next(iter(schemas.values()))
    entries = []
    for step in source.steps:
        for question in step.questions:
            if question.is_core and core_label is None:
                continue

            def pick_label(form_schema, identifier=question.id):
                found = form_schema.question(identifier) if form_schema else None
                return found.label if found else ""

            def pick_step(form_schema, step_id=step.id):
                for candidate in form_schema.steps if form_schema else ():
                    if candidate.id == step_id:
                        return candidate.title
                return ""

            choices = []
            for choice in question.choices:

                def pick_choice(
                    form_schema, identifier=question.id, value=choice.value
                ):
                    found = form_schema.question(identifier) if form_schema else None
                    return (found.choice_label(value) or "") if found else ""

                choices.append(
                    {
                        "value": choice.value,
                        "label": _texts(schemas, pick_choice, source_language),
                    }
                )
            labels = _texts(schemas, pick_label, source_language)
            if question.is_core:
                labels = {
                    code: (
                        pick_label(schemas.get(code))
                        or str(core_label(question.id, code))
                    )
                    for code, _name in settings.LANGUAGES
                }
            entries.append(
                {
                    "id": question.id,
                    "type": question.type,
                    "label": labels,
                    "choices": choices,
                    "value": None,
                    "step": _texts(schemas, pick_step, source_language),
                }
            )
    return entries


def text_in(texts, language):
    """The text of ``texts`` (``{language: text}``) in ``language``, else in
    the site's default language, else any."""
    if not isinstance(texts, dict):
        return str(texts or "")
    for code in (language, settings.LANGUAGE_CODE):
        if texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")


def _choice_text(entry, value, language):
    for choice in entry.get("choices") or []:
        if choice.get("value") == value:
            return text_in(choice.get("label"), language)
    return str(value)


def is_answered(value):
    """Whether a stored value holds an answer (False counts for yes/no)."""
    return value not in (None, "", [], {})


def answer_text(entry, language):
    """The answer of a snapshot ``entry`` as text in ``language``: a
    choice by its label as asked, yes/no, a date and a number in the
    language's format, "Not given" when there is none."""
    value = entry.get("value")
    with translation.override(language):
        if not is_answered(value):
            return gettext("Not given")
        kind = entry.get("type")
        if kind == schema.YES_NO or isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if kind == schema.SINGLE_CHOICE:
            return _choice_text(entry, value, language)
        if kind == schema.MULTIPLE_CHOICE:
            values = value if isinstance(value, list) else [value]
            return ", ".join(_choice_text(entry, item, language) for item in values)
        if kind == schema.DATE:
            try:
                day = datetime.date.fromisoformat(value)
            except (TypeError, ValueError):
                return str(value)
            return formats.date_format(day, "DATE_FORMAT")
        if kind == schema.NUMBER:
            try:
                return formats.number_format(Decimal(value), use_l10n=True)
            except (InvalidOperation, TypeError, ValueError):
                return str(value)
        return str(value)


def question_text(entry, language):
    """The question of a snapshot ``entry`` as it was asked, in
    ``language``."""
    return text_in(entry.get("label"), language)


def describe_snapshot(entries, language, core_text=None):
    """The snapshot as ``[(step title, [(question, answer text)…])…]`` in
    ``language``, steps in the order they were asked. Core questions are
    shown with ``core_text(key)`` as their answer, or left out without it."""
    sections = []
    for entry in entries or []:
        title = text_in(entry.get("step"), language)
        if entry.get("type") == schema.CORE:
            if core_text is None:
                continue
            answer = core_text(entry.get("id"))
        else:
            answer = answer_text(entry, language)
        row = (question_text(entry, language), answer)
        if sections and sections[-1][0] == title:
            sections[-1][1].append(row)
        else:
            sections.append((title, [row]))
    return sections


def answered_identifiers(entries):
    """The identifiers of the snapshot's questions that hold an answer."""
    return {
        entry.get("id") for entry in entries or [] if is_answered(entry.get("value"))
    }


def values_of(entries):
    """``{identifier: stored value}`` of a snapshot."""
    return {entry.get("id"): entry.get("value") for entry in entries or []}
