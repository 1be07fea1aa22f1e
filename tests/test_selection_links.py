"""Every number of the selection dashboard and the round summary links to
HR's listing filtered to the applications it counts; a quota or a number of
places links to the applications competing for it. The tests follow each
link and compare what the listing shows with what was counted."""

import datetime
import html as html_lib
import re

import pytest
from django.urls import reverse
from django.utils import translation

from mentoring_cms.models import Application
from mentoring_cms.models.pages.round import ProgramRoundPage

from .selection_helpers import make_reviewer, review
from .utils import make_application, make_faculty, make_round, oslo

Status = Application.Status
Role = Application.Role
MENTEE, MENTOR = Role.MENTEE, Role.MENTOR


def references_in(page):
    return set(re.findall(r"MP-TEST-\d+", page))


def listed(client, url):
    response = client.get(html_lib.unescape(url))
    assert response.status_code == 200
    return references_in(response.content.decode())


def refs(*applications):
    return {application.reference for application in applications}


@pytest.fixture
def world(open_round, programme, faculty, settings):
    """Applications of two faculties in the round, scored by the committee,
    and one of another round that no link may show."""
    settings.MENTORING_CMS_REVIEWS_PER_APPLICATION = 2
    law = make_faculty(name="Det juridiske fakultet")
    one, two = make_reviewer("komite1"), make_reviewer("komite2")

    def app(faculty_, status, role=MENTEE):
        return make_application(
            round=open_round, faculty=faculty_, status=status, role=role
        )

    w = {
        "nominated": app(faculty, Status.NOMINATED),
        "waitlisted": app(faculty, Status.WAITLISTED),
        "accepted": app(faculty, Status.ACCEPTED),
        "under_review": app(faculty, Status.UNDER_REVIEW),
        "law_nominated": app(law, Status.NOMINATED),
        "mentor": app(faculty, Status.SUBMITTED, MENTOR),
        "mentor_accepted": app(law, Status.ACCEPTED, MENTOR),
    }
    review(w["nominated"], one, 4)
    review(w["nominated"], two, 5)
    review(w["mentor"], one, 3)
    old = make_round(
        programme,
        title="Runde 2020",
        slug="runde-2020",
        application_opens=oslo(2020, 1, 1),
        application_closes=oslo(2020, 2, 1),
        period_start=datetime.date(2020, 3, 1),
        period_end=datetime.date(2020, 12, 1),
    )
    w["elsewhere"] = make_application(
        round=old, faculty=faculty, status=Status.NOMINATED
    )
    w["law"] = law
    return w


def chart_rows(page, key):
    """{row label: (value, value url, total, total url)} of a chart's table."""
    section = page.split(f'data-mentoring-chart="{key}"')[1].split("</section>")[0]
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*'
        r'<td><a href="([^"]+)">(\d+)</a></td>\s*'
        r'<td><a href="([^"]+)" data-mentoring-total>(\d+)<span',
        section,
    )
    return {
        html_lib.unescape(label): (int(value), url, int(total), total_url)
        for label, url, value, total_url, total in rows
    }


