"""Page rendering takes a fixed number of queries, however much content."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .utils import make_round, make_session, oslo


def count_queries(client, url):
    client.get(url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_round_with_sessions(programme, number, slug):
    programme_round = make_round(
        programme,
        title=f"Runde {slug}",
        slug=slug,
        application_opens=oslo(2027, 3, 1, 9),
        application_closes=oslo(2027, 4, 1, 12),
        period_start=datetime.date(2027, 8, 15),
        period_end=datetime.date(2028, 6, 15),
    )
    for day in range(number):
        make_session(
            programme_round, start=oslo(2027, 8, 16, 9) + datetime.timedelta(days=day)
        )
    return programme_round


def test_round_page_queries_do_not_grow_with_sessions(
    client, programme, django_assert_max_num_queries
):
    small = make_round_with_sessions(programme, 3, "liten")
    large = make_round_with_sessions(programme, 30, "stor")
    small_count = count_queries(client, small.url)
    assert count_queries(client, large.url) == small_count
    with django_assert_max_num_queries(small_count):
        assert client.get(large.url).content.decode().count('class="tags"') == 30


def test_programme_page_queries_do_not_grow_with_rounds(
    client, home, django_assert_max_num_queries
):
    from .utils import make_programme

    one = make_programme(home, slug="en-runde")
    make_round(one, slug="runde-1")
    ten = make_programme(home, slug="ti-runder", title="Ti runder")
    for number in range(10):
        make_round(
            ten,
            slug=f"runde-{number}",
            title=f"Runde {number}",
            period_start=datetime.date(2030 + number, 8, 1),
            period_end=datetime.date(2031 + number, 6, 1),
        )
    one_count = count_queries(client, one.url)
    assert count_queries(client, ten.url) == one_count
    with django_assert_max_num_queries(one_count):
        assert client.get(ten.url).content.decode().count("Runde ") >= 10
