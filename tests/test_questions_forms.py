"""Editors own the application forms: snippets, defaults and safe changes."""

import copy
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from mentoring_cms.models import Application, ApplicationForm, ProgramPage
from mentoring_cms.questions import defaults, snapshot
from mentoring_cms.questions.blocks import ApplicationFormBlock

from .questions_helpers import post_data, question
from .utils import get_locale, make_application, make_round, translate_page


def make_form(role="mentee", **kwargs):
    kwargs.setdefault("locale", get_locale("nb"))
    kwargs.setdefault("name", defaults.default_name(role))
    kwargs.setdefault("body", defaults.default_body(role))
    return ApplicationForm.objects.create(role=role, **kwargs)


def translate_form(form):
    translated = form.copy_for_translation(get_locale("en"))
    translated.body = defaults.default_body(form.role, "en")
    translated.name = defaults.default_name(form.role, "en")
    translated.save()
    return translated


def answered(form, programme_round, **values):
    """An application to ``programme_round`` that answered ``form``."""
    return make_application(
        round=programme_round,
        answer_snapshot=snapshot.take_snapshot(form.schemas_by_language(), values),
        form_translation_key=form.translation_key,
    )


def without(raw, identifier):
    raw = copy.deepcopy(raw)
    for step in raw:
        step["value"]["questions"] = [
            q
            for q in step["value"]["questions"]
            if q["value"].get("identifier") != identifier
        ]
    return raw


def reworded(raw, identifier, label):
    raw = copy.deepcopy(raw)
    for step in raw:
        for q in step["value"]["questions"]:
            if q["value"].get("identifier") == identifier:
                q["value"]["label"] = label
    return raw


def edit_url(form):
    return reverse("wagtailsnippets_mentoring_cms_applicationform:edit", args=[form.pk])


def post_form(client, form, raw):
    data = {"name": form.name, "role": form.role}
    data.update(post_data(ApplicationFormBlock(), raw, "body"))
    with translation.override("en"):
        return client.post(edit_url(form), data)


@pytest.fixture
def mentee_form(programme):
    """The programme's default mentee form (the seed's questions, with its
    English translation)."""
    return programme.default_mentee_form


def test_a_round_asks_its_programmes_form_in_its_own_language(
    programme, open_round, mentee_form
):
    assert open_round.application_form_for("mentee") == mentee_form
    assert open_round.application_form_for("mentor").role == "mentor"
    ProgramPage.objects.update(default_mentor_form=None)
    assert open_round.application_form_for("mentor") is None
    translate_page(programme.get_parent())
    translate_page(programme)
    round_en = translate_page(open_round)
    form_en = round_en.application_form_for("mentee")
    assert form_en.locale.language_code == "en"
    assert form_en.translation_key == mentee_form.translation_key
    assert (
        form_en.schema.question("motivation").label == "Why do you want to take part?"
    )


def test_a_round_may_override_the_form_of_a_role(programme, open_round, mentee_form):
    own = make_form(name="Egen runde", body=without(mentee_form.body.raw_data, "offer"))
    open_round.mentee_form = own
    open_round.save()
    assert open_round.application_form_for("mentee") == own


def test_a_page_refuses_a_form_of_the_other_role(programme, open_round):
    programme.default_mentee_form = make_form("mentor")
    with pytest.raises(ValidationError) as caught:
        programme.full_clean()
    assert "default_mentee_form" in caught.value.message_dict


def test_a_form_missing_a_required_core_question_is_refused(db):
    form = make_form(body=without(defaults.default_body("mentee"), "x"))
    form.body = [
        step
        for step in defaults.default_body("mentee")
        if step["id"] != "mentee-consent"
    ]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        form.full_clean()
    error = caught.value.error_dict["body"][0]
    assert "“Privacy notice”" in error.non_block_errors.as_data()[0].message


def test_a_mentor_form_may_not_ask_the_mentee_only_core_questions(db):
    form = make_form("mentor")
    form.role = "mentor"
    form.body = defaults.default_body("mentee")
    with pytest.raises(ValidationError):
        form.full_clean()


def test_the_default_forms_are_valid(db):
    for role in ("mentee", "mentor"):
        make_form(role).full_clean()


