"""The wizard asks the round's form: its steps, its questions and their
rules, with a query count that does not grow with the questions."""

import copy

import pytest
from django.core.cache import cache
from django.test import Client

from mentoring_cms.models import Application
from mentoring_cms.questions import defaults

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    consent_fields,
    mentee_answers,
    post_step,
    walk,
)
from .questions_helpers import question, step
from .utils import make_application_form

pytestmark = pytest.mark.django_db


def body_with(count):
    """The default mentee form with a step of ``count`` optional questions
    of every type instead of the motivation step."""
    kinds = ["short_text", "long_text", "single_choice", "yes_no", "date"]
    body = [
        s
        for s in copy.deepcopy(defaults.default_body("mentee"))
        if s["id"] != "mentee-motivation"
    ]
    questions = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        extra = {"choices": ["A", "B"]} if kind == "single_choice" else {}
        questions.append(
            question(kind, f"q{index}", f"Spørsmål {index}", required=False, **extra)
        )
    body.insert(3, step("Mange", *questions, step_id="mentee-many"))
    return body


def answers_for(faculty, email):
    answers = mentee_answers(faculty, about={"email": email})
    del answers["motivation"]
    answers = {
        **{
            k: v
            for k, v in answers.items()
            if k not in ("matching", "consent", "review")
        },
        "many": {"q0": "svar", "q2": "c1", "q3": "yes", "q4": "2026-09-01"},
        "matching": answers["matching"],
        "consent": answers["consent"],
        "review": {},
    }
    return answers


def walk_counting(assert_max_num_queries, programme_round, faculty, email):
    client = Client()
    cache.clear()
    counts = []

    def counted(send):
        with assert_max_num_queries(12) as captured:
            response = send()
        counts.append(len(captured))
        return response

    for name, fields in answers_for(faculty, email).items():
        response = counted(
            lambda: client.get(apply_url(programme_round, "mentee", name))  # noqa: B023
        )
        assert response.status_code in (200, 302)
        if name == "consent":
            fields = consent_fields(client, programme_round, "mentee", fields)
        response = counted(
            lambda: post_step(client, programme_round, "mentee", name, fields)  # noqa: B023
        )
        assert response.status_code == 302, response.context["form"].errors
    return counts


def test_a_steps_query_count_is_the_same_with_5_and_with_50_questions(
    open_round, faculty, django_assert_max_num_queries
):
    open_round.mentee_form = make_application_form(body=body_with(5), translate=False)
    open_round.save()
    few = walk_counting(
        django_assert_max_num_queries, open_round, faculty, "a@example.org"
    )
    open_round.mentee_form = make_application_form(body=body_with(50), translate=False)
    open_round.save()
    many = walk_counting(
        django_assert_max_num_queries, open_round, faculty, "b@example.org"
    )
    assert few == many
    application = Application.objects.get(email="b@example.org")
    entries = {e["id"]: e for e in application.answer_snapshot}
    assert len([e for e in entries.values() if e["type"] != "core"]) == 50 + 4
    assert entries["q3"]["value"] is True
    assert entries["q4"]["value"] == "2026-09-01"
    assert entries["q2"]["value"] == "c1"
    assert application.answers["q0"] == "svar"


def test_the_review_step_shows_the_editors_answers(client, open_round, faculty):
    open_round.mentee_form = make_application_form(body=body_with(5), translate=False)
    open_round.save()
    answers = answers_for(faculty, "c@example.org")
    walk(client, open_round, "mentee", answers, until="consent")
    html = client.get(apply_url(open_round, "mentee", "review")).content.decode()
    for text in ("Mange", "Spørsmål 3", "Ja", "Spørsmål 2", "svar"):
        assert text in html


def test_yes_no_answers_keep_their_form_value_in_the_answers(
    client, open_round, faculty
):
    open_round.mentee_form = make_application_form(body=body_with(5), translate=False)
    open_round.save()
    walk(client, open_round, "mentee", answers_for(faculty, "d@example.org"))
    application = Application.objects.get(email="d@example.org")
    assert application.answers["q3"] == "yes"
    assert {e["id"]: e for e in application.answer_snapshot}["q3"]["value"] is True


def test_editor_steps_keep_their_address_and_answers_when_reordered(
    client, open_round, faculty
):
    """An editor's steps are named after their block's id, not their place:
    reordering steps while someone is applying keeps her answers."""
    first = step(
        "Bakgrunn",
        question("short_text", "heard_of", "Hvor hørte du om programmet?"),
        step_id="3f2a9c1e-5d7b-4c1a-9e0f-1a2b3c4d5e6f",
    )
    second = step(
        "Ønsker",
        question("short_text", "wish", "Hva ønsker du deg?"),
        step_id="7b1d0e44-aa11-4b2c-8d3e-6f5a4b3c2d1e",
    )
    body = copy.deepcopy(defaults.default_body("mentee"))
    form = make_application_form(
        body=[*body[:4], first, second, *body[4:]], translate=False
    )
    open_round.mentee_form = form
    open_round.save()
    answers = mentee_answers(faculty, about={"email": "flytt@example.org"})
    walk(client, open_round, "mentee", answers, until="motivation")
    response = post_step(
        client, open_round, "mentee", "step-3f2a9c1e", {"heard_of": "Fra dekanen"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/step-7b1d0e44/")

    # The editor swaps the two steps while she is applying.
    form.body = [*body[:4], second, first, *body[4:]]
    form.save()

    response = post_step(
        client, open_round, "mentee", "step-7b1d0e44", {"wish": "En mentor i medisin"}
    )
    assert response.status_code == 302
    for name in ("matching", "consent", "review"):
        fields = answers[name]
        if name == "consent":
            fields = consent_fields(client, open_round, "mentee", fields)
        response = post_step(client, open_round, "mentee", name, fields)
        assert response.status_code == 302, (name, response.status_code)
    application = Application.objects.get(email="flytt@example.org")
    assert application.answers["heard_of"] == "Fra dekanen"
    assert application.answers["wish"] == "En mentor i medisin"


def test_step_names_are_unique_even_when_block_ids_agree_in_their_start():
    from mentoring_cms.questions import schema
    from mentoring_cms.step_forms import steps_for_form

    form_schema = schema.schema_from_raw(
        [
            *defaults.default_body("mentee"),
            step("A", question("short_text", "a"), step_id="abcdefgh-1"),
            step("B", question("short_text", "b"), step_id="abcdefgh-2"),
        ]
    )
    names = [name for name, _form in steps_for_form("mentee", form_schema)]
    assert len(names) == len(set(names))
    assert "step-abcdefgh" in names
