"""Django form fields for the questions editors own, with their rules.

``form_field(question)`` builds the field of one ``schema.Question`` in the
active language (the wizard activates the applicant's); every rule is
enforced on the server with a message in that language: an answer that is
required, a text over its limit of characters or words, a choice that was
not offered, a malformed date, number or web address, control characters
in text. Text is kept as typed (HTML too) and escaped where it is shown.

``stored_value(question, cleaned)`` turns a cleaned value into what the
snapshot keeps (see ``snapshot``); ``initial_value(question, stored)`` the
way back, for a step shown again.
"""

import datetime
import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from . import schema

YES, NO = "yes", "no"
URL_MAX_LENGTH = 500
LONG_TEXT_ROWS = 6
WORD = re.compile(r"\S+")


def refuse_control_characters(value, multiline=False):
    """Refuse control characters (category Cc, except line breaks and tabs
    in ``multiline`` text), lone surrogates and direction overrides and
    isolates, which can disguise what a text says."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for char in value:
        if (char not in allowed and unicodedata.category(char) in ("Cc", "Cs")) or (
            "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"
        ):
            raise ValidationError(
                gettext("Remove the control characters from this text."),
                code="control_characters",
            )


def single_line(value):
    refuse_control_characters(value, multiline=False)


def multi_line(value):
    refuse_control_characters(value, multiline=True)


def count_words(text):
    """The number of words of ``text``: runs of characters between spaces."""
    return len(WORD.findall(text or ""))


class WordLimitValidator:
    """Refuses a text of more than ``limit`` words."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        words = count_words(value)
        if words > self.limit:
            raise ValidationError(
                ngettext(
                    "Write at most %(limit)s word (you wrote %(count)s).",
                    "Write at most %(limit)s words (you wrote %(count)s).",
                    self.limit,
                )
                % {"limit": self.limit, "count": words},
                code="too_many_words",
            )


def _messages(question):
    messages = {"required": gettext("Answer this question.")}
    if question.type in schema.CHOICE_TYPES or question.type == schema.YES_NO:
        messages["invalid_choice"] = gettext("Choose one of the answers offered.")
        messages["required"] = gettext("Choose an answer.")
    if question.type == schema.DATE:
        messages["invalid"] = gettext("Enter a date as YYYY-MM-DD, e.g. 2026-09-01.")
    elif question.type == schema.NUMBER:
        messages["invalid"] = gettext("Enter a number, e.g. 12 or 3.5.")
        messages["max_digits"] = messages["invalid"]
        messages["max_decimal_places"] = messages["invalid"]
        messages["max_whole_digits"] = messages["invalid"]
    elif question.type == schema.URL:
        messages["invalid"] = gettext(
            "Enter a complete web address, e.g. https://www.example.org/."
        )
    if question.type in (schema.SHORT_TEXT, schema.LONG_TEXT, schema.URL):
        messages["max_length"] = gettext(
            "Write at most %(limit_value)d characters (you wrote %(show_value)d)."
        )
    return messages


def _character_limit(question):
    if question.type == schema.SHORT_TEXT:
        return min(question.limit or schema.SHORT_TEXT_MAX_LENGTH, 255)
    if question.type == schema.LONG_TEXT and question.limit_unit == schema.CHARACTERS:
        return question.limit
    return None


def form_field(question):
    """The form field asking ``question`` (an editor's ``schema.Question``,
    not a core one), labelled in the form's language."""
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": _messages(question),
    }
    kind = question.type
    if kind == schema.SHORT_TEXT:
        limit = _character_limit(question)
        return forms.CharField(
            max_length=limit,
            validators=[single_line],
            widget=forms.TextInput(attrs={"maxlength": limit}),
            **common,
        )
    if kind == schema.LONG_TEXT:
        limit = _character_limit(question)
        attrs = {"rows": LONG_TEXT_ROWS}
        validators = [multi_line]
        if limit:
            attrs["maxlength"] = limit
        else:
            validators.append(WordLimitValidator(question.limit or 0))
        return forms.CharField(
            max_length=limit,
            validators=validators,
            widget=forms.Textarea(attrs=attrs),
            **common,
        )
    if kind == schema.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c.value, c.label) for c in question.choices],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == schema.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == schema.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, gettext("Yes")), (NO, gettext("No"))],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == schema.DATE:
        return forms.DateField(
            input_formats=["%Y-%m-%d"],
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **common,
        )
    if kind == schema.NUMBER:
        return forms.DecimalField(
            max_digits=18,
            decimal_places=6,
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.NumberInput(attrs={"step": "any"}),
            **common,
        )
    if kind == schema.URL:
        return forms.URLField(
            max_length=URL_MAX_LENGTH,
            assume_scheme="https",
            validators=[single_line],
            widget=forms.URLInput(attrs={"maxlength": URL_MAX_LENGTH}),
            **common,
        )
    raise ValueError(f"No form field for questions of type {kind!r}.")


def stored_value(question, cleaned):
    """What the snapshot keeps of a cleaned answer: text as typed (``""``
    when not given), a choice's value, a list of choice values, True/False
    (None when a yes/no was not answered), a date as ``YYYY-MM-DD``, a
    number as its decimal text (``"3.5"``), a web address."""
    kind = question.type
    if kind == schema.YES_NO:
        return {YES: True, NO: False}.get(cleaned)
    if kind == schema.MULTIPLE_CHOICE:
        return [str(value) for value in cleaned or []]
    if kind == schema.DATE:
        return cleaned.isoformat() if isinstance(cleaned, datetime.date) else None
    if kind == schema.NUMBER:
        if cleaned is None:
            return None
        text = format(Decimal(cleaned).normalize(), "f")
        return text
    return cleaned if cleaned is not None else ""


def initial_value(question, stored):
    """The field's value for a stored answer (the inverse of
    ``stored_value``)."""
    if question.type == schema.YES_NO:
        return {True: YES, False: NO}.get(stored, "")
    return stored
