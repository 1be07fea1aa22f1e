"""The production task backend: work queued by a request is done by db_worker."""

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .production_settings import production_settings


@task()
def send_welcome(address):
    send_mail("Velkommen", "Takk for søknaden.", None, [address])


def run_worker():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


@pytest.fixture
def production_tasks():
    with override_settings(TASKS=production_settings()["TASKS"]):
        yield


# serialized_rollback, like every transactional test here: the next one then
# finds the data migrations create (the root page), whatever the order.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queued_email_is_sent_by_the_worker_once(production_tasks):
    result = send_welcome.enqueue("kari@example.org")

    # Enqueuing only stores the task: nothing is sent during the request.
    assert mail.outbox == []
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY

    run_worker()

    assert [message.to for message in mail.outbox] == [["kari@example.org"]]
    assert DBTaskResult.objects.get(id=result.id).status == (
        TaskResultStatus.SUCCESSFUL
    )

    run_worker()
    assert len(mail.outbox) == 1
