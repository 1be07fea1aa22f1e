"""A round without an application form (neither its own nor its
programme's) asks the seed's default form, ``questions.defaults``: its
steps, wording, help texts and rules, in Norwegian and in English. The
default form is the only place those questions are worded."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape

from mentoring_cms.models import (
    Application,
    ApplicationForm,
    ProgramPage,
    ProgramRoundPage,
)
from mentoring_cms.questions import defaults
from mentoring_cms.questions.core import question_label
from mentoring_cms.step_forms import default_form_state

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    consent_fields,
    mentee_answers,
    mentor_answers,
    post_step,
    translate_page,
    walk,
)

pytestmark = pytest.mark.django_db

ANSWERS = {"mentee": mentee_answers, "mentor": mentor_answers}
MACHINERY = ("website", "notice_version")


@pytest.fixture
def formless_round(open_round):
    """The open round, in Norwegian and English, with every application
    form deleted."""
    english = translate_page(open_round, "en", title="Round")
    ProgramPage.objects.update(default_mentee_form=None, default_mentor_form=None)
    ProgramRoundPage.objects.update(mentee_form=None, mentor_form=None)
    ApplicationForm.objects.all().delete()
    cache.clear()
    return {"nb": open_round, "en": english}


@pytest.fixture
def fresh_default_form():
    """The default form read again from ``questions.defaults`` (before and
    after a test that changes it)."""
    default_form_state.cache_clear()
    yield
    default_form_state.cache_clear()


def expected_steps(role, language):
    """(step name, title, [(field, label, help text)…]) of the default form
    of ``role`` in ``language``, read from its raw StreamField JSON; a core
    question without its own label keeps its wording in code."""
    steps = []
    for block in defaults.default_body(role, language):
        questions = []
        for child in block["value"]["questions"]:
            value = child["value"]
            if child["type"] == "core":
                key = value["question"]
                label = value["label"] or question_label(role, key, language)
                questions.append((key, label, None))
            else:
                questions.append(
                    (value["identifier"], value["label"], value["help_text"])
                )
        name = block["id"].removeprefix(f"{role}-")
        steps.append((name, block["value"]["title"], questions))
    return steps


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_a_round_without_any_form_asks_the_default_form(
    formless_round, faculty, role, language
):
    assert not ApplicationForm.objects.exists()
    programme_round = formless_round[language]
    client = Client()
    expected = {
        name: (title, questions)
        for name, title, questions in expected_steps(role, language)
    }
    response = client.get(apply_url(programme_round, role, "about"))
    assert response.status_code == 200
    names = [step["name"] for step in response.context["step_list"]]
    default_names = list(expected)
    assert default_names[-1] == "consent"
    assert names == [*default_names[:-1], "matching", "consent", "review"]

    answers = ANSWERS[role](faculty)
    for name in names[:-1]:
        fields = answers[name]
        if name in expected:
            title, questions = expected[name]
            shown = client.get(apply_url(programme_round, role, name))
            assert shown.status_code == 200, name
            assert shown.context["step_title"] == title
            form = shown.context["form"]
            labels = [
                (field, str(form.fields[field].label))
                for field in form.fields
                if field not in MACHINERY
            ]
            assert labels == [(key, label) for key, label, _help in questions]
            html = shown.content.decode()
            for key, label, help_text in questions:
                assert escape(label) in html, key
                if help_text is not None:
                    assert str(form.fields[key].help_text) == help_text, key
                    assert escape(help_text) in html, key
        if name == "consent":
            fields = consent_fields(client, programme_round, role, fields)
        posted = post_step(client, programme_round, role, name, fields)
        assert posted.status_code == 302, (name, posted.context["form"].errors)
    response = post_step(client, programme_round, role, "review", {})
    assert response.status_code == 302
    assert f"/apply/{role}/done/" in response["Location"]

    application = Application.objects.get()
    assert application.role == role
    assert application.answers["form_language"] == language
    # The questions as they were asked are kept with the answers, as for an
    # editor's form; the default form has no translation key to record.
    assert application.form_translation_key is None
    snapshot_ids = {entry["id"] for entry in application.answer_snapshot}
    asked = {key for _title, questions in expected.values() for key, *_ in questions}
    assert asked <= snapshot_ids
    labels = {
        key: label
        for _title, questions in expected.values()
        for key, label, _help in questions
    }
    for entry in application.answer_snapshot:
        if entry["id"] in labels:
            assert entry["label"][language] == labels[entry["id"]], entry["id"]
    editor_questions = [
        (name, key)
        for name, (_title, questions) in expected.items()
        for key, _label, help_text in questions
        if help_text is not None
    ]
    assert editor_questions
    for name, key in editor_questions:
        assert application.answers[key] == answers[name][key], key


@pytest.mark.parametrize(
    ("language", "wording"), [("nb", "Hvorfor søker du?"), ("en", "Why apply?")]
)
def test_rewording_the_default_form_rewords_the_wizard(
    formless_round, faculty, fresh_default_form, monkeypatch, language, wording
):
    """Reworded in ``questions.defaults`` alone, a question reads the new way
    in the wizard of a round without a form: there is no other copy of it."""
    kind, _label, help_text, required, extra = defaults.QUESTIONS["motivation"]
    reworded = ("Hvorfor søker du?", "Why apply?")
    monkeypatch.setitem(
        defaults.QUESTIONS, "motivation", (kind, reworded, help_text, required, extra)
    )
    default_form_state.cache_clear()
    programme_round = formless_round[language]
    client = Client()
    walk(client, programme_round, "mentee", mentee_answers(faculty), until="promotion")
    response = client.get(apply_url(programme_round, "mentee", "motivation"))
    assert response.status_code == 200
    assert str(response.context["form"].fields["motivation"].label) == wording
    assert escape(wording) in response.content.decode()


@pytest.mark.parametrize(("language", "active"), [("nb", "en"), ("en", "nb")])
def test_a_step_list_speaks_its_pages_language_whatever_is_active(
    language, active, monkeypatch
):
    """The editor's questions are fields of the step classes, built once
    per form and language: built while another language is active (an
    admin request, the module's import), their messages are still in the
    language of the page the list is for."""
    from django.utils import translation

    from mentoring_cms import step_forms

    monkeypatch.setattr(step_forms, "_STEP_LISTS", {})
    with translation.override(active):
        steps = dict(step_forms.default_step_list("mentee", language))
    required = {
        "nb": {"Svar på dette spørsmålet.", "Velg et svar."},
        "en": {"Answer this question.", "Choose an answer."},
    }[language]
    editor_fields = [
        form_class.base_fields[question.id]
        for form_class in steps.values()
        for question in getattr(form_class, "questions", ())
        if not question.is_core
    ]
    assert editor_fields
    for field in editor_fields:
        assert str(field.error_messages["required"]) in required
