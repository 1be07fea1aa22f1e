"""Three submissions of one application at the same moment (a triple click):
one application, and every request shows its confirmation. SQLite serialises
writers and the test client's in-memory database is not shared between
threads, so this runs on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from mentoring_cms import wizards
from mentoring_cms.models import Application

from .application_helpers import (  # noqa: F401
    clear_rate_limits,
    mentee_answers,
    post_step,
    walk,
)
from .utils import make_faculty, make_programme, make_round, make_site

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent requests need a database shared between threads",
    ),
]


def test_three_submissions_at_once_store_one_application(monkeypatch):
    programme_round = make_round(make_programme(make_site()))
    faculty = make_faculty()
    client = Client()
    walk(client, programme_round, "mentee", mentee_answers(faculty), until="consent")
    cookie = client.cookies["sessionid"].value

    clicks = 3
    barrier = threading.Barrier(clicks)
    submit = wizards.submit_application

    def submit_after_meeting(**kwargs):
        # Every request has read the session and validated the steps.
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        return submit(**kwargs)

    monkeypatch.setattr(wizards, "submit_application", submit_after_meeting)
    responses = []

    def click():
        try:
            browser = Client()
            browser.cookies["sessionid"] = cookie
            responses.append(post_step(browser, programme_round, "mentee", "review"))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Application.objects.count() == 1
    reference = Application.objects.get().reference
    assert [r.status_code for r in responses] == [302] * clicks
    assert {r["Location"] for r in responses} == {
        programme_round.url + f"apply/mentee/done/{reference}/"
    }
    confirmation = client.get(responses[0]["Location"])
    assert confirmation.status_code == 200
