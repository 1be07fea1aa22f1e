"""The selection pages in the admin: a coordinator sees and nominates only
her own faculty's mentees, a reviewer scores and sees the others' scores
only after her own, HR ranks, decides and reads the dashboard."""

import pytest
from django.urls import reverse
from django.utils import translation

from mentoring_cms.models import Application, Nomination, Review

from .selection_helpers import make_coordinator, make_reviewer, review, scores_for
from .utils import make_application, make_faculty

Status = Application.Status


def url(name, *args):
    return reverse(f"mentoring_selection:{name}", args=args)


@pytest.fixture
def other_faculty(db):
    return make_faculty(name="Fakultet for medisin")


@pytest.fixture
def own(open_round, faculty):
    return make_application(
        round=open_round,
        faculty=faculty,
        full_name="Egen Søker",
        status=Status.UNDER_REVIEW,
    )


@pytest.fixture
def foreign(open_round, other_faculty):
    return make_application(
        round=open_round, faculty=other_faculty, full_name="Fremmed Søker"
    )


@pytest.fixture
def coordinator_client(client, faculty):
    client.force_login(make_coordinator("koordinator", faculty))
    return client


def test_a_coordinator_lists_only_her_facultys_mentees(
    coordinator_client, own, foreign, open_round, faculty
):
    mentor = make_application(
        round=open_round,
        faculty=faculty,
        role=Application.Role.MENTOR,
        full_name="Mentor Søker",
    )
    html = coordinator_client.get(url("coordinator_index")).content.decode()
    assert own.full_name in html
    assert foreign.full_name not in html
    assert mentor.full_name not in html
    assert "0 av 4 nominert, 4 igjen" in html


def test_the_listing_costs_the_same_with_more_applications(
    coordinator_client, own, open_round, faculty, django_assert_max_num_queries
):
    coordinator_client.get(url("coordinator_index"))
    for _ in range(10):
        make_application(round=open_round, faculty=faculty)
    with django_assert_max_num_queries(20):
        coordinator_client.get(url("coordinator_index"))


def test_a_coordinator_nominates_from_the_detail_page(coordinator_client, own):
    detail = coordinator_client.get(url("coordinator_detail", own.pk))
    assert own.full_name in detail.content.decode()
    response = coordinator_client.post(
        url("nominate", own.pk), {"justification": "Sterk kandidat."}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Status.NOMINATED
    html = coordinator_client.get(response["Location"]).content.decode()
    assert "1 av 4 nominert, 3 igjen" in html
    coordinator_client.post(url("withdraw", own.pk))
    own.refresh_from_db()
    assert own.status == Status.UNDER_REVIEW


def test_a_nomination_without_justification_is_refused_with_a_message(
    coordinator_client, own
):
    response = coordinator_client.post(
        url("nominate", own.pk), {"justification": ""}, follow=True
    )
    assert "Skriv en kort begrunnelse" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Status.UNDER_REVIEW
    assert not Nomination.objects.exists()


def test_another_facultys_application_is_forbidden_and_unchanged(
    coordinator_client, foreign
):
    for name in ("coordinator_detail", "coordinator_attachment"):
        assert coordinator_client.get(url(name, foreign.pk)).status_code == 403
    response = coordinator_client.post(
        url("nominate", foreign.pk), {"justification": "Forsøk"}
    )
    assert response.status_code == 403
    assert foreign.full_name not in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.status == Status.SUBMITTED
    assert not Nomination.objects.exists()


# Reviewers ------------------------------------------------------------------


@pytest.fixture
def nominated(open_round, faculty):
    return make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)


def review_form_data(application, *values):
    return {
        f"score_{pk}": value
        for pk, (value, _comment) in scores_for(application, *values).items()
    }


