"""Calendar feeds: exactly the audience's gatherings, in local time with the
time zone, in both languages, answering conditional requests."""

import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from mentoring_cms.models import Application, SessionPage
from mentoring_cms.participation.links import make_token

from .application_helpers import translate_page
from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    feed_url,
    gathering,
    make_running_round,
    participant,
)

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.fixture
def running(programme):
    programme_round = make_running_round(programme)
    gathering(programme_round, 10, title="Felles")
    gathering(programme_round, 11, SessionPage.Audience.MENTEES, title="Adepter")
    gathering(programme_round, 12, SessionPage.Audience.MENTORS, title="Mentorer")
    return programme_round


def round_feed_url(programme_round, audience, language="nb"):
    return reverse(
        "mentoring_cms:round_calendar",
        kwargs={
            "round_key": programme_round.translation_key,
            "language": language,
            "audience": audience,
        },
    )


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize(
    "audience,titles",
    [
        ("all", {"Felles"}),
        ("mentees", {"Felles", "Adepter"}),
        ("mentors", {"Felles", "Mentorer"}),
    ],
)
def test_a_public_feed_holds_exactly_its_audiences_gatherings(
    client, running, audience, titles
):
    response = client.get(round_feed_url(running, audience))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert set(events(response)) == titles


def test_times_are_local_with_their_time_zone(client, running):
    response = client.get(round_feed_url(running, "all"))
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Oslo"
    assert (start.hour, start.minute) == (9, 0)
    assert start.utcoffset() == start.astimezone(OSLO).utcoffset()
    session = SessionPage.objects.get(title="Felles")
    assert start == session.start
    assert b"Europe/Oslo" in response.content


def test_the_public_feed_is_in_both_languages(client, running):
    en_round = translate_page(running, "en", title="Round")
    felles = SessionPage.objects.get(title="Felles")
    translate_page(felles, "en", title="Joint gathering")
    nb = events(client.get(round_feed_url(running, "all", "nb")))
    en = events(client.get(round_feed_url(en_round, "all", "en")))
    assert set(nb) == {"Felles"}
    assert set(en) == {"Joint gathering"}
    assert nb["Felles"]["uid"] == en["Joint gathering"]["uid"]


def test_the_round_page_links_its_feeds(client, running):
    content = client.get(running.url).content.decode()
    for audience in ("all", "mentors", "mentees"):
        assert round_feed_url(running, audience) in content


def test_feeds_answer_conditional_requests(client, running):
    url = round_feed_url(running, "all")
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # An editor changes a gathering: the feed changes with it.
    session = SessionPage.objects.get(title="Felles")
    session.place = "Dragvoll"
    session.save_revision().publish()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Dragvoll" in str(events(changed)["Felles"]["location"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"audience": "everyone"},
        {"language": "de"},
    ],
)
def test_unknown_feeds_are_404(client, running, kwargs):
    url_kwargs = {
        "round_key": running.translation_key,
        "language": "nb",
        "audience": "all",
        **kwargs,
    }
    url = reverse("mentoring_cms:round_calendar", kwargs=url_kwargs)
    assert client.get(url).status_code == 404


def test_an_unknown_round_has_no_feed(client, running):
    import uuid

    url = reverse(
        "mentoring_cms:round_calendar",
        kwargs={"round_key": uuid.uuid4(), "language": "nb", "audience": "all"},
    )
    assert client.get(url).status_code == 404


def test_a_participants_feed_holds_her_audiences_gatherings(client, running):
    mentor = participant(running, role=Application.Role.MENTOR)
    response = client.get(feed_url(mentor))
    assert response.status_code == 200
    assert set(events(response)) == {"Felles", "Mentorer"}
    assert "private" in response["Cache-Control"]
    assert (
        client.get(feed_url(mentor), HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_the_personal_feed_needs_a_calendar_token(client, running):
    mentee = participant(running)
    page_token = make_token(mentee)
    url = reverse("mentoring_cms:personal_calendar", kwargs={"token": page_token})
    assert client.get(url).status_code == 404
    assert client.get(feed_url(mentee)[:-8] + "x.ics").status_code == 404


def test_no_feed_before_acceptance(client, running):
    applicant = participant(running, status=Application.Status.SUBMITTED)
    assert client.get(feed_url(applicant)).status_code == 404


@pytest.mark.parametrize("count", [7, 30])
def test_feeds_cost_the_same_queries(
    client, programme, django_assert_max_num_queries, count
):
    programme_round = make_running_round(programme)
    for day in range(count):
        gathering(programme_round, day + 1, slug=f"s-{day}")
    mentee = participant(programme_round)
    with django_assert_max_num_queries(8):
        response = client.get(round_feed_url(programme_round, "mentees"))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count
    with django_assert_max_num_queries(8):
        response = client.get(feed_url(mentee))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count
