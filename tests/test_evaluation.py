"""The participant's end-of-round evaluation: who may answer, when, once,
and that what is stored cannot be traced back to her (issue 17)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mentoring_cms.models import (
    Application,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationReceipt,
    RoundEvaluation,
)
from mentoring_cms.operations import anonymise_application, erase_application
from mentoring_cms.outcomes.evaluation import (
    ALREADY_ANSWERED,
    EvaluationRefused,
)
from mentoring_cms.outcomes.evaluation_defaults import ensure_default_evaluation_form

from .application_helpers import translate_page
from .evaluation_helpers import VALID, answer, ask_evaluation, evaluation_url
from .participation_helpers import (
    clear_rate_limits,  # noqa: F401
    make_running_round,
    page_url,
    participant,
)
from .utils import set_admin_language


@pytest.fixture
def running(programme):
    return make_running_round(programme)


@pytest.fixture
def evaluation(running):
    return ask_evaluation(running)


def stored():
    return EvaluationAnswer.objects.count(), EvaluationReceipt.objects.count()


def test_the_default_form_is_in_norwegian_and_english(db):
    form = ensure_default_evaluation_form()
    forms = {
        f.locale.language_code: f
        for f in EvaluationForm.objects.filter(translation_key=form.translation_key)
    }
    assert set(forms) == {"nb", "en"}
    assert forms["nb"].schema.question("overall").label.startswith("Hvordan")
    assert forms["en"].schema.question("overall").label.startswith("How do you")
    kinds = {q.type for q in forms["nb"].schema.questions()}
    assert {"single_choice", "yes_no", "number", "long_text"} <= kinds
    # Running it again makes no second form.
    assert ensure_default_evaluation_form().pk == form.pk
    assert EvaluationForm.objects.count() == 2


def test_an_evaluation_form_cannot_ask_core_questions(db):
    form = ensure_default_evaluation_form()
    body = list(form.body.raw_data)
    body[0]["value"]["questions"].append(
        {"type": "core", "id": "x", "value": {"question": "email", "label": ""}}
    )
    form.body = body
    with pytest.raises(ValidationError) as error:
        form.clean()
    assert "body" in error.value.message_dict or error.value.error_dict["body"]


def test_a_round_evaluation_closes_after_it_opens(running):
    today = timezone.localdate()
    evaluation = RoundEvaluation(
        round=running,
        form=ensure_default_evaluation_form(),
        opens_on=today,
        closes_on=today - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        evaluation.full_clean()
    assert "closes_on" in error.value.message_dict


def test_her_page_links_to_the_open_evaluation(client, running, evaluation):
    mentee = participant(running)
    html = client.get(page_url(mentee)).content.decode()
    assert 'data-mentoring-evaluation-state="open"' in html
    assert "/evaluation/" in html


def test_the_page_says_when_it_opens_and_when_it_has_been_answered(client, running):
    ask_evaluation(running, opens_in=3, closes_in=20)
    mentee = participant(running)
    html = client.get(page_url(mentee)).content.decode()
    assert 'data-mentoring-evaluation-state="not_yet"' in html
    assert "/evaluation/" not in html


def test_an_answer_is_stored_without_her(client, running, evaluation):
    mentor = participant(
        running, role=Application.Role.MENTOR, full_name="Unik Navnesen"
    )
    response = client.post(evaluation_url(mentor), VALID)
    assert response.status_code == 302
    assert response["Location"].endswith("?done=evaluation")
    (row,) = EvaluationAnswer.objects.all()
    assert row.round_id == running.pk
    assert row.role == "mentor"
    assert row.answered_on == timezone.localdate()
    assert isinstance(row.pk, uuid.UUID)
    values = {entry["id"]: entry["value"] for entry in row.answers}
    assert values["overall"] == "very_good"
    assert values["recommend"] is True
    assert values["meetings_held"] == "8"
    # The questions as asked, in both languages.
    overall = next(e for e in row.answers if e["id"] == "overall")
    assert set(overall["label"]) == {"nb", "en"}
    # Nothing about her in the row.
    text = str(row.answers)
    for personal in (mentor.full_name, mentor.email, mentor.reference, str(mentor.pk)):
        assert personal not in text
    assert EvaluationReceipt.objects.filter(application=mentor).exists()
    followed = client.get(response["Location"]).content.decode()
    assert 'data-mentoring-evaluation-state="answered"' in followed


def test_the_answer_table_has_no_field_that_names_a_person():
    """Only the round, the role, the day and the answers: no relation to an
    application, a participation or a user, no time of day."""
    names = {f.name for f in EvaluationAnswer._meta.get_fields()}
    assert names == {"id", "round", "role", "answered_on", "answers"}
    relations = {
        f.name: f.related_model
        for f in EvaluationAnswer._meta.get_fields()
        if f.is_relation
    }
    assert list(relations) == ["round"]
    assert relations["round"]._meta.model_name == "programroundpage"
    assert isinstance(EvaluationAnswer._meta.get_field("answered_on"), models.DateField)
    assert not isinstance(
        EvaluationAnswer._meta.get_field("answered_on"), models.DateTimeField
    )
    receipt_fields = {f.name for f in EvaluationReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "application"}


def test_a_second_evaluation_from_the_same_link_is_refused(client, running, evaluation):
    mentee = participant(running, language="en")
    assert client.post(evaluation_url(mentee), VALID).status_code == 302
    again = client.post(evaluation_url(mentee), {**VALID, "overall": "poor"})
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert client.get(evaluation_url(mentee)).status_code == 409
    assert stored() == (1, 1)
    with pytest.raises(EvaluationRefused) as refusal:
        answer(mentee)
    assert refusal.value.code == ALREADY_ANSWERED
    assert stored() == (1, 1)


def test_the_refusal_is_in_her_language(client, running, evaluation):
    mentee = participant(running, language="nb")
    answer(mentee)
    html = client.get(evaluation_url(mentee)).content.decode()
    assert "allerede svart" in html


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "words"),
    [(2, 10, "opens on"), (-20, -1, "closed on")],
)
def test_no_evaluation_before_it_opens_or_after_it_closes(
    client, running, opens_in, closes_in, words
):
    ask_evaluation(running, opens_in=opens_in, closes_in=closes_in)
    mentee = participant(running, language="en")
    page = client.get(evaluation_url(mentee))
    assert page.status_code == 403
    assert words in page.content.decode()
    response = client.post(evaluation_url(mentee), VALID)
    assert response.status_code == 403
    assert stored() == (0, 0)


def test_the_closing_day_is_still_open(client, running):
    ask_evaluation(running, opens_in=-5, closes_in=0)
    mentee = participant(running)
    assert client.post(evaluation_url(mentee), VALID).status_code == 302


@pytest.mark.parametrize(
    "status",
    [
        Application.Status.WITHDRAWN,
        Application.Status.SUBMITTED,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
    ],
)
def test_only_accepted_participants_answer(client, running, evaluation, status):
    person = participant(running, status=status, language="en")
    response = client.post(evaluation_url(person), VALID)
    assert response.status_code == 403
    assert "Only accepted participants" in response.content.decode()
    assert stored() == (0, 0)


def test_a_round_without_evaluation_refuses(client, running):
    mentee = participant(running, language="en")
    response = client.get(evaluation_url(mentee))
    assert response.status_code == 403
    assert "no evaluation" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "data", "message"),
    [
        ("nb", {**VALID, "overall": ""}, "Velg et svar."),
        ("en", {**VALID, "overall": ""}, "Choose an answer."),
        ("en", {**VALID, "overall": "splendid"}, "Choose one of the answers offered."),
        ("en", {**VALID, "meetings_held": "many"}, "Enter a number"),
        ("nb", {**VALID, "meetings_held": "900"}, "900"),
        ("en", {**VALID, "change": "x" * 2001}, "Write at most 2000 characters"),
    ],
)
def test_bad_input_gets_field_errors_in_her_language(
    client, running, evaluation, language, data, message
):
    mentee = participant(running, language=language)
    response = client.post(evaluation_url(mentee), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="mcms-error-summary"' in html
    if message != "900":
        assert message in html
    assert stored() == (0, 0)


def test_questions_are_asked_in_her_language(client, running, evaluation):
    english = participant(running, language="en")
    norwegian = participant(running, language="nb")
    assert "How do you rate the programme overall?" in (
        client.get(evaluation_url(english)).content.decode()
    )
    assert "Hvordan vurderer du programmet alt i alt?" in (
        client.get(evaluation_url(norwegian)).content.decode()
    )


def test_a_tampered_link_reaches_nothing(client, running, evaluation):
    mentee = participant(running)
    url = evaluation_url(mentee).replace("/evaluation/", "x/evaluation/")
    assert client.post(url, VALID).status_code == 403
    assert stored() == (0, 0)


def test_erasure_and_anonymisation_drop_the_receipt_but_keep_the_answers(
    running, evaluation
):
    erased = participant(running)
    anonymised = participant(running, role=Application.Role.MENTOR)
    answer(erased)
    answer(anonymised)
    erase_application(erased)
    anonymise_application(anonymised)
    assert EvaluationReceipt.objects.count() == 0
    assert EvaluationAnswer.objects.count() == 2
    assert sorted(EvaluationAnswer.objects.values_list("role", flat=True)) == [
        "mentee",
        "mentor",
    ]


def test_the_evaluation_page_costs_a_fixed_number_of_queries(
    client, running, evaluation, django_assert_max_num_queries
):
    mentee = participant(running, language="en")
    url = evaluation_url(mentee)
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(16):
        response = client.post(url, VALID)
    assert response.status_code == 302


def test_editors_set_the_window_in_the_admin_on_the_default_language_round(
    client, superuser, running
):
    set_admin_language(superuser, "en")
    client.force_login(superuser)
    form = ensure_default_evaluation_form()
    url = reverse("wagtailsnippets_mentoring_cms_roundevaluation:add")
    translated = translate_page(running, "en")
    data = {
        "round": translated.pk,
        "form": form.pk,
        "opens_on": "2027-06-01",
        "closes_on": "2027-05-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The evaluation must close on or after the day it opens." in html
    assert "Choose the round in the default language" in html
    assert not RoundEvaluation.objects.exists()
    data.update(round=running.pk, closes_on="2027-07-01")
    assert client.post(url, data).status_code == 302
    evaluation = RoundEvaluation.objects.get()
    assert evaluation.round_id == running.pk
    assert evaluation.state_on(datetime.date(2027, 6, 1)) == RoundEvaluation.OPEN
    assert evaluation.state_on(datetime.date(2027, 7, 2)) == RoundEvaluation.CLOSED


def test_her_data_download_says_whether_she_answered_but_not_what(
    client, running, evaluation
):
    mentee = participant(running)
    before = client.get(page_url(mentee, "data")).json()
    assert before["evaluation_answered"] is False
    answer(mentee, change="Noe helt eget")
    after = client.get(page_url(mentee, "data"))
    assert after.json()["evaluation_answered"] is True
    assert "Noe helt eget" not in after.content.decode()
