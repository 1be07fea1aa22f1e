"""Every question type enforces its rules on the server, in the applicant's
language."""

import pytest
from django import forms
from django.utils import translation

from mentoring_cms.questions import fields, schema
from mentoring_cms.questions.schema import Choice, Question


def ask(question, data):
    """Validate ``data`` (the posted value) for ``question``; (cleaned or
    None, errors)."""
    form = forms.Form(data={question.id: data} if data is not None else {})
    form.fields[question.id] = fields.form_field(question)
    if form.is_valid():
        return form.cleaned_data[question.id], []
    return None, form.errors[question.id]


def q(kind, **kwargs):
    kwargs.setdefault("label", "Spørsmål")
    return Question(id="answer", type=kind, **kwargs)


CHOICES = (Choice("a1", "Alfa"), Choice("b2", "Beta"))


@pytest.mark.parametrize(
    "question",
    [
        q("short_text"),
        q("long_text", limit=100),
        q("single_choice", choices=CHOICES),
        q("multiple_choice", choices=CHOICES),
        q("yes_no"),
        q("date"),
        q("number"),
        q("url"),
    ],
)
def test_a_required_question_must_be_answered(question):
    with translation.override("en"):
        cleaned, errors = ask(question, "")
    assert errors and cleaned is None


def test_an_optional_question_may_be_left_empty():
    cleaned, errors = ask(q("short_text", required=False), "")
    assert (cleaned, errors) == ("", [])


def test_the_required_message_is_in_the_applicants_language():
    with translation.override("nb"):
        _cleaned, errors = ask(q("short_text"), "")
    assert errors == ["Svar på dette spørsmålet."]


def test_character_limit():
    question = q("long_text", limit=10, limit_unit="characters")
    assert ask(question, "x" * 10) == ("x" * 10, [])
    with translation.override("en"):
        _cleaned, errors = ask(question, "x" * 11)
    assert errors == ["Write at most 10 characters (you wrote 11)."]


def test_word_limit():
    question = q("long_text", limit=3, limit_unit="words")
    assert ask(question, "en to  tre\n")[1] == []
    with translation.override("en"):
        _cleaned, errors = ask(question, "en to tre fire")
    assert errors == ["Write at most 3 words (you wrote 4)."]


def test_a_short_text_is_one_line_without_control_characters():
    _cleaned, errors = ask(q("short_text"), "a\u202eb")
    assert errors
    _cleaned, errors = ask(q("long_text", limit=50), "a\nb")
    assert errors == []


def test_html_is_kept_as_text():
    assert ask(q("short_text"), "<b>fet</b>") == ("<b>fet</b>", [])


def test_a_choice_that_was_not_offered_is_refused():
    with translation.override("en"):
        assert ask(q("single_choice", choices=CHOICES), "zz")[1] == [
            "Choose one of the answers offered."
        ]
    form = forms.Form(data={"answer": ["a1", "zz"]})
    form.fields["answer"] = fields.form_field(q("multiple_choice", choices=CHOICES))
    assert not form.is_valid()
    assert ask(q("single_choice", choices=CHOICES), "b2") == ("b2", [])


@pytest.mark.parametrize(
    "kind,value", [("date", "31.12.2026"), ("date", "2026-02-30"), ("number", "tolv")]
)
def test_malformed_dates_and_numbers_are_refused(kind, value):
    assert ask(q(kind), value)[1]


def test_malformed_url_is_refused_and_a_bare_domain_gets_https():
    assert ask(q("url"), "not a url")[1]
    assert ask(q("url"), "example.org")[0] == "https://example.org"


def test_number_bounds():
    question = q("number", min_value=1, max_value=10)
    assert ask(question, "11")[1]
    assert ask(question, "0")[1]
    assert ask(question, "3.5")[1] == []


@pytest.mark.parametrize(
    "kind,cleaned,stored",
    [
        ("yes_no", "yes", True),
        ("yes_no", "no", False),
        ("yes_no", "", None),
        ("multiple_choice", ["a1"], ["a1"]),
        ("number", __import__("decimal").Decimal("3.500000"), "3.5"),
        ("date", __import__("datetime").date(2026, 9, 1), "2026-09-01"),
        ("short_text", "tekst", "tekst"),
    ],
)
def test_stored_values_and_back(kind, cleaned, stored):
    question = q(kind, choices=CHOICES)
    assert fields.stored_value(question, cleaned) == stored
    if kind == "yes_no":
        assert fields.initial_value(question, stored) == cleaned


def test_core_questions_have_no_editor_field():
    with pytest.raises(ValueError):
        fields.form_field(Question(id="email", type=schema.CORE))
