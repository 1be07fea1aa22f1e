"""HR's listing with the committee's scores (mean, number of reviews,
spread): shown, sortable and filtered in the one listing query; and the
round summary's "Nominated mentees" column counts nominated mentees only."""

import re

import pytest
from django.urls import reverse

from mentoring_cms.models import Application

from .selection_helpers import make_reviewer, review
from .utils import make_application

Status = Application.Status
LISTING = "mentoring_applications:index"


@pytest.fixture
def reviewers(db):
    return make_reviewer("komite1"), make_reviewer("komite2")


def scored(open_round, faculty, reviewers, *means):
    """A nominated mentee per entry of ``means``, reviewed by both
    reviewers with ``(first, second)`` scores."""
    applications = []
    for first, second in means:
        application = make_application(
            round=open_round, faculty=faculty, status=Status.NOMINATED
        )
        review(application, reviewers[0], first)
        review(application, reviewers[1], second)
        applications.append(application)
    return applications


def references_in(html):
    return re.findall(r"MP-TEST-\d+", html)


def test_the_listing_shows_and_sorts_by_the_scores(
    hr_client, open_round, faculty, reviewers
):
    low, high = scored(open_round, faculty, reviewers, (1, 3), (5, 4))
    unscored = make_application(round=open_round, faculty=faculty)
    html = hr_client.get(reverse(LISTING), {"ordering": "-review_mean"}).content
    html = html.decode()
    assert "Gjennomsnitt" in html and "Spredning" in html
    order = [
        ref
        for ref in references_in(html)
        if ref in {low.reference, high.reference, unscored.reference}
    ]
    # Each reference appears once per row; unscored applications come last.
    assert list(dict.fromkeys(order)) == [
        high.reference,
        low.reference,
        unscored.reference,
    ]
    assert "4,50" in html  # the mean of 5 and 4
    assert "2,00" in html  # the spread of 1 and 3
    ascending = hr_client.get(reverse(LISTING), {"ordering": "review_spread"})
    order = [
        ref
        for ref in references_in(ascending.content.decode())
        if ref in {low.reference, high.reference, unscored.reference}
    ]
    assert list(dict.fromkeys(order)) == [
        high.reference,
        low.reference,
        unscored.reference,
    ]


def test_the_score_columns_cost_no_query_per_row(
    hr_client, open_round, faculty, reviewers, django_assert_num_queries
):
    scored(open_round, faculty, reviewers, (3, 4), (2, 2))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        hr_client.get(reverse(LISTING), {"ordering": "-review_mean"})
    scored(open_round, faculty, reviewers, *([(4, 5)] * 8))
    with django_assert_num_queries(len(few.captured_queries)):
        hr_client.get(reverse(LISTING), {"ordering": "-review_mean"})


def test_the_reviews_filter_finds_applications_short_of_reviews(
    hr_client, open_round, faculty, reviewers, settings
):
    settings.MENTORING_CMS_REVIEWS_PER_APPLICATION = 2
    (done,) = scored(open_round, faculty, reviewers, (3, 3))
    waiting = make_application(
        round=open_round, faculty=faculty, status=Status.NOMINATED
    )
    review(waiting, reviewers[0], 4)
    not_reviewable = make_application(round=open_round, faculty=faculty)
    short = hr_client.get(reverse(LISTING), {"reviews": "incomplete"}).content
    assert waiting.reference in short.decode()
    assert done.reference not in short.decode()
    assert not_reviewable.reference not in short.decode()
    complete = hr_client.get(reverse(LISTING), {"reviews": "complete"}).content
    assert done.reference in complete.decode()
    assert waiting.reference not in complete.decode()


def test_the_summary_counts_only_nominated_mentees_as_nominated(
    hr_client, open_round, faculty
):
    for status in (Status.NOMINATED, Status.WAITLISTED, Status.ACCEPTED):
        make_application(round=open_round, faculty=faculty, status=status)
    html = hr_client.get(reverse("mentoring_applications:summary")).content.decode()
    # Each count is a link to the listing (``test_review_summary``).
    count = r'<td><a href="[^"]*">{}</a></td>'
    row = re.search(
        rf"<td>{faculty.name}</td>\s*"
        + count.format(3)
        + r"\s*"
        + count.format(0)
        + r"\s*"
        + count.format(r"(\d+)")
        + r"\s*<td data-nominations-left>(\d+) / 4</td>",
        html,
    )
    assert row is not None, html
    # One still nominated; three of the four nominations are used.
    assert row.groups() == ("1", "1")