def test_removing_an_answered_question_is_refused_in_the_admin(
    superuser, client, programme, open_round, mentee_form
):
    answered(mentee_form, open_round, motivation="Jeg vil bli professor.")
    client.force_login(superuser)
    response = post_form(
        client, mentee_form, without(mentee_form.body.raw_data, "motivation")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["body"].as_data()[0]
    message = errors.non_block_errors.as_data()[0].message
    # In the editor's language (the admin's default, Norwegian).
    assert "“Hvorfor vil du delta?” (motivation)" in message
    assert "kan ikke fjernes" in message
    mentee_form.refresh_from_db()
    assert mentee_form.schema.question("motivation") is not None


def test_removing_a_question_without_answers_is_allowed(
    superuser, client, programme, open_round, mentee_form
):
    answered(mentee_form, open_round, motivation="Jeg vil bli professor.")
    client.force_login(superuser)
    response = post_form(
        client, mentee_form, without(mentee_form.body.raw_data, "justification")
    )
    assert response.status_code == 302
    mentee_form.refresh_from_db()
    assert mentee_form.schema.question("justification") is None


def test_answers_in_a_closed_round_do_not_hold_the_form(
    superuser, client, programme, mentee_form
):
    now = timezone.now()
    closed = make_round(
        programme,
        slug="lukket",
        application_opens=now - timezone.timedelta(days=30),
        application_closes=now - timezone.timedelta(days=1),
    )
    answered(mentee_form, closed, motivation="Jeg vil bli professor.")
    assert mentee_form.answered_identifiers() == set()


def test_rewording_after_submissions_leaves_the_submitted_questions_unchanged(
    superuser, client, programme, open_round, mentee_form
):
    application = answered(mentee_form, open_round, motivation="Jeg vil bli professor.")
    client.force_login(superuser)
    response = post_form(
        client,
        mentee_form,
        reworded(mentee_form.body.raw_data, "motivation", "Hva driver deg?"),
    )
    assert response.status_code == 302
    mentee_form.refresh_from_db()
    assert mentee_form.schema.question("motivation").label == "Hva driver deg?"
    application.refresh_from_db()
    rows = dict(snapshot.describe_snapshot(application.answer_snapshot, "nb"))
    assert ("Hvorfor vil du delta?", "Jeg vil bli professor.") in rows["Motivasjon"]
    rows_en = dict(snapshot.describe_snapshot(application.answer_snapshot, "en"))
    assert ("Why do you want to take part?", "Jeg vil bli professor.") in rows_en[
        "Motivation"
    ]


def test_adding_an_optional_question_while_open_is_allowed(
    superuser, client, programme, open_round, mentee_form
):
    answered(mentee_form, open_round, motivation="Jeg vil bli professor.")
    raw = copy.deepcopy(mentee_form.body.raw_data)
    raw[3]["value"]["questions"].append(
        question(
            "single_choice",
            "heard_of",
            "Hvordan hørte du om programmet?",
            required=False,
            choices=["Kollega", "Nettsiden"],
        )
    )
    client.force_login(superuser)
    assert post_form(client, mentee_form, raw).status_code == 302
    mentee_form.refresh_from_db()
    assert [c.label for c in mentee_form.schema.question("heard_of").choices] == [
        "Kollega",
        "Nettsiden",
    ]


def test_the_migration_gives_existing_programmes_the_seeds_forms(programme):
    # As before migration 0012: programmes without forms, a revision without
    # the fields.
    ProgramPage.objects.update(default_mentee_form=None, default_mentor_form=None)
    ApplicationForm.objects.all().delete()
    programme.refresh_from_db()
    programme.save_revision()
    translate_page(programme.get_parent())
    translate_page(programme)
    mentee = make_application(
        round=make_round(programme),
        answers={"motivation": "Fordi", "promotion_target": "dosent"},
    )
    mentor = make_application(
        role="mentor", email="mentor@example.org", answers={"earlier_mentoring": "yes"}
    )
    migration = importlib.import_module(
        "mentoring_cms.migrations.0012_default_application_forms"
    )
    migration.create_default_forms(django_apps, None)

    assert ApplicationForm.objects.count() == 4
    programme.refresh_from_db()
    form = programme.default_mentee_form
    assert (form.locale.language_code, form.role) == ("nb", "mentee")
    programme_en = ProgramPage.objects.get(locale__language_code="en")
    assert programme_en.default_mentor_form.locale.language_code == "en"
    assert programme.get_latest_revision().content["default_mentee_form"] == form.pk

    mentee.refresh_from_db()
    assert mentee.form_translation_key == form.translation_key
    rows = dict(snapshot.describe_snapshot(mentee.answer_snapshot, "en"))
    assert ("Which promotion are you working towards?", "Docent") in rows[
        "Towards promotion"
    ]
    assert ("Why do you want to take part?", "Fordi") in rows["Motivation"]
    mentor.refresh_from_db()
    entries = {e["id"]: e for e in mentor.answer_snapshot}
    assert entries["earlier_mentoring"]["value"] is True
    assert Application.objects.count() == 2


def test_the_demo_content_gives_new_sites_the_seeds_forms(db):
    from django.core.management import call_command

    call_command("load_demo_content", stdout=__import__("io").StringIO())
    programme = ProgramPage.objects.get(locale__language_code="nb")
    programme_en = ProgramPage.objects.get(locale__language_code="en")
    form = programme.default_mentee_form
    assert form.schema.question("expectations").label == (
        "Hva håper du å få ut av å ha en mentor?"
    )
    form_en = programme_en.default_mentee_form
    assert form_en.translation_key == form.translation_key
    assert form_en.schema.question("expectations").label == (
        "What do you hope to get from a mentor?"
    )
    target = form_en.schema.question("promotion_target")
    assert [c.label for c in target.choices] == ["Professor", "Docent"]
    assert programme_en.default_mentor_form.schema.question("offer").label == (
        "What can you offer a mentee?"
    )


def test_the_demo_editor_owns_the_application_forms(db, client):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("load_demo_content", stdout=__import__("io").StringIO())
    editor = get_user_model().objects.get(username="editor")
    for action in ("add", "change", "delete"):
        assert editor.has_perm(f"mentoring_cms.{action}_applicationform")
    form = ApplicationForm.objects.get(locale__language_code="nb", role="mentee")
    client.force_login(editor)
    assert client.get(edit_url(form)).status_code == 200
