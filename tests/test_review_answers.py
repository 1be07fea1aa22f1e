"""HR sees an application's answers as the applicant gave them, labelled by
the step forms themselves: applications made through the real wizards."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from mentoring_cms.forms import ReviewForm
from mentoring_cms.models import Application
from mentoring_cms.step_forms import default_step_list

from .application_helpers import (  # noqa: F401
    clear_rate_limits,
    make_faculty_pair,
    mentee_answers,
    mentor_answers,
    walk,
)
from .utils import make_application, set_admin_language

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>fet</b>'


@pytest.fixture
def faculties():
    return make_faculty_pair(
        "Fakultet for naturvitenskap", "Faculty of Natural Sciences"
    )


def apply(programme_round, role, answers, capture):
    applicant = Client()
    with capture(execute=True):
        walk(applicant, programme_round, role, answers)  # up to Submit
    return Application.objects.get(role=role)


def detail_html(client, application):
    url = reverse("mentoring_applications:edit", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def answer_labels(role, language):
    """Every label the steps of the default form of ``role`` show, in
    ``language``."""
    with override(language):
        labels = []
        for _name, form_class in default_step_list(role, language):
            if form_class is ReviewForm:
                continue
            form = form_class(role=role)
            labels.append(str(form.title))
            labels += [
                str(field.label)
                for name, field in form.fields.items()
                if name not in ("website", "notice_version")
            ]
        return labels


@pytest.fixture
def mentee_application(open_round, faculties, django_capture_on_commit_callbacks):
    faculty_nb, _faculty_en = faculties
    answers = mentee_answers(
        faculty_nb,
        motivation={"motivation": SCRIPT, "justification": "Tiden er inne & nå."},
    )
    return apply(open_round, "mentee", answers, django_capture_on_commit_callbacks)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nb",
            [
                "Om deg",
                "Kari Nordmann",
                "kari.nordmann@example.org",
                "Norsk bokmål",
                "Stilling",
                "Førsteamanuensis",
                "Fakultet for naturvitenskap",
                "Institutt for kjemi",
                "Hvilket opprykk arbeider du mot?",
                "Jeg er godt i gang",
                "Om ett til to år",
                "Tre av fem artikler er publisert.",
                "Hvorfor vil du delta?",
                escape(SCRIPT),
                escape("Tiden er inne & nå."),
                "Råd om søknaden.",
                "Jeg vil delta på alle samlingene i runden.",
            ],
        ),
        (
            "en",
            [
                "About you",
                "Kari Nordmann",
                "Norsk bokmål",
                "Position",
                "Associate professor",
                "Faculty of Natural Sciences",
                "Which promotion are you working towards?",
                "I am well under way",
                "In one to two years",
                "Why do you want to take part?",
                escape(SCRIPT),
                "What do you hope to get from a mentor?",
                "I will attend all the gatherings of the round.",
            ],
        ),
    ],
)
def test_mentee_answers_in_step_order_in_the_reviewers_language(
    hr_client, hr_user, mentee_application, language, expected
):
    set_admin_language(hr_user, language)
    html = detail_html(hr_client, mentee_application)
    answers = html[html.index('id="answers"') : html.index('id="decision"')]
    positions = [answers.find(text) for text in expected]
    assert -1 not in positions, [
        t for t, p in zip(expected, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions)
    for label in answer_labels("mentee", language):
        assert escape(label) in html, label
    # Stored values never show raw: choices are shown by their labels.
    for raw in ("under_way", "1_2_years", "associate_professor"):
        assert raw not in html
    assert SCRIPT not in html
    assert "Other answers" not in html and "Andre svar" not in html


def test_mentor_applying_in_english_reads_in_norwegian_for_hr(
    hr_client,
    hr_user,
    open_round,
    faculties,
    django_capture_on_commit_callbacks,
):
    faculty_nb, _faculty_en = faculties
    answers = mentor_answers(faculty_nb, experience={"offer": SCRIPT})
    application = apply(
        open_round, "mentor", answers, django_capture_on_commit_callbacks
    )
    set_admin_language(hr_user, "nb")
    html = detail_html(hr_client, application)
    for label in answer_labels("mentor", "nb"):
        assert escape(label) in html, label
    for text in (
        "Professor",
        "Har du vært mentor før?",
        "Mentor for PhD candidates.",
        "Hva kan du tilby en adept?",
        escape(SCRIPT),
        "Ikke oppgitt",  # the optional academic field left empty
        "English",  # the language of the form
    ):
        assert text in html, text
    assert SCRIPT not in html
    # No mentee-only question is shown for a mentor.
    assert "Hvilket opprykk arbeider du mot?" not in html


def test_answers_no_form_knows_are_still_shown_escaped(
    hr_client, hr_user, open_round, faculty
):
    application = make_application(
        round=open_round,
        faculty=faculty,
        answers={
            "motivation": "Fordi.",
            "imported_comment": SCRIPT,
            "form_language": "nb",
        },
    )
    set_admin_language(hr_user, "nb")
    html = detail_html(hr_client, application)
    assert html.index("Hvorfor vil du delta?") < html.index("Fordi.")
    assert html.index("Fordi.") < html.index("Andre svar")
    assert "Imported comment" in html
    assert escape(SCRIPT) in html
    assert SCRIPT not in html
    # The language of the form is shown as such, not as an unknown answer.
    assert "Form language" not in html
