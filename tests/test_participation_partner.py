"""The personal page and HR's participation overview show the partner of the
official pair the matching published; a partner who withdrew is no partner."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring_cms.models import Application
from mentoring_cms.models.matching import Match
from mentoring_cms.participation.summary import round_participation

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    make_running_round,
    page_url,
    participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(programme):
    return make_running_round(programme)


@pytest.fixture
def pair(running):
    mentee = participant(running, full_name="Kari Nordmann", email="kari@example.org")
    mentor = participant(
        running,
        role=Application.Role.MENTOR,
        full_name="Ola Professor",
        email="ola@example.org",
    )
    Match.objects.create(round=running, mentor=mentor, mentee=mentee)
    return mentee, mentor


def test_each_side_sees_the_other_on_the_personal_page(client, pair):
    mentee, mentor = pair
    content = client.get(page_url(mentee)).content.decode()
    assert "Ola Professor" in content
    assert "mailto:ola@example.org" in content
    content = client.get(page_url(mentor)).content.decode()
    assert "Kari Nordmann" in content
    assert "data-mentoring-partner" in content


def test_an_ended_pair_or_a_withdrawn_partner_is_no_partner(client, pair):
    mentee, mentor = pair
    mentor.status = Application.Status.WITHDRAWN
    mentor.save(update_fields=["status"])
    content = client.get(page_url(mentee)).content.decode()
    assert "Ola Professor" not in content
    assert "data-mentoring-partner" not in content
    mentor.status = Application.Status.ACCEPTED
    mentor.save(update_fields=["status"])
    Match.objects.update(ended_at="2027-01-01T00:00Z")
    assert "Ola Professor" not in client.get(page_url(mentee)).content.decode()


def test_hrs_overview_reads_the_partners_in_one_query(running, pair):
    mentee, mentor = pair
    summary = round_participation(running)
    partners = {row.application.pk: row.partner for row in summary.participants}
    assert partners == {mentee.pk: mentor, mentor.pk: mentee}
    for index in range(5):
        extra = participant(running, full_name=f"Adept {index}")
        helper = participant(
            running, role=Application.Role.MENTOR, full_name=f"Mentor {index}"
        )
        Match.objects.create(round=running, mentor=helper, mentee=extra)
    with CaptureQueriesContext(connection) as with_pairs:
        round_participation(running)
    Match.objects.all().delete()
    with CaptureQueriesContext(connection) as without_pairs:
        round_participation(running)
    # Six pairs cost what no pair costs: the partners come in one query.
    assert len(with_pairs.captured_queries) == len(without_pairs.captured_queries)
