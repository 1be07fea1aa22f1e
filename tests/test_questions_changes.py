"""Changes that would orphan answers are refused, naming the question."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mentoring_cms.questions import changes, schema

from .questions_helpers import form_body, question, step


def form(*questions):
    return schema.schema_from_raw(form_body(step("Steg", *questions)))


OLD = form(
    question("long_text", "motivation", "Hvorfor vil du delta?"),
    question("short_text", "hobby", "Hobby", required=False),
)


def test_adding_optional_questions_and_rewording_are_allowed():
    new = form(
        question("long_text", "motivation", "Hva driver deg?"),
        question("short_text", "hobby", "Fritid", required=False),
        question("yes_no", "heard", "Hørt om oss?", required=False),
    )
    assert changes.refused_changes(OLD, new, {"motivation", "hobby"}) == []


def test_removing_an_answered_question_is_refused_by_name():
    new = form(question("short_text", "hobby", "Hobby", required=False))
    with translation.override("en"):
        messages = changes.refused_changes(OLD, new, {"motivation"})
    assert len(messages) == 1
    assert "“Hvorfor vil du delta?” (motivation)" in messages[0]
    assert "cannot be removed" in messages[0]


def test_removing_an_unanswered_question_is_allowed():
    new = form(question("short_text", "hobby", "Hobby", required=False))
    assert changes.refused_changes(OLD, new, {"hobby"}) == []


def test_retyping_an_answered_question_is_refused():
    new = form(
        question("short_text", "motivation", "Hvorfor vil du delta?"),
        question("short_text", "hobby", "Hobby", required=False),
    )
    with pytest.raises(ValidationError) as caught:
        changes.check_changes(OLD, new, {"motivation"})
    assert caught.value.error_list[0].code == "answered_question_changed"


def test_making_an_answered_question_required_is_refused():
    new = form(
        question("long_text", "motivation", "Hvorfor vil du delta?"),
        question("short_text", "hobby", "Hobby", required=True),
    )
    with translation.override("en"):
        messages = changes.refused_changes(OLD, new, {"hobby"})
    assert messages and "cannot be made required" in messages[0]
    # Unanswered, it may become required.
    assert changes.refused_changes(OLD, new, set()) == []
