"""Two reviewers deciding at the same moment cannot break a quota.

The round's rows are locked (``select_for_update``) while a decision is
checked and saved. Each thread below waits (a bounded while) for the other
inside the quota check: with the lock, the second thread cannot get there
until the first has committed, so exactly one decision wins. SQLite has no
row locks (it serialises writers itself), so this runs on PostgreSQL.
"""

import threading

import pytest
from django.db import connection

from mentoring_cms import operations
from mentoring_cms.models import Application

from .utils import make_application, make_faculty, make_programme, make_round, make_site

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL"
    ),
]

Status = Application.Status


def race(monkeypatch, applications, status):
    barrier = threading.Barrier(len(applications))
    check_quota = operations.check_quota

    def check_quota_after_meeting(application, new_status):
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return check_quota(application, new_status)

    monkeypatch.setattr(operations, "check_quota", check_quota_after_meeting)
    outcomes = []

    def decide(application):
        try:
            operations.decide_application(application, status)
            outcomes.append("changed")
        except operations.QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(application,))
        for application in applications
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_last_place_goes_to_one_reviewer_only(monkeypatch):
    programme_round = make_round(make_programme(make_site()), mentee_places=1)
    faculty = make_faculty()
    applications = [
        make_application(
            round=programme_round, faculty=faculty, status=Status.NOMINATED
        )
        for _ in range(2)
    ]
    assert race(monkeypatch, applications, Status.ACCEPTED) == ["changed", "refused"]
    assert Application.objects.filter(status=Status.ACCEPTED).count() == 1


def test_last_nomination_goes_to_one_reviewer_only(monkeypatch):
    programme_round = make_round(make_programme(make_site()), faculty_quota=1)
    faculty = make_faculty()
    applications = [
        make_application(
            round=programme_round, faculty=faculty, status=Status.UNDER_REVIEW
        )
        for _ in range(2)
    ]
    assert race(monkeypatch, applications, Status.NOMINATED) == [
        "changed",
        "refused",
    ]
    assert Application.objects.filter(status=Status.NOMINATED).count() == 1
