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


def test_a_round_without_a_form_asks_the_code_defined_steps(
    client, programme, open_round, faculty
):
    from mentoring_cms.models import ProgramPage

    ProgramPage.objects.update(default_mentee_form=None)
    cache.clear()
    walk(client, open_round, "mentee", mentee_answers(faculty))
    application = Application.objects.get()
    assert application.answer_snapshot == []
    assert application.answers["motivation"] == "Jeg vil bli professor."


def test_yes_no_answers_keep_their_form_value_in_the_answers(
    client, open_round, faculty
):
    open_round.mentee_form = make_application_form(body=body_with(5), translate=False)
    open_round.save()
    walk(client, open_round, "mentee", answers_for(faculty, "d@example.org"))
    application = Application.objects.get(email="d@example.org")
    assert application.answers["q3"] == "yes"
    assert {e["id"]: e for e in application.answer_snapshot}["q3"]["value"] is True