def test_the_dashboards_numbers_and_totals_lead_to_their_applications(
    hr_client, world, faculty, open_round
):
    w = world
    with translation.override("nb"):
        page = hr_client.get(reverse("mentoring_selection:dashboard")).content
    page = page.decode()

    nominations = chart_rows(page, "nominations")
    value, url, quota, quota_url = nominations[faculty.name]
    counted = refs(w["nominated"], w["waitlisted"], w["accepted"])
    assert value == len(counted) == 3
    assert listed(hr_client, url) == counted
    assert quota == open_round.faculty_quota
    # The quota's link: the faculty's mentee applications, which compete
    # for its nominations (not its mentors, nor another round's).
    assert listed(hr_client, quota_url) == counted | refs(w["under_review"])
    value, url, _quota, quota_url = nominations["Det juridiske fakultet"]
    assert (value, listed(hr_client, url)) == (1, refs(w["law_nominated"]))
    assert listed(hr_client, quota_url) == refs(w["law_nominated"])

    places = chart_rows(page, "places")
    with translation.override("nb"):
        mentee_label, mentor_label = str(MENTEE.label), str(MENTOR.label)
    value, url, total, total_url = places[mentee_label]
    assert (value, listed(hr_client, url)) == (1, refs(w["accepted"]))
    assert total == open_round.mentee_places
    assert listed(hr_client, total_url) == refs(
        w["nominated"],
        w["waitlisted"],
        w["accepted"],
        w["under_review"],
        w["law_nominated"],
    )
    value, url, total, total_url = places[mentor_label]
    assert (value, listed(hr_client, url)) == (1, refs(w["mentor_accepted"]))
    assert total == open_round.mentor_places
    assert listed(hr_client, total_url) == refs(w["mentor"], w["mentor_accepted"])

    progress = chart_rows(page, "progress")
    scored = refs(w["nominated"], w["law_nominated"], w["mentor"])
    value, url, total, total_url = progress["Færre enn 2 vurderinger"]
    assert (value, listed(hr_client, url)) == (
        2,
        refs(w["law_nominated"], w["mentor"]),
    )
    assert (total, listed(hr_client, total_url)) == (3, scored)
    value, url, total, total_url = progress["2 vurderinger eller flere"]
    assert (value, listed(hr_client, url)) == (1, refs(w["nominated"]))
    assert (total, listed(hr_client, total_url)) == (3, scored)


def test_the_totals_tell_a_screen_reader_what_they_list(hr_client, world):
    with translation.override("nb"):
        page = hr_client.get(reverse("mentoring_selection:dashboard")).content
    page = page.decode()
    assert "kvote; viser fakultetets adeptsøknader" in page
    assert "plasser; viser alle søknader i denne rollen" in page


def summary_links(page, heading_id):
    """[(number, url)] of the links in the table under ``heading_id``."""
    table = page.split(f'id="{heading_id}"')[1].split("</table>")[0]
    return [
        (int(number), url)
        for url, number in re.findall(r'<a href="([^"]+)"[^>]*>(\d+)', table)
    ]


def test_the_summarys_numbers_lead_to_the_applications_they_count(
    hr_client, world, open_round
):
    w = world
    page = hr_client.get(
        reverse("mentoring_applications:summary"),
        {"round": open_round.translation_key},
    ).content.decode()
    links = (
        summary_links(page, "mentoring-status-heading")
        + summary_links(page, "mentoring-places-heading")
        + summary_links(page, "mentoring-nominations-heading")
    )
    places = {open_round.mentee_places, open_round.mentor_places}
    followed = 0
    for number, url in links:
        found = listed(hr_client, url)
        assert w["elsewhere"].reference not in found
        if "status" not in url and "faculty" not in url and number in places:
            continue  # the number of places: checked below
        assert len(found) == number, url
        followed += 1
    # Every status of both roles, two role totals, the accepted of each,
    # and mentees, mentors and nominated of both faculties.
    assert followed == len(Status) * 2 + 2 + 2 + 3 * 2
    accepted = [url for number, url in links if "status=accepted" in url]
    assert refs(w["accepted"], w["mentor_accepted"]) <= set().union(
        *(listed(hr_client, url) for url in accepted)
    )


def test_the_summary_links_the_places_to_the_roles_applications(
    hr_client, world, open_round
):
    ProgramRoundPage.objects.filter(pk=open_round.pk).update(mentee_places=17)
    page = hr_client.get(reverse("mentoring_applications:summary")).content.decode()
    table = page.split('id="mentoring-places-heading"')[1].split("</table>")[0]
    (url,) = re.findall(r'<a href="([^"]+)" data-mentoring-total>17<', table)
    assert listed(hr_client, url) == refs(
        world["nominated"],
        world["waitlisted"],
        world["accepted"],
        world["under_review"],
        world["law_nominated"],
    )
