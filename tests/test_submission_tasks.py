"""An application and the task that sends its emails are stored together
when the task backend is the database (django-tasks-db, as in production):
one transaction, so there is never an application without its email task,
nor a task for an application that was not stored."""

import pytest
from django.db import transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from mentoring_cms import tasks
from mentoring_cms.models import Application
from mentoring_cms.operations import submit_application

from .application_helpers import mentee_answers
from .utils import make_faculty

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }


@pytest.fixture
def faculty(db):
    return make_faculty()


def submit(programme_round, faculty, email="kari@example.org"):
    answers = {**mentee_answers(faculty)["about"], "email": email}
    return submit_application(
        programme_round=programme_round,
        role="mentee",
        answers=answers,
        language="nb",
        form_language="nb",
        privacy_notice_version="nb-r1-x",
    )


def test_the_email_task_is_queued_in_the_applications_transaction(
    database_tasks, open_round, faculty, django_capture_on_commit_callbacks
):
    assert tasks.queued_with_the_application()
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        application = submit(open_round, faculty)
        # Queued with the application, in its transaction: not left for
        # after the commit.
        assert DBTaskResult.objects.count() == before + 1
    assert callbacks == []
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert task.task_path.endswith("send_application_emails")
    assert task.args_kwargs["args"] == [application.pk]


def test_no_task_without_the_application(database_tasks, open_round, faculty):
    """A submission that fails after the row was written (here: in the
    transaction of a caller that rolls back) leaves neither behind."""

    class RolledBack(Exception):
        pass

    before = DBTaskResult.objects.count()
    with pytest.raises(RolledBack), transaction.atomic():
        submit(open_round, faculty)
        raise RolledBack
    assert Application.objects.count() == 0
    assert DBTaskResult.objects.count() == before


def test_a_failing_queue_stores_no_application(
    database_tasks, open_round, faculty, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the task table is unavailable")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    with pytest.raises(RuntimeError):
        submit(open_round, faculty)
    assert Application.objects.count() == 0


def test_other_backends_get_the_task_after_the_commit(
    open_round, faculty, mailoutbox, django_capture_on_commit_callbacks
):
    """The immediate backend (demo, tests) runs the task at once: only after
    the application is committed, so the task reads the stored row."""
    assert not tasks.queued_with_the_application()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(open_round, faculty)
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 2


def test_a_site_without_the_database_task_app_still_takes_applications(
    open_round, faculty, monkeypatch
):
    """Only the database backend needs django_tasks_db's model: with another
    backend its module is never imported (a site may leave the app out)."""
    import sys

    monkeypatch.setitem(sys.modules, "django_tasks_db.models", None)
    assert not tasks.queued_with_the_application()
    assert submit(open_round, faculty).pk