def test_the_second_reviewer_sees_the_first_score_only_after_her_own(client, nominated):
    first = make_reviewer("komite1")
    second = make_reviewer("komite2")
    review(nominated, first, 2)
    client.force_login(second)
    before = client.get(url("review", nominated.pk)).content.decode()
    assert "data-mentoring-scores-hidden" in before
    assert "komite1" not in before
    assert "data-mentoring-review-form" in before
    response = client.post(
        url("review", nominated.pk), review_form_data(nominated, 5, 4, 4)
    )
    assert response.status_code == 302
    after = client.get(url("review", nominated.pk)).content.decode()
    assert "komite1" in after
    assert "data-mentoring-scores-hidden" not in after
    assert Review.objects.count() == 2


def test_a_score_outside_the_scale_is_refused_on_the_page(client, nominated):
    client.force_login(make_reviewer("komite1"))
    data = review_form_data(nominated, 3)
    data[next(iter(data))] = 9
    response = client.post(url("review", nominated.pk), data)
    assert response.status_code == 200
    assert not Review.objects.exists()


def test_a_reviewer_declares_a_conflict_and_cannot_score(client, nominated):
    client.force_login(make_reviewer("komite1"))
    client.post(url("conflict", nominated.pk), {"reason": "Samme institutt"})
    page = client.get(url("review", nominated.pk)).content.decode()
    assert "data-mentoring-review-form" not in page
    client.post(url("review", nominated.pk), review_form_data(nominated, 4))
    assert not Review.objects.exists()


def test_a_reviewer_cannot_open_what_the_committee_does_not_score(
    client, open_round, faculty
):
    client.force_login(make_reviewer("komite1"))
    unnominated = make_application(round=open_round, faculty=faculty)
    assert client.get(url("review", unnominated.pk)).status_code == 403


# HR -------------------------------------------------------------------------


def test_hr_accepts_from_the_ranking(hr_client, nominated):
    review(nominated, make_reviewer("komite1"), 4)
    page = hr_client.get(url("ranking") + "?role=mentee").content.decode()
    assert nominated.reference in page
    assert "0 av 20 plasser fylt; 20 igjen." in page
    response = hr_client.post(
        url("ranking_decide", nominated.pk), {"status": "accepted"}
    )
    assert response.status_code == 302
    nominated.refresh_from_db()
    assert nominated.status == Status.ACCEPTED


def test_the_dashboard_has_charts_with_tables_of_links(
    hr_client, nominated, open_round, faculty
):
    with translation.override("nb"):
        html = hr_client.get(url("dashboard")).content.decode()
    assert html.count("<svg") >= 3
    assert "<script" not in html.split('id="main"')[-1].split("</main>")[0]
    assert 'role="img"' in html
    listing = reverse("mentoring_applications:index")
    assert f'href="{listing}?round={open_round.translation_key}' in html
    assert faculty.name in html


def test_hrs_application_page_shows_the_nomination_and_the_reviews(
    coordinator_client, hr_user, own
):
    from django.test import Client

    coordinator_client.post(url("nominate", own.pk), {"justification": "Sterk."})
    review(own, make_reviewer("komite1"), 4)
    hr_client = Client()
    hr_client.force_login(hr_user)
    detail = reverse("mentoring_applications:edit", args=[own.pk])
    html = hr_client.get(detail).content.decode()
    assert "Nominasjon og vurderinger" in html
    assert "Sterk." in html
    assert "komite1" in html
    assert html.count("data-mentoring-review") == 1


def test_hr_accepts_a_scored_mentor_from_the_ranking(hr_client, open_round, faculty):
    # Mentors are not nominated: the committee scores them as they come in,
    # and the first review moves the application to under review.
    mentor = make_application(
        round=open_round, role=Application.Role.MENTOR, faculty=faculty
    )
    assert mentor.status == Status.SUBMITTED
    review(mentor, make_reviewer("komite1"), 4)
    mentor.refresh_from_db()
    assert mentor.status == Status.UNDER_REVIEW
    response = hr_client.post(url("ranking_decide", mentor.pk), {"status": "accepted"})
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.status == Status.ACCEPTED
