"""The programme dashboard across rounds (issue 17): its figures, the
small-group suppression in the page and both exports, and its query
budget."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentoring_cms.models import Application
from mentoring_cms.operations import anonymise_application
from mentoring_cms.outcomes.dashboard import dashboard_tables
from mentoring_cms.outcomes.statistics import programme_figures

from .outcomes_helpers import make_past_round, mentees, outcome
from .utils import make_application, make_session

THIS_YEAR = timezone.localdate().year
DASHBOARD = "mentoring_outcomes_dashboard"


def export(client, fmt):
    response = client.get(reverse("mentoring_outcomes_export", args=[fmt]))
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode())))
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return [
        list(row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]


def flat(rows):
    return {str(value) for row in rows for value in row}


@pytest.fixture
def round_2020(programme):
    return make_past_round(programme, 2020)


def test_figures_of_a_round(round_2020, faculty):
    people = mentees(round_2020, 10, faculty=faculty)
    for _n in range(8):
        make_application(round=round_2020, role=Application.Role.MENTOR,
                         status=Application.Status.ACCEPTED)  # fmt: skip
    make_application(round=round_2020, status=Application.Status.REJECTED)
    for person in people[:5]:
        outcome(person, "promoted", applied=2021, decided=2022)
    for person in people[5:]:
        outcome(person, "not_applied")
    (figures,) = programme_figures()
    assert (
        figures.applications,
        figures.accepted_mentees,
        figures.accepted_mentors,
    ) == (19, 10, 8)
    assert figures.applied_within == {1: 5, 2: 5, 3: 5}
    assert figures.promoted_within == {1: 0, 2: 5, 3: 5}
    assert figures.outcomes_recorded == 10


def test_the_dashboard_shows_shares_of_large_enough_groups(hr_client, round_2020):
    people = mentees(round_2020, 10)
    for person in people[:5]:
        outcome(person, "applied", applied=2021)
    html = hr_client.get(reverse(DASHBOARD)).content.decode()
    assert "50 %" in html
    assert 'role="img"' in html and "<table" in html


def test_windows_that_have_not_closed_show_nothing(programme):
    recent = make_past_round(programme, THIS_YEAR - 2)
    mentees(recent, 10)
    (figures,) = programme_figures()
    assert set(figures.applied_within) == {1}


@pytest.fixture
def one_promoted(round_2020):
    """Six mentees of whom exactly one applied and was promoted: a share
    of 1 in 6 would point at her."""
    people = mentees(round_2020, 6)
    outcome(people[0], "promoted", applied=2021, decided=2021)
    for person in people[1:]:
        outcome(person, "not_applied")
    return people[0]


def test_one_persons_outcome_never_shows(hr_client, one_promoted):
    html = hr_client.get(reverse(DASHBOARD)).content.decode()
    assert "17 %" not in html and "83 %" not in html
    assert "færre enn 5" in html
    for fmt in ("csv", "xlsx"):
        cells = flat(export(hr_client, fmt))
        assert "færre enn 5" in cells
        assert not {"17", "83", "17 %", "83 %"} & cells


@override_settings(MENTORING_CMS_SMALL_GROUP_THRESHOLD=1)
def test_without_the_threshold_her_outcome_would_show(hr_client, one_promoted):
    # The test above would fail if the suppression were left out.
    html = hr_client.get(reverse(DASHBOARD)).content.decode()
    assert "17 %" in html
    assert "17" in flat(export(hr_client, "csv"))


def test_small_counts_are_suppressed(hr_client, round_2020):
    mentees(round_2020, 3)
    html = hr_client.get(reverse(DASHBOARD)).content.decode()
    assert "færre enn 5" in html
    rows = export(hr_client, "csv")
    applications = [row for row in rows if row[2] == "Søknader"]
    assert applications == [
        ["Søknader og deltakere", round_2020.title, "Søknader", "færre enn 5"]
    ]


@override_settings(MENTORING_CMS_SMALL_GROUP_THRESHOLD=3)
def test_the_threshold_is_a_setting(hr_client, round_2020):
    mentees(round_2020, 2)
    assert "færre enn 3" in hr_client.get(reverse(DASHBOARD)).content.decode()


def test_completion_counts_survive_anonymisation(round_2020):
    gathering = make_session(
        round_2020,
        start=datetime.datetime(2020, 10, 1, 9, tzinfo=datetime.UTC),
        mandatory=True,
    )
    people = mentees(round_2020, 10)
    for person in people[:2]:
        person.attendances.create(session=gathering, status="absent")
    for person in people[:7]:
        for day in range(round_2020.meetings_min):
            person.meetings.create(date=datetime.date(2020, 10, 1 + day))
    before = programme_figures()[0]
    assert (before.attended_all_mandatory, before.met_minimum) == (8, 7)
    for person in people:
        anonymise_application(person)
    after = programme_figures()[0]
    assert (after.attended_all_mandatory, after.met_minimum) == (8, 7)


def test_the_dashboard_is_in_english_too(client, hr_user, round_2020):
    from .utils import set_admin_language

    set_admin_language(hr_user, "en")
    client.force_login(hr_user)
    mentees(round_2020, 3)
    html = client.get(reverse(DASHBOARD), follow=True).content.decode()
    assert "Programme dashboard" in html and "fewer than 5" in html


def test_the_export_format_must_be_known(hr_client):
    url = reverse("mentoring_outcomes_export", args=["pdf"])
    assert hr_client.get(url, follow=True).status_code == 404


def test_the_evaluation_results_have_their_place(hr_client, round_2020):
    html = hr_client.get(reverse(DASHBOARD)).content.decode()
    assert "data-mentoring-evaluation-results" in html


@pytest.mark.parametrize("rounds", [2, 10])
def test_a_fixed_number_of_queries(
    hr_client, programme, rounds, django_assert_max_num_queries
):
    for n in range(rounds):
        programme_round = make_past_round(programme, 2010 + n)
        people = mentees(programme_round, 6)
        outcome(people[0], "applied", applied=2010 + n + 1)
        make_application(round=programme_round, role=Application.Role.MENTOR,
                         status=Application.Status.ACCEPTED)  # fmt: skip
    hr_client.get(reverse(DASHBOARD))  # warm the session and permission caches
    # The admin around the page (8), the statistics (4) and the evaluation
    # section (1), whatever the number of rounds.
    with django_assert_max_num_queries(13):
        response = hr_client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        export(hr_client, "xlsx")


@pytest.mark.parametrize("rounds", [2, 10])
def test_the_figures_take_four_queries(programme, rounds, django_assert_num_queries):
    for n in range(rounds):
        programme_round = make_past_round(programme, 2010 + n)
        outcome(mentees(programme_round, 2)[0], "applied", applied=2011 + n)
    with django_assert_num_queries(4):
        figures = programme_figures()
    assert len(figures) == rounds


def test_unknown_completion_and_promotion_are_not_shown_as_figures(round_2020):
    # No attendance register and no outcome recorded: "–", not 100 % / 0 %.
    mentees(round_2020, 10)
    tables = {table.key: table for table in dashboard_tables()}
    for key in ("completion", "applied", "promoted"):
        assert {cell.text for cell in tables[key].rows[0].cells} == {"–"}


def test_a_small_group_cannot_be_worked_out_by_subtraction(hr_client, round_2020):
    # 10 accepted mentees and 2 rejected: the applications (12) would tell
    # that two were refused; 8 of 10 outcomes recorded would tell that two
    # are missing.
    people = mentees(round_2020, 10)
    for _n in range(2):
        make_application(round=round_2020, status=Application.Status.REJECTED)
    for person in people[:8]:
        outcome(person, "not_applied")
    tables = {table.key: table for table in dashboard_tables()}
    applications, accepted_mentees, _mentors = tables["participants"].rows[0].cells
    assert applications.suppressed and accepted_mentees.value == 10
    assert applications.text == "ikke vist (liten gruppe)"
    assert tables["recorded"].rows[0].cells[1].suppressed
    rows = export(hr_client, "csv")
    assert not {"12", "8"} & flat(rows)


def test_the_menu_offers_the_outcome_pages_to_hr_only(client, hr_user, editor_user):
    urls = (reverse(DASHBOARD), reverse("mentoring_outcomes_index"))
    client.force_login(hr_user)
    home = client.get(reverse("wagtailadmin_home"), follow=True).content.decode()
    assert all(url.replace("/", "\\/") in home or url in home for url in urls)
    client.force_login(editor_user)
    home = client.get(reverse("wagtailadmin_home"), follow=True).content.decode()
    assert not any(url.replace("/", "\\/") in home or url in home for url in urls)
