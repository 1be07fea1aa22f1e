"""Promotion outcomes of former mentees (issue 17): the rules, HR's pages,
the mentee's own report from her personal page, anonymisation and erasure."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from mentoring_cms.models import Application, CompletionRecord, PromotionOutcome
from mentoring_cms.operations import anonymise_application, erase_application
from mentoring_cms.outcomes.promotion import OutcomeRefused, record_outcome

from .outcomes_helpers import make_past_round, mentees
from .participation_helpers import page_url
from .utils import make_application, make_session

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def past_round(programme):
    return make_past_round(programme, 2020)


@pytest.fixture
def mentee(past_round, faculty):
    (application,) = mentees(past_round, 1, faculty=faculty, full_name="Åse Ørn")
    return application


def test_hr_records_an_outcome(mentee, hr_user):
    outcome = record_outcome(
        mentee,
        result="promoted",
        position="professor",
        applied_year=2022,
        result_year=2023,
        note="Spurt på telefon",
        user=hr_user,
    )
    outcome.refresh_from_db()
    assert (outcome.round_year, outcome.result, outcome.result_year) == (
        2020,
        "promoted",
        2023,
    )
    assert outcome.source == "hr" and outcome.recorded_by == hr_user


def test_recording_again_replaces_the_outcome(mentee):
    record_outcome(mentee, result="applied", position="dosent", applied_year=2022)
    record_outcome(
        mentee, result="not_promoted", position="dosent", applied_year=2022,
        result_year=2022,
    )  # fmt: skip
    assert PromotionOutcome.objects.get().result == "not_promoted"


@pytest.mark.parametrize(
    ("values", "field", "nb", "en"),
    [
        (
            {"result": "applied", "position": "professor", "applied_year": 2019},
            "applied_year",
            "Året kan ikke være før runden (2020).",
            "The year cannot be before the round (2020).",
        ),
        (
            {"result": "promoted", "position": "professor", "result_year": 2022},
            "applied_year",
            "Et resultat krever en søknad: oppgi året hun søkte.",
            "A result needs an application: give the year she applied.",
        ),
        (
            {"result": "promoted", "applied_year": 2022, "result_year": 2022},
            "position",
            "Velg stillingen hun søkte.",
            "Choose the position she applied for.",
        ),
        (
            {
                "result": "promoted",
                "position": "professor",
                "applied_year": 2023,
                "result_year": 2022,
            },
            "result_year",
            "Resultatet kan ikke komme før opprykkssøknaden.",
            "The result cannot come before the application for promotion.",
        ),
        (
            {
                "result": "applied",
                "position": "professor",
                "applied_year": THIS_YEAR + 1,
            },
            "applied_year",
            "Året kan ikke være i framtiden.",
            "The year cannot be in the future.",
        ),
    ],
)
def test_bad_outcomes_are_refused_with_a_clear_message(mentee, values, field, nb, en):
    for language, message in (("nb", nb), ("en", en)):
        with translation.override(language):
            with pytest.raises(OutcomeRefused) as refused:
                record_outcome(mentee, **values)
        assert refused.value.message_dict[field] == [message]
    assert not PromotionOutcome.objects.exists()


def test_the_database_refuses_a_result_without_an_application(mentee):
    with pytest.raises(IntegrityError), transaction.atomic():
        PromotionOutcome.objects.create(
            application=mentee, round_year=2020, result="promoted",
            position="professor", result_year=2022,
        )  # fmt: skip


def test_the_database_refuses_a_year_before_the_round(mentee):
    with pytest.raises(IntegrityError), transaction.atomic():
        PromotionOutcome.objects.create(
            application=mentee, round_year=2020, result="applied",
            position="professor", applied_year=2018,
        )  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        {"role": Application.Role.MENTOR},
        {"status": Application.Status.WITHDRAWN},
    ],
)
def test_only_accepted_mentees_have_outcomes(mentee, change):
    Application.objects.filter(pk=mentee.pk).update(**change)
    mentee.refresh_from_db()
    with pytest.raises(OutcomeRefused):
        record_outcome(mentee, result="not_applied")
    assert not PromotionOutcome.objects.exists()


def test_no_outcome_while_the_round_runs(open_round):
    application = make_application(round=open_round, status=Application.Status.ACCEPTED)
    with pytest.raises(OutcomeRefused):
        record_outcome(application, result="not_applied")


# Anonymisation and erasure ---------------------------------------------------


def test_anonymisation_keeps_only_what_the_statistics_need(mentee, hr_user):
    session = make_session(
        mentee.round,
        start=datetime.datetime(2020, 10, 1, 9, tzinfo=datetime.UTC),
        mandatory=True,
    )
    mentee.attendances.create(session=session, status="absent")
    mentee.meetings.create(date=datetime.date(2020, 10, 5))
    mentee.meetings.create(date=datetime.date(2020, 11, 5))
    record_outcome(
        mentee, result="promoted", position="dosent", applied_year=2021,
        result_year=2022, note="Ringte henne", user=hr_user,
    )  # fmt: skip
    anonymise_application(mentee)
    outcome = PromotionOutcome.objects.get()
    assert (outcome.result, outcome.position, outcome.applied_year) == (
        "promoted",
        "dosent",
        2021,
    )
    assert (outcome.round_year, outcome.result_year) == (2020, 2022)
    assert outcome.application.round_id == mentee.round_id
    assert outcome.application.faculty_id == mentee.faculty_id
    assert (outcome.note, outcome.source, outcome.recorded_by, outcome.recorded_at) == (
        "",
        "",
        None,
        None,
    )
    record = CompletionRecord.objects.get(application=mentee)
    assert (record.missed_mandatory, record.meetings) == (1, 2)
    assert not mentee.meetings.exists() and not mentee.attendances.exists()


def test_erasure_on_request_deletes_the_outcome(mentee):
    record_outcome(mentee, result="not_applied")
    erase_application(mentee)
    assert not PromotionOutcome.objects.exists()


def test_no_outcome_for_an_anonymised_application(mentee):
    anonymise_application(mentee)
    with pytest.raises(OutcomeRefused):
        record_outcome(mentee, result="not_applied")


# HR's pages --------------------------------------------------------------------


def test_hr_lists_former_mentees_and_records_an_outcome(hr_client, mentee):
    index = hr_client.get(reverse("mentoring_outcomes_index"))
    assert index.status_code == 200
    assert "Åse Ørn" in index.content.decode()
    url = reverse("mentoring_outcomes_record", args=[mentee.pk])
    response = hr_client.post(
        url,
        {"result": "applied", "position": "professor", "applied_year": "2022"},
    )
    assert response.status_code == 302
    assert PromotionOutcome.objects.get().applied_year == 2022


def test_hr_form_shows_the_refusal_and_stores_nothing(hr_client, mentee):
    url = reverse("mentoring_outcomes_record", args=[mentee.pk])
    response = hr_client.post(
        url, {"result": "promoted", "position": "professor", "result_year": "2022"}
    )
    assert response.status_code == 400
    assert "oppgi året hun søkte" in response.content.decode()
    assert not PromotionOutcome.objects.exists()


def test_hr_record_page_of_a_current_participant_is_404(hr_client, open_round):
    application = make_application(round=open_round, status=Application.Status.ACCEPTED)
    url = reverse("mentoring_outcomes_record", args=[application.pk])
    assert hr_client.get(url, follow=True).status_code == 404


# Her own report ----------------------------------------------------------------


def test_the_personal_page_offers_the_report_to_a_former_mentee(client, mentee):
    response = client.get(page_url(mentee))
    html = response.content.decode()
    assert "data-mentoring-promotion" in html
    assert 'href="/personal/' in html and '/promotion/"' in html


def test_a_current_participant_is_not_offered_the_report(client, open_round):
    application = make_application(round=open_round, status=Application.Status.ACCEPTED)
    assert (
        "data-mentoring-promotion"
        not in client.get(page_url(application)).content.decode()
    )
    response = client.post(
        page_url(application, "promotion"), {"result": "not_applied"}
    )
    assert response.status_code == 403
    assert not PromotionOutcome.objects.exists()


def test_the_mentee_reports_her_outcome(client, mentee):
    response = client.post(
        page_url(mentee, "promotion"),
        {
            "result": "promoted",
            "position": "dosent",
            "applied_year": "2021",
            "result_year": "2022",
        },
    )
    assert response.status_code == 302
    outcome = PromotionOutcome.objects.get()
    assert outcome.source == "mentee" and outcome.recorded_by is None
    page = client.get(response["Location"]).content.decode()
    assert "data-mentoring-promotion-outcome" in page


def test_the_mentee_sees_why_her_report_is_refused(client, mentee):
    response = client.post(
        page_url(mentee, "promotion"),
        {"result": "applied", "position": "dosent", "applied_year": "2018"},
    )
    assert response.status_code == 400
    assert "Året kan ikke være før runden (2020)." in response.content.decode()
    assert not PromotionOutcome.objects.exists()


def test_the_report_page_is_in_english_for_an_english_mentee(client, past_round):
    (application,) = mentees(past_round, 1, language="en")
    response = client.get(page_url(application, "promotion"))
    assert "Your promotion" in response.content.decode()


def test_a_tampered_link_reaches_no_report(client, mentee):
    url = page_url(mentee, "promotion").replace("/promotion/", "x/promotion/")
    response = client.post(url, {"result": "not_applied"})
    assert response.status_code == 403
    assert not PromotionOutcome.objects.exists()


def test_her_data_download_holds_her_outcome(client, mentee):
    record_outcome(mentee, result="not_applied")
    data = client.get(page_url(mentee, "data")).json()
    assert data["promotion_outcome"]["result"] == "not_applied"


def test_more_meetings_than_the_minimum_keep_the_progress_bar_valid(client, mentee):
    for day in range(mentee.round.meetings_min + 1):
        mentee.meetings.create(date=datetime.date(2020, 10, 1 + day))
    html = client.get(page_url(mentee)).content.decode()
    minimum = mentee.round.meetings_min
    assert f'<progress max="{minimum}" value="{minimum}">' in html
