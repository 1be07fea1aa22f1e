"""The anonymous page cache: served without queries, emptied by publishing."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring_cms import page_cache

from .utils import get_locale, make_round, make_session


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MENTORING_CMS_PAGE_CACHE_TIMEOUT = 300
    cache.clear()
    yield
    cache.clear()


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured.captured_queries)


@pytest.mark.django_db
def test_second_anonymous_request_is_served_from_the_cache(client, open_round):
    first, first_queries = _get(client, open_round.url)
    second, second_queries = _get(client, open_round.url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


@pytest.mark.django_db
def test_publishing_the_page_empties_the_cache(client, open_round):
    _get(client, open_round.url)
    open_round.title = "Runde med ny tittel"
    revision = open_round.save_revision()
    revision.publish()
    response, queries = _get(client, open_round.url)
    assert queries > 0
    assert "Runde med ny tittel" in response.content.decode()


@pytest.mark.django_db
def test_publishing_a_child_session_empties_the_cache_of_the_round(client, open_round):
    session = make_session(open_round, title="Første samling")
    _get(client, open_round.url)
    session.title = "Flyttet samling"
    session.save_revision().publish()
    _response, queries = _get(client, open_round.url)
    assert queries > 0


@pytest.mark.django_db
def test_unpublishing_empties_the_cache(client, open_round):
    url = open_round.url
    _get(client, url)
    open_round.unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_each_language_has_its_own_entry(client, home, programme, open_round):
    en = get_locale("en")
    for page in (home, programme):
        page.copy_for_translation(en).save_revision().publish()
    english = open_round.copy_for_translation(en)
    english.title = "Round in English"
    english.save_revision().publish()
    _get(client, open_round.url)
    _get(client, english.url)
    nb_response, nb_queries = _get(client, open_round.url)
    en_response, en_queries = _get(client, english.url)
    assert nb_queries == en_queries == 0
    assert 'lang="nb"' in nb_response.content.decode()
    assert "Round in English" in en_response.content.decode()
    assert 'lang="en"' in en_response.content.decode()


@pytest.mark.django_db
def test_visitors_with_a_session_are_never_served_from_the_cache(
    client, admin_user, open_round
):
    _get(client, open_round.url)
    client.force_login(admin_user)
    response, queries = _get(client, open_round.url)
    assert response.status_code == 200
    assert queries > 0
    # …and what they see is not stored for anonymous visitors.
    client.logout()
    client.cookies.clear()
    _get(client, open_round.url)
    _response, anonymous_queries = _get(client, open_round.url)
    assert anonymous_queries == 0


@pytest.mark.django_db
def test_query_strings_and_unknown_urls_are_not_cached(client, programme, open_round):
    _get(client, open_round.url + "?utm=x")
    _response, queries = _get(client, open_round.url + "?utm=x")
    assert queries > 0
    missing = programme.url + "finnes-ikke/"
    client.get(missing)
    response, queries = _get(client, missing)
    assert response.status_code == 404
    assert queries > 0


@pytest.mark.django_db
def test_cache_off_when_timeout_is_zero(client, settings, open_round):
    settings.MENTORING_CMS_PAGE_CACHE_TIMEOUT = 0
    _get(client, open_round.url)
    _response, queries = _get(client, open_round.url)
    assert queries > 0


@pytest.mark.django_db
def test_cached_round_page_expires_when_applications_close(programme):
    closes = timezone.now() + datetime.timedelta(seconds=90)
    programme_round = make_round(
        programme,
        application_opens=timezone.now() - datetime.timedelta(days=1),
        application_closes=closes,
    )
    assert 1 <= programme_round.get_page_cache_timeout() <= 91
    programme.get_context(None)
    assert programme.get_page_cache_timeout() <= 91


@pytest.mark.django_db
def test_saving_a_faculty_empties_the_cache(open_round):
    from .utils import make_faculty

    generation = page_cache.current_generation(cache)
    make_faculty()
    assert page_cache.current_generation(cache) != generation


@pytest.mark.django_db
def test_responses_that_forbid_storing_are_not_cached(rf, open_round):
    from django.http import HttpResponse

    def view(request):
        request.mentoring_cms_page = open_round
        response = HttpResponse("personal")
        response["Cache-Control"] = "no-store"
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    request = rf.get(open_round.url)
    middleware(request)
    assert (
        cache.get(page_cache.cache_key(request, page_cache.current_generation(cache)))
        is None
    )


@pytest.mark.django_db
def test_application_wizard_pages_are_never_cached(client, open_round):
    from .application_helpers import apply_url

    start = apply_url(open_round, "mentee")
    first = client.get(start, follow=True)
    assert first.status_code == 200
    # A fresh anonymous visitor asks for the same step: rendered, not replayed.
    client.cookies.clear()
    step_url = first.redirect_chain[-1][0] if first.redirect_chain else start
    for _attempt in range(2):
        client.cookies.clear()
        response, queries = _get(client, step_url)
        assert response.status_code == 200
        assert queries > 0
