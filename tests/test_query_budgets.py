"""Query budgets of the public pages (timings live in ``benchmarks/``)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring_cms import page_cache

from .utils import get_locale, make_round, make_session

MAX_ROUND_PAGE_QUERIES = 10


def _translate(page, code):
    copy = page.copy_for_translation(get_locale(code), copy_parents=True)
    copy.save_revision().publish()
    return copy


def _round_with_sessions(programme, count, year):
    programme_round = make_round(programme, title=f"Runde {year}", slug=f"r-{year}")
    for n in range(count):
        make_session(
            programme_round,
            title=f"Samling {n + 1}",
            start=programme_round.starts_at
            + __import__("datetime").timedelta(days=1 + 7 * n),
        )
    return programme_round


def _queries(client, url):
    client.get(url)  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("fragment_cache", [0, 3600])
def test_round_page_queries_do_not_grow_with_sessions(
    client, programme, settings, fragment_cache
):
    # Rendered afresh (0) and with the list of gatherings kept as a fragment.
    settings.MENTORING_CMS_FRAGMENT_CACHE_TIMEOUT = fragment_cache
    few = _round_with_sessions(programme, 2, 2030)
    many = _round_with_sessions(programme, 30, 2031)
    assert _queries(client, few.url) == _queries(client, many.url)


@pytest.mark.django_db
@pytest.mark.parametrize("fragment_cache", [0, 3600])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_round_page_query_budget(
    client,
    home,
    programme,
    language,
    django_assert_max_num_queries,
    settings,
    fragment_cache,
):
    settings.MENTORING_CMS_FRAGMENT_CACHE_TIMEOUT = fragment_cache
    programme_round = _round_with_sessions(programme, 7, 2030)
    page = programme_round
    if language == "en":
        _translate(home, "en")
        _translate(programme, "en")
        page = _translate(programme_round, "en")
        for session in programme_round.get_children():
            _translate(session.specific, "en")
    client.get(page.url)
    with django_assert_max_num_queries(MAX_ROUND_PAGE_QUERIES):
        response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_costs_one_query_for_both_tags(client, home, open_round):
    """The switcher and the alternate links share one query per request,
    and none while the content has not changed since (a cached value)."""
    en_home = _translate(home, "en")
    client.get(open_round.url)

    def translation_queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(open_round.url)
        return response, [
            q
            for q in captured.captured_queries
            if re.search(r'translation_key" (=|IN) \(SELECT', q["sql"])
        ]

    page_cache.invalidate()
    response, queries = translation_queries()
    assert len(queries) == 1
    _response, queries = translation_queries()
    assert len(queries) == 0
    # The round has no English translation: English links to the English home.
    assert f'href="{en_home.url}"' in response.content.decode()
