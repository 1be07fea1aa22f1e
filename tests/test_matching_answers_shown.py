"""The matching step's answers are questions of the question module: HR's
application page, the exports, the confirmation email and the wizard's
review step show them under their questions, in the reader's language,
with choices by their labels (the topics from the programme's own list),
never under "Other answers" and never as raw keys."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from mentoring_cms.admin.exports import row_formatter
from mentoring_cms.models import Application
from mentoring_cms.models.matching import Track
from mentoring_cms.questions import core
from mentoring_cms.questions.describe import describe_application

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    make_faculty_pair,
    mentee_answers,
    mentor_answers,
    walk,
)
from .test_review_export import by_reference, export_url, read_csv, read_xlsx
from .utils import make_application, set_admin_language

pytestmark = pytest.mark.django_db

OTHER = ("Other answers", "Andre svar")
RAW = (
    "matching_",
    "Matching track",
    "Matching topics",
    "networking",
    "promotion_application",
    "career_choices",
)
LANGUAGES = ("nb", "en")


@pytest.fixture
def faculties():
    science = make_faculty_pair(
        "Fakultet for naturvitenskap", "Faculty of Natural Sciences"
    )
    law = make_faculty_pair("Det juridiske fakultet", "Faculty of Law")
    return science, law


@pytest.fixture
def lab_topic(programme):
    """A topic of the programme's own list (block id as its key)."""
    programme.matching_topics = [
        ("topic", "Laboratorieledelse"),
        ("topic", "Nettverksbygging i laboratoriet"),
    ]
    programme.save_revision().publish()
    programme.refresh_from_db()
    return programme.matching_topics[0].id


@pytest.fixture
def applied(open_round, faculties, lab_topic, django_capture_on_commit_callbacks):
    """A mentee (in Norwegian) and a mentor (in English) who answered every
    question of the matching step, through the real wizards."""
    (science, _science_en), (law, _law_en) = faculties
    matching = {
        "matching_track": "dosent",
        "matching_topics": [lab_topic],
        "matching_languages": ["nb", "en"],
        "matching_avoid_faculties": [str(law.pk)],
        "matching_avoid_departments": "Institutt for fysikk",
        "matching_wishes": "Gjerne fra humaniora.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        walk(
            Client(),
            open_round,
            "mentee",
            # A mentee's track is her promotion target (asked once).
            mentee_answers(
                science,
                matching=matching,
                promotion={
                    "promotion_target": "dosent",
                    "promotion_progress": "under_way",
                    "planned_application": "1_2_years",
                    "progress_summary": "Tre av fem artikler er publisert.",
                },
            ),
        )
        walk(
            Client(),
            open_round,
            "mentor",
            mentor_answers(science, matching=matching),
        )
    return {role: Application.objects.get(role=role) for role in ("mentee", "mentor")}


EXPECTED = {
    "nb": {
        "mentee": [
            "Hvilket opprykk sikter du mot?",
            "Dosent",
            "Temaer du ønsker hjelp med",
            "Laboratorieledelse",
            "Norsk bokmål, English",
            "Det juridiske fakultet",
            "Institutt for fysikk",
            "Gjerne fra humaniora.",
        ],
        "mentor": [
            "Hvilket opprykk har du fått?",
            "Temaer du kan hjelpe med",
            "Laboratorieledelse",
            "Det juridiske fakultet",
        ],
    },
    "en": {
        "mentee": [
            "Which promotion are you aiming for?",
            "Docent",
            "Topics you want help with",
            "Laboratorieledelse",
            "Faculty of Law",
            "Wishes for your mentor (optional)",
        ],
        "mentor": [
            "Which promotion have you made?",
            "Topics you can help with",
            "Faculty of Law",
            "Wishes for your mentee (optional)",
        ],
    },
}


