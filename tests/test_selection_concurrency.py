"""Two coordinators nominating the last slot of their faculty at the same
moment: exactly one nomination is stored. As for HR's decisions
(test_review_concurrency.py), each thread waits for the other inside the
quota check; with the round's row lock the second cannot get there before
the first has committed. Needs PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection

from mentoring_cms import operations as review_operations
from mentoring_cms.models import Application, Nomination
from mentoring_cms.selection import operations

from .selection_helpers import make_coordinator
from .utils import make_application, make_faculty, make_programme, make_round, make_site

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL"
    ),
]

Status = Application.Status


def test_two_coordinators_race_for_the_last_nomination(monkeypatch):
    programme_round = make_round(make_programme(make_site()), faculty_quota=1)
    faculty = make_faculty()
    coordinators = [make_coordinator(f"koordinator{i}", faculty) for i in (1, 2)]
    applications = [
        make_application(
            round=programme_round, faculty=faculty, status=Status.UNDER_REVIEW
        )
        for _ in coordinators
    ]
    barrier = threading.Barrier(2)
    check_quota = review_operations.check_quota

    def check_quota_after_meeting(application, new_status):
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return check_quota(application, new_status)

    monkeypatch.setattr(review_operations, "check_quota", check_quota_after_meeting)
    outcomes = []

    def nominate(application, user):
        try:
            operations.nominate(application, user=user, justification="Sterk.")
            outcomes.append("nominated")
        except review_operations.QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=nominate, args=pair)
        for pair in zip(applications, coordinators, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["nominated", "refused"]
    assert Application.objects.filter(status=Status.NOMINATED).count() == 1
    assert Nomination.objects.count() == 1
