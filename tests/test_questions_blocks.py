"""The editor's form blocks refuse a form that cannot be asked."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mentoring_cms.questions import blocks, schema

from .questions_helpers import form_body, question, step


def clean(raw):
    block = blocks.ApplicationFormBlock()
    return block.clean(block.to_python(raw))


def error_json(raw):
    with pytest.raises(ValidationError) as caught:
        clean(raw)
    return caught.value.as_json_data()


def test_a_valid_form_cleans_and_reads_as_schema():
    raw = form_body(
        step(
            "Motivasjon",
            question(
                "long_text", "motivation", "Hvorfor?", limit=300, limit_unit="words"
            ),
            question("single_choice", "target", "Mål", choices=["Professor", "Dosent"]),
        )
    )
    value = clean(raw)
    form_schema = schema.schema_of(value)
    assert [s.title for s in form_schema.steps] == ["Om deg", "Motivasjon"]
    motivation = form_schema.question("motivation")
    assert (motivation.type, motivation.limit, motivation.limit_unit) == (
        "long_text",
        300,
        "words",
    )
    assert [c.label for c in form_schema.question("target").choices] == [
        "Professor",
        "Dosent",
    ]
    assert form_schema.question("email").is_core


def test_a_step_without_questions_is_refused():
    data = error_json(form_body(step("Tom")))
    assert "questions" in data["blockErrors"][1]["blockErrors"]


def test_a_step_without_questions_says_so_in_norwegian():
    with translation.override("nb"), pytest.raises(ValidationError) as caught:
        clean(form_body(step("Tom")))
    error = caught.value.block_errors[1].block_errors["questions"]
    assert "minst ett spørsmål" in error.messages[0]


def test_an_identifier_used_twice_in_the_form_is_refused_on_the_second():
    data = error_json(
        form_body(
            step("En", question("short_text", "hobby")),
            step("To", question("yes_no", "hobby")),
        )
    )
    assert list(data["blockErrors"]) == [2]
    field_errors = data["blockErrors"][2]["blockErrors"]["questions"]["blockErrors"][0]
    assert "hobby" in field_errors["blockErrors"]["identifier"]["messages"][0]


def test_a_core_question_placed_twice_is_refused():
    data = error_json(form_body(step("To", question("core", "email"))))
    questions = data["blockErrors"][1]["blockErrors"]["questions"]["blockErrors"]
    assert "question" in questions[0]["blockErrors"]


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_a_choice_question_without_choices_is_refused(kind):
    data = error_json(form_body(step("En", question(kind, "pick", choices=[]))))
    questions = data["blockErrors"][1]["blockErrors"]["questions"]["blockErrors"]
    assert "choices" in questions[0]["blockErrors"]


@pytest.mark.parametrize(
    "kind,limit", [("long_text", 0), ("long_text", -5), ("short_text", 0)]
)
def test_a_limit_of_zero_or_less_is_refused(kind, limit):
    data = error_json(form_body(step("En", question(kind, "text", limit=limit))))
    questions = data["blockErrors"][1]["blockErrors"]["questions"]["blockErrors"]
    assert "limit" in questions[0]["blockErrors"]


def test_a_long_text_needs_a_limit():
    data = error_json(form_body(step("En", question("long_text", "text", limit=None))))
    assert data["blockErrors"][1]


@pytest.mark.parametrize("identifier", ["email", "website", "review"])
def test_an_editor_question_cannot_take_a_reserved_identifier(identifier):
    data = error_json(form_body(step("En", question("short_text", identifier))))
    questions = data["blockErrors"][1]["blockErrors"]["questions"]["blockErrors"]
    assert "identifier" in questions[0]["blockErrors"]


def test_an_identifier_must_be_a_slug():
    data = error_json(form_body(step("En", question("short_text", "to ord"))))
    assert data["blockErrors"][1]


def test_identifiers_are_not_offered_for_translation():
    block = blocks.IdentifierBlock()
    assert block.get_translatable_segments("motivation") == []
    assert block.restore_translated_segments("motivation", []) == "motivation"


def test_missing_and_misplaced_core_questions_by_role():
    everything = list(schema.CORE_QUESTIONS)
    assert schema.missing_core_questions("mentee", everything) == []
    missing = schema.missing_core_questions("mentee", ["full_name"])
    assert "email" in [q.key for q in missing]
    assert "phone" not in [q.key for q in missing]
    assert [q.key for q in schema.core_questions_not_for("mentor", everything)] == [
        "permanently_employed",
        "attachment",
    ]