def assert_shown(text, expected):
    for wanted in expected:
        assert wanted in text, wanted
    for raw in RAW:
        assert raw not in text, raw
    for other in OTHER:
        assert other not in text, other


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_hrs_application_page_shows_the_matching_answers_in_the_reviewers_language(
    hr_client, hr_user, applied, language, role
):
    set_admin_language(hr_user, language)
    application = applied[role]
    url = reverse("mentoring_applications:edit", args=[application.pk])
    html = hr_client.get(url).content.decode()
    answers = html[html.index('id="answers"') : html.index('id="decision"')]
    expected = EXPECTED[language][role]
    assert_shown(answers, expected)
    # The matching answers come after the form's own steps, in a section of
    # their own.
    assert answers.index(expected[0]) > answers.index(
        "Institutt for kjemi" if role == "mentee" else "Department of Physics"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_exports_have_a_column_for_each_matching_question(
    hr_client, hr_user, applied, language, fmt
):
    set_admin_language(hr_user, language)
    response = hr_client.get(export_url(fmt))
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    header, by_ref = by_reference(rows)
    with override(language):
        headings = {
            name: str(core.QUESTIONS[name].column_heading())
            for name in core.MATCHING_STEP.questions
        }
        other = str(core.gettext("Other answers"))
    law = "Det juridiske fakultet" if language == "nb" else "Faculty of Law"
    docent = "Dosent" if language == "nb" else "Docent"
    languages = "Norsk bokmål, English"
    for application in applied.values():
        row = by_ref[application.reference]
        assert row[headings["matching_track"]] == docent
        assert row[headings["matching_topics"]] == "Laboratorieledelse"
        assert row[headings["matching_languages"]] == languages
        assert row[headings["matching_avoid_faculties"]] == law
        assert row[headings["matching_avoid_departments"]] == "Institutt for fysikk"
        assert row[headings["matching_wishes"]] == "Gjerne fra humaniora."
        assert row[other] == "", row[other]
    assert headings["matching_topics"] in header


def test_the_confirmation_email_shows_the_matching_answers_in_the_applicants_language(
    applied, mailoutbox
):
    bodies = {message.to[0]: message.body for message in mailoutbox}
    mentee_body = bodies[applied["mentee"].email]
    mentor_body = bodies[applied["mentor"].email]
    assert_shown(
        mentee_body,
        ["Temaer du ønsker hjelp med", "Laboratorieledelse", "Det juridiske fakultet"],
    )
    # The mentor applied in English (mentor_answers' correspondence language).
    assert_shown(
        mentor_body,
        ["Topics you can help with", "Laboratorieledelse", "Faculty of Law"],
    )


def test_the_review_step_shows_the_matching_answers_by_their_labels(
    client, open_round, faculties, lab_topic
):
    (science, _en), (law, _law_en) = faculties
    answers = mentee_answers(
        science,
        matching={
            "matching_track": "dosent",
            "matching_topics": [lab_topic],
            "matching_avoid_faculties": [str(law.pk)],
        },
    )
    walk(client, open_round, "mentee", answers, until="consent")
    html = client.get(apply_url(open_round, "mentee", "review")).content.decode()
    assert_shown(html, ["Laboratorieledelse"])
    # A mentee's track is her promotion target: the matching step does not
    # ask for it again (nor show it twice on the review step).
    assert "Hvilket opprykk sikter du mot?" not in html
    assert "Det juridiske fakultet" in html


def every_known_answer(role, faculty):
    """``Application.answers`` holding an answer to every question a step of
    ``role`` keeps there (the default form's and the matching step's)."""
    answers = {"form_language": "nb"}
    for step in (*core.STEPS[role], core.MATCHING_STEP):
        for name in step.questions:
            if name in core.COLUMN_FIELDS or name in core.MACHINERY_FIELDS:
                continue
            question = core.QUESTIONS[name]
            if question.kind == core.CONSENT:
                answers[name] = True
            elif name == "matching_avoid_faculties":
                answers[name] = [str(faculty.pk)]
            elif question.kind in (core.CHOICE, core.MULTIPLE_CHOICE):
                value = question.choices_for(role)[0][0]
                multiple = question.kind == core.MULTIPLE_CHOICE
                answers[name] = [value] if multiple else value
            else:
                answers[name] = "Et svar"
    return answers


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_no_known_answer_of_any_step_falls_under_other_answers(
    open_round, faculty, role, language
):
    """The kind of fault: an answer a step asks for, shown as an unknown
    one. Every key of every step, read by the page and the exports."""
    application = make_application(
        round=open_round,
        role=role,
        faculty=faculty,
        answers=every_known_answer(role, faculty),
    )
    with override(language):
        sections = describe_application(application, [(str(faculty.pk), "F")])
        titles = [str(title) for title, _rows in sections]
        assert not set(titles) & set(OTHER), titles
        texts = " ".join(str(text) for _title, rows in sections for _l, text in rows)
        for raw in ("matching_", "networking", "promotion_application"):
            assert raw not in texts
        row = row_formatter()(
            (
                *(
                    getattr(application, name, "")
                    for name in ("reference", "full_name")
                ),
                *([""] * (len(core.COLUMNS) - 2)),
                application.answers,
                application.answer_snapshot,
            )
        )
        assert row[-1] == "", row[-1]


def test_the_tracks_of_the_question_are_the_matchings():
    assert [value for value, _label in core.TRACK_CHOICES] == Track.values
