"""The same person sending her evaluation twice at the same moment (two
tabs, a double click): exactly one answer and one receipt are stored. Both
threads meet inside the check; the row lock on the application keeps the
second out until the first has committed, and then it finds the receipt.
Needs PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection

from mentoring_cms.models import EvaluationAnswer, EvaluationReceipt
from mentoring_cms.outcomes import evaluation as operations

from .evaluation_helpers import answer, ask_evaluation
from .participation_helpers import make_running_round, participant
from .utils import make_programme, make_site

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL"
    ),
]


def test_two_sends_at_once_store_one_answer(monkeypatch):
    programme_round = make_running_round(make_programme(make_site()))
    ask_evaluation(programme_round)
    mentee = participant(programme_round)
    barrier = threading.Barrier(2)
    check = operations.check_can_answer

    def check_after_meeting(*args, **kwargs):
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return check(*args, **kwargs)

    monkeypatch.setattr(operations, "check_can_answer", check_after_meeting)
    outcomes = []

    def send():
        try:
            answer(mentee)
            outcomes.append("stored")
        except operations.EvaluationRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [operations.ALREADY_ANSWERED, "stored"]
    assert EvaluationAnswer.objects.count() == 1
    assert EvaluationReceipt.objects.count() == 1
