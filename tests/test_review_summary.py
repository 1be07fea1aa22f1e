"""The round summary: numbers by role, status and faculty; nominations and
places left; as a page and as a dashboard panel."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring_cms.admin.summary import round_summary
from mentoring_cms.models import Application

from .utils import make_application, make_faculty, make_round, oslo

Status = Application.Status
Role = Application.Role

SUMMARY = "mentoring_applications:summary"


@pytest.fixture
def populated(open_round, faculty):
    open_round.faculty_quota = 4
    open_round.mentee_places = 20
    open_round.mentor_places = 20
    open_round.save()
    law = make_faculty(name="Det juridiske fakultet")
    make_faculty(name="Fakultet uten søkere")
    for status in (
        Status.NOMINATED,
        Status.NOMINATED,
        Status.ACCEPTED,
        Status.WAITLISTED,
        Status.REJECTED,
        Status.SUBMITTED,
    ):
        make_application(round=open_round, faculty=faculty, status=status)
    make_application(round=open_round, faculty=law, status=Status.ACCEPTED)
    make_application(round=open_round, faculty=law, status=Status.WITHDRAWN)
    for status in (Status.ACCEPTED, Status.ACCEPTED, Status.UNDER_REVIEW):
        make_application(round=open_round, faculty=law, role=Role.MENTOR, status=status)
    return open_round, faculty, law


def test_summary_numbers(populated):
    programme_round, science, law = populated
    summary = round_summary(programme_round)
    assert summary.total == 11
    mentees, mentors = summary.roles
    assert (mentees.role, mentors.role) == (Role.MENTEE, Role.MENTOR)
    assert mentees.total == 8
    assert mentees.counts[Status.NOMINATED] == 2
    assert mentees.accepted == 2
    assert mentees.places_left == 18
    assert mentors.total == 3
    assert mentors.accepted == 2
    assert mentors.places_left == 18
    faculties = {f.name: f for f in summary.faculties}
    assert faculties[science.name].mentees == 6
    # "Nominated mentees" are those still nominated; the quota counts the
    # waitlisted and accepted ones too (nominated 2 + accepted 1 + waitlisted 1).
    assert faculties[science.name].nominated == 2
    assert faculties[science.name].holding_nomination == 4
    assert faculties[science.name].nominations_left == 0
    assert faculties[law.name].mentees == 2
    assert faculties[law.name].mentors == 3
    assert faculties[law.name].nominated == 0
    assert faculties[law.name].holding_nomination == 1
    assert faculties[law.name].nominations_left == 3
    assert faculties["Fakultet uten søkere"].nominations_left == 4
    table = dict(summary.status_table())
    assert table[Status.ACCEPTED.label] == [2, 2]
    assert table[Status.UNDER_REVIEW.label] == [0, 1]


def test_summary_counts_anonymised_applications(open_round, faculty):
    make_application(
        round=open_round,
        faculty=faculty,
        status=Status.ACCEPTED,
        full_name="",
        email="",
        anonymised_at=oslo(2026, 1, 1),
    )
    assert round_summary(open_round).roles[0].accepted == 1


def test_summary_page_shows_numbers(hr_client, populated):
    programme_round, science, _law = populated
    response = hr_client.get(reverse(SUMMARY))
    assert response.status_code == 200
    html = response.content.decode()
    assert programme_round.title in html
    assert science.name in html
    assert "0 / 4" in html  # nominations left for the science faculty
    assert "3 / 4" in html
    summary = response.context["summary"]
    assert summary.total == 11


def test_summary_page_chooses_round(hr_client, programme, populated):
    old = make_round(
        programme,
        title="Runde 2020",
        slug="runde-2020",
        application_opens=oslo(2020, 1, 1),
        application_closes=oslo(2020, 2, 1),
        period_start=datetime.date(2020, 3, 1),
        period_end=datetime.date(2020, 12, 1),
    )
    make_application(round=old, status=Status.ACCEPTED)
    response = hr_client.get(reverse(SUMMARY), {"round": str(old.translation_key)})
    assert response.context["summary"].round == old
    assert response.context["summary"].total == 1
    # An unknown round is refused, never replaced by the newest.
    response = hr_client.get(reverse(SUMMARY), {"round": "not-a-round"}, follow=True)
    assert response.status_code == 404
    response = hr_client.get(reverse(SUMMARY))
    assert response.context["summary"].round == populated[0]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_summary_query_count_is_constant(hr_client, open_round, faculty):
    make_application(round=open_round, faculty=faculty)
    count_queries(hr_client, reverse(SUMMARY))
    few = count_queries(hr_client, reverse(SUMMARY))
    for i in range(40):
        make_application(
            round=open_round,
            faculty=make_faculty(name=f"Fakultet {i}") if i % 4 == 0 else faculty,
            role=Role.MENTOR if i % 3 else Role.MENTEE,
        )
    assert count_queries(hr_client, reverse(SUMMARY)) == few


def test_dashboard_panel_for_reviewers_only(client, hr_user, editor_user, populated):
    client.force_login(hr_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "mentoring-round-summary" in html
    assert populated[0].title in html
    client.force_login(editor_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "mentoring-round-summary" not in html


def test_summary_escapes_faculty_names(hr_client, open_round):
    make_faculty(name="<script>alert(1)</script>")
    html = hr_client.get(reverse(SUMMARY)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_default_round_is_the_newest_that_has_opened(hr_client, programme, populated):
    make_round(
        programme,
        title="Runde 2030",
        slug="runde-2030",
        application_opens=None,
        application_closes=None,
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 1),
    )
    response = hr_client.get(reverse(SUMMARY))
    assert response.context["summary"].round == populated[0]
    html = hr_client.get(reverse("wagtailadmin_home")).content.decode()
    assert populated[0].title in html
