"""Parts of public pages kept between requests (``page_cache.cached_value``)
while content is unchanged: a round's list of gatherings and a page's
translations. Every content change shows at once, in every language."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .utils import get_locale, make_round, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.MENTORING_CMS_FRAGMENT_CACHE_TIMEOUT = 3600


@pytest.fixture
def programme_round(programme):
    programme_round = make_round(programme)
    for n in range(3):
        make_session(
            programme_round,
            title=f"Samling {n + 1}",
            start=programme_round.starts_at + datetime.timedelta(days=1 + 7 * n),
        )
    return programme_round


def html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def session_queries(client, page):
    with CaptureQueriesContext(connection) as captured:
        client.get(page.url)
    return [
        q["sql"]
        for q in captured.captured_queries
        if "mentoring_cms_sessionpage" in q["sql"]
    ]


def test_the_list_of_gatherings_is_rendered_once(client, programme_round):
    first = html(client, programme_round)
    assert "Samling 3" in first
    assert session_queries(client, programme_round) == []
    assert html(client, programme_round) == first


def test_a_changed_gathering_shows_at_once(client, programme_round):
    html(client, programme_round)
    session = programme_round.get_children().specific().get(title="Samling 2")
    session.title = "Skrivesamling"
    session.save_revision().publish()
    assert "Skrivesamling" in html(client, programme_round)

    added = make_session(
        programme_round,
        title="Ekstra samling",
        start=programme_round.starts_at + datetime.timedelta(days=60),
    )
    assert "Ekstra samling" in html(client, programme_round)

    added.unpublish()
    assert "Ekstra samling" not in html(client, programme_round)
    session.delete()
    assert "Skrivesamling" not in html(client, programme_round)


def test_each_language_has_its_own_list(client, home, programme, programme_round):
    html(client, programme_round)
    en = get_locale("en")
    for page in (home, programme):
        page.copy_for_translation(en, copy_parents=True).save_revision().publish()
    english = programme_round.copy_for_translation(en)
    english.title = "Round"
    english.save_revision().publish()
    for session in programme_round.get_children().specific():
        copy = session.copy_for_translation(en)
        copy.title = session.title.replace("Samling", "Gathering")
        copy.save_revision().publish()
    english.refresh_from_db()
    assert "Gathering 1" in html(client, english)
    assert "Samling 1" not in html(client, english)
    assert "Samling 1" in html(client, programme_round)


def test_with_the_cache_off_nothing_is_kept(client, settings, programme_round):
    settings.MENTORING_CMS_FRAGMENT_CACHE_TIMEOUT = 0
    html(client, programme_round)
    assert session_queries(client, programme_round)


def test_query_strings_make_no_new_entries(client, programme_round, monkeypatch):
    from mentoring_cms import page_cache

    html(client, programme_round)
    cache = page_cache.get_cache()
    stored = []
    original = cache.set

    def counting_set(key, *args, **kwargs):
        stored.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", counting_set)
    for number in range(5):
        assert client.get(f"{programme_round.url}?utm={number}").status_code == 200
    assert [key for key in stored if "mentoring_cms:fragment" in key] == []


def round_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [
        q["sql"]
        for q in captured.captured_queries
        if "mentoring_cms_programroundpage" in q["sql"]
    ]


@pytest.fixture
def page_cache_on(settings):
    settings.MENTORING_CMS_PAGE_CACHE_TIMEOUT = 300


def test_a_round_is_routed_from_the_cache_until_pages_change(
    client, page_cache_on, programme_round
):
    """Every public request under a round (its page, each wizard step) is
    routed through ``find_round``: the round comes from the cache while no
    page changes, and a renamed round is found under its new URL at once."""
    url = programme_round.url
    assert round_queries(client, url)[0].status_code == 200
    response, queries = round_queries(client, url)
    assert response.status_code == 200
    assert queries == []

    programme_round.slug = "ny-runde"
    programme_round.save_revision().publish()
    assert client.get(url).status_code == 404
    programme_round.refresh_from_db()
    assert client.get(programme_round.url).status_code == 200


def test_a_restriction_added_after_routing_applies_at_once(
    client, page_cache_on, programme_round
):
    """A cached route keeps whether a view restriction applies; adding one
    to the programme starts a new generation, so the next request asks for
    the password."""
    from wagtail.models import PageViewRestriction

    url = programme_round.url
    assert client.get(url).status_code == 200
    round_queries(client, url)
    PageViewRestriction.objects.create(
        page=programme_round.get_parent(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="hemmelig",
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "hemmelig" not in response.content.decode()
    assert "password" in response.content.decode().lower()
    assert "Samling 3" not in response.content.decode()


def test_the_topics_of_a_programme_follow_its_edits(programme_round):
    """The matching step's topics are kept between requests and change
    with the programme's."""
    from django.utils import translation

    from mentoring_cms.models.topics import topic_choices

    programme = programme_round.get_parent().specific
    with translation.override("nb"):
        before = topic_choices(programme_round)
        with CaptureQueriesContext(connection) as captured:
            assert topic_choices(programme_round) == before
        assert captured.captured_queries == []
        programme.matching_topics = [("topic", "Forskningsledelse i praksis")]
        programme.save_revision().publish()
        programme_round.refresh_from_db()
        labels = [label for _key, label in topic_choices(programme_round)]
    assert labels == ["Forskningsledelse i praksis"]


def test_with_the_page_cache_off_every_request_is_routed_from_the_database(
    client, programme_round
):
    """``MENTORING_CMS_PAGE_CACHE_TIMEOUT = 0`` (as the test settings) turns
    the kept routes off with the cached pages."""
    url = programme_round.url
    round_queries(client, url)
    _response, queries = round_queries(client, url)
    assert len(queries) == 1


def test_a_submission_checks_the_window_in_the_database(
    client, page_cache_on, programme, faculty
):
    """A round closed by a change this process's cache did not see (another
    app server's per-process cache) takes no application: the submission
    reads the round's dates again."""
    from django.utils import timezone

    from mentoring_cms.models import Application, ProgramRoundPage

    from .application_helpers import (
        apply_url,
        consent_fields,
        mentee_answers,
        post_step,
    )

    programme_round = make_round(programme, slug="aapen-runde")
    client.get(apply_url(programme_round, "mentee"))
    for step, fields in mentee_answers(faculty).items():
        if step == "review":
            break
        if step == "consent":
            fields = consent_fields(client, programme_round, "mentee", fields)
        assert (
            post_step(client, programme_round, "mentee", step, fields).status_code
            == 302
        )
    # Closed without a signal: the cached route still says open.
    ProgramRoundPage.objects.filter(pk=programme_round.pk).update(
        application_closes=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = post_step(client, programme_round, "mentee", "review", {})
    assert Application.objects.count() == 0
    assert response.status_code == 200
