"""Applications under faults of the production setup (docs/deployment.md):
the database connection cut during the submit, the mail server or Redis
down, the task worker stopped, and two app servers sharing one application.

The tests that need PostgreSQL itself (terminating a backend, processes
sharing the test database) are skipped on SQLite; CI runs them on both.
"""

import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.test import Client, override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentoring_cms.models import Application
from mentoring_cms.storage import private_storage
from mentoring_cms.tasks import send_application_confirmation

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    make_pdf_bytes,
    mentee_answers,
    mentor_answers,
    post_step,
    walk,
)
from .production_settings import cache_settings, production_settings
from .smtp_server import SMTPServer, free_port
from .utils import make_faculty

BASE_DIR = Path(__file__).resolve().parent.parent
# The Redis these machines run (.ci/run starts it when it is not running).
LOCAL_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="needs PostgreSQL: it terminates a server backend, or lets separate "
    "processes share the test database (SQLite's is in memory)",
)


@pytest.fixture
def faculty(db):
    return make_faculty()


@pytest.fixture(autouse=True)
def empty_private_storage():
    """Other test modules may leave files behind; these tests start without."""
    clear_private_storage()
    yield
    clear_private_storage()


def clear_private_storage():
    for folder in ("wizard-tmp", "applications"):
        for name in stored_files(folder):
            private_storage.delete(f"{folder}/{name}")


def stored_files(folder):
    try:
        return private_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def with_pdf(answers):
    answers["position"]["_files"] = {
        "attachment": SimpleUploadedFile("cv.pdf", make_pdf_bytes(), "application/pdf")
    }
    return answers


def submit(client, programme_round, role="mentee"):
    return post_step(client, programme_round, role, "review", {})


@pytest.fixture
def production_tasks():
    """The database task backend: tasks wait for `db_worker`."""
    with override_settings(TASKS=production_settings()["TASKS"]):
        yield


def run_worker():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


# The database goes away during the final submit ------------------------------


def assert_failed_submit_lost_nothing(client, programme_round, response):
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert '<html lang="nb">' in page
    assert "Søknaden din kunne ikke sendes inn akkurat nå" in page
    assert "svarene du har gitt, er tatt vare på" in page
    assert apply_url(programme_round, "mentee", "review") in page
    # Nothing half-stored: no application, no file under applications/.
    assert Application.objects.count() == 0
    assert stored_files("applications") == []
    # The upload waits with the answers.
    assert len(stored_files("wizard-tmp")) == 1


def assert_submitting_again_works(client, programme_round):
    review = client.get(apply_url(programme_round, "mentee", "review"))
    assert review.status_code == 200
    assert "Kari Nordmann" in review.content.decode()
    response = submit(client, programme_round)
    assert response.status_code == 302
    assert "/done/" in response["Location"]
    application = Application.objects.get()
    assert application.full_name == "Kari Nordmann"
    assert application.attachment_name == "cv.pdf"
    assert private_storage.exists(application.attachment.name)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_database_error_during_submit_shows_a_page_and_keeps_the_answers(
    client, open_round, faculty, caplog
):
    walk(client, open_round, "mentee", with_pdf(mentee_answers(faculty)), "consent")
    original = Application.save

    def fail_once(self, *args, **kwargs):
        # Mid-transaction: the application row is written, not yet committed.
        original(self, *args, **kwargs)
        Application.save = original
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(Application, "save", fail_once):
        response = submit(client, open_round)

    assert_failed_submit_lost_nothing(client, open_round, response)
    assert any(
        record.name == "mentoring_cms.wizards"
        and "database is unavailable" in record.getMessage()
        for record in caplog.records
    )
    assert_submitting_again_works(client, open_round)


def terminate_this_connection():
    """Cut the connection of this thread from another one, as a database
    restart or a fail-over does, and wait until the server has dropped it."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _attempt in range(100):
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    break
                time.sleep(0.05)
    finally:
        other.close()


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connection_terminated_during_submit(client, open_round, faculty):
    walk(client, open_round, "mentee", with_pdf(mentee_answers(faculty)), "consent")
    original = Application.save
    cut = []

    def terminate_then_continue(self, *args, **kwargs):
        # The row is written inside the transaction; the commit then meets
        # a connection the server has dropped.
        original(self, *args, **kwargs)
        cut.append(connection.connection.info.backend_pid)
        terminate_this_connection()

    with mock.patch.object(Application, "save", terminate_then_continue):
        response = submit(client, open_round)

    assert cut, "the submit never reached the point where the connection is cut"
    assert_failed_submit_lost_nothing(client, open_round, response)
    assert_submitting_again_works(client, open_round)


# The mail server is down --------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mail_server_down_then_back(
    client, open_round, faculty, production_tasks, caplog
):
    port = free_port()  # nothing listens here: the mail server is down
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_TIMEOUT": 2,
        "MENTORING_CMS_HR_EMAIL": "hr@example.org",
    }
    caplog.set_level(logging.INFO)
    with override_settings(**smtp):
        response = walk(client, open_round, "mentee", mentee_answers(faculty))
        assert response.status_code == 302
        application = Application.objects.get()
        assert client.get(response["Location"]).status_code == 200

        run_worker()

        # One task per application sends both emails, and tries both.
        results = DBTaskResult.objects.all()
        assert results.count() == 1
        assert {r.status for r in results} == {TaskResultStatus.FAILED}
        logged = [
            r.getMessage() for r in caplog.records if r.name == "mentoring_cms.tasks"
        ]
        assert any("confirmation" in m and application.reference in m for m in logged)
        assert any("HR notification" in m for m in logged)
        application.refresh_from_db()
        assert application.confirmation_sent_at is None

        # The mail server is back, on the same port; the retry sends each once.
        with SMTPServer(port) as server:
            call_command("send_pending_application_emails")
            call_command("send_pending_application_emails")
            run_worker()
        recipients = sorted(to for to, _message in server.messages)
        assert recipients == [["hr@example.org"], ["kari.nordmann@example.org"]]
        application.refresh_from_db()
        assert application.confirmation_sent_at and application.notification_sent_at


# Redis is unreachable -------------------------------------------------------------


@pytest.fixture
def unreachable_redis():
    prod = production_settings(REDIS_URL="redis://127.0.0.1:1/0")
    with override_settings(**cache_settings(prod)):
        yield


@pytest.mark.django_db
def test_site_and_application_work_without_redis(
    client, programme, open_round, faculty, unreachable_redis, caplog
):
    caplog.set_level(logging.WARNING)
    for page in (programme, open_round):
        response = client.get(page.url)
        assert response.status_code == 200

    response = walk(client, open_round, "mentee", with_pdf(mentee_answers(faculty)))
    assert response.status_code == 302
    assert "/done/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    application = Application.objects.get()
    assert private_storage.exists(application.attachment.name)

    names = {record.name for record in caplog.records}
    assert "mentoring_cms.cache" in names  # django-redis, errors ignored
    assert any(
        record.name == "mentoring_cms.ratelimit"
        and "request allowed" in record.getMessage()
        for record in caplog.records
    )


# The task worker is stopped and started again ------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emails_queued_while_the_worker_is_stopped_are_sent_once(
    open_round, faculty, production_tasks
):
    with override_settings(MENTORING_CMS_HR_EMAIL="hr@example.org"):
        walk(Client(), open_round, "mentee", mentee_answers(faculty))
        # The worker handles one task, then stops (a deploy, a crash).
        call_command(
            "db_worker",
            "--batch",
            "--max-tasks",
            "1",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
        # One task per application: the mentee's confirmation and HR
        # notification went out together.
        assert len(mail.outbox) == 2
        walk(Client(), open_round, "mentor", mentor_answers(faculty))
        assert len(mail.outbox) == 2
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

        run_worker()  # started again
        run_worker()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "hr@example.org",
        "hr@example.org",
        "kari.nordmann@example.org",
        "ola.nordmann@example.org",
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert not Application.objects.filter(confirmation_sent_at=None).exists()


class SlowEmailBackend(BaseEmailBackend):
    """A mail server that takes its time, long enough for a second sender."""

    sent = []

    def send_messages(self, messages):
        time.sleep(0.5)
        SlowEmailBackend.sent.extend(message.to[0] for message in messages)
        return len(messages)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_and_retry_command_at_the_same_moment_send_once(open_round):
    application = Application.objects.create(
        round=open_round,
        role="mentee",
        full_name="Kari",
        email="kari@example.org",
        position="senior_lecturer",
        reference="MP-2026-0200",
    )
    SlowEmailBackend.sent = []

    def send():
        try:
            send_application_confirmation.call(application.pk)
        finally:
            connection.close()

    with override_settings(EMAIL_BACKEND="tests.test_faults.SlowEmailBackend"):
        senders = [threading.Thread(target=send) for _ in range(2)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(timeout=30)

    assert SlowEmailBackend.sent == ["kari@example.org"]
    application.refresh_from_db()
    assert application.confirmation_sent_at


# Two app servers finish one application ------------------------------------------


class AppServer:
    """gunicorn with the production settings, on the test database."""

    def __init__(self, port, log_path, redis_url=None):
        self.port = port
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.app_server_settings",
            "SECRET_KEY": "two-app-servers-share-this-secret-key-for-sessions-1234567",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEFAULT_FROM_EMAIL": "mentoring@example.org",
            "MENTORING_CMS_HR_EMAIL": "hr@example.org",
            "EMAIL_URL": "dummy://",
            "SECURE_SSL_REDIRECT": "false",
            # What the servers share: the database and this directory.
            "MENTORING_CMS_PRIVATE_MEDIA_ROOT": settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT,
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "WARNING",
        }
        # Without Redis each process has its own local cache and sessions
        # live in the database; with it, sessions are read through Redis.
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
            env["CACHE_KEY_PREFIX"] = f"mentoring_cms_test_{uuid.uuid4().hex}"
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "gunicorn"), "demo_site.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_healthy(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn on {self.port} exited")
            try:
                if requests.get(self.url("/healthz"), timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn on {self.port} never answered")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(params=["database sessions", "Redis and cached_db sessions"])
def two_app_servers(request, tmp_path):
    redis_url = LOCAL_REDIS if request.param.startswith("Redis") else None
    servers = [
        AppServer(free_port(), tmp_path / f"app{n}.log", redis_url) for n in (1, 2)
    ]
    try:
        for server in servers:
            server.wait_until_healthy()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Browser:
    """One applicant's cookies, sent to whichever server answers."""

    def __init__(self):
        self.session = requests.Session()
        self.cookies = {}

    def request(self, server, method, path, **kwargs):
        # The cookies are Secure (production settings) and these servers
        # speak plain HTTP, so they are sent by hand.
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.session.request(
            method,
            server.url(path),
            headers={"Cookie": header},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        assert response.status_code < 500, (method, path, response.status_code)
        return response

    def post_step(self, server, programme_round, role, step, fields, files=None):
        page = self.request(server, "GET", apply_url(programme_round, role, step))
        assert page.status_code == 200, (step, page.status_code)
        token = self.cookies["csrftoken"]
        prefix = f"mentoring_cms_{programme_round.translation_key.hex}_{role}"
        data = {"csrfmiddlewaretoken": token, f"{prefix}-current_step": step}
        data.update({f"{step}-{name}": value for name, value in fields.items()})
        response = self.request(
            server,
            "POST",
            apply_url(programme_round, role, step),
            data=data,
            files=files,
        )
        assert response.status_code == 302, (step, response.status_code)
        return response


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_app_servers_finish_one_application(open_round, faculty, two_app_servers):
    from mentoring_cms.forms import privacy_notice_version

    first, second = two_app_servers
    answers = mentee_answers(faculty)
    answers["consent"]["notice_version"] = privacy_notice_version(
        open_round.privacy_notice
    )
    pdf = make_pdf_bytes(pages=2)
    browser = Browser()

    # Steps 1–3, with the PDF, on the first server …
    for step in ("about", "position", "promotion"):
        files = None
        if step == "position":
            files = {"position-attachment": ("cv.pdf", pdf, "application/pdf")}
        browser.post_step(first, open_round, "mentee", step, answers[step], files)
    assert len(stored_files("wizard-tmp")) == 1

    # … the rest on the second, which has never seen this applicant.
    for step in ("motivation", "matching", "consent"):
        browser.post_step(second, open_round, "mentee", step, answers[step])
    review = browser.request(
        second, "GET", apply_url(open_round, "mentee", "review")
    ).text
    assert "Kari Nordmann" in review
    assert "cv.pdf" in review
    response = browser.post_step(second, open_round, "mentee", "review", {})
    assert "/done/" in response.headers["Location"]
    done = browser.request(second, "GET", response.headers["Location"])
    assert done.status_code == 200

    application = Application.objects.get()
    assert done.text.count(application.reference) >= 1
    assert application.full_name == "Kari Nordmann"
    assert application.department == "Institutt for kjemi"
    assert application.answers["promotion_target"] == "professor"
    assert application.answers["motivation"] == "Jeg vil bli professor."
    assert application.attachment_name == "cv.pdf"
    with private_storage.open(application.attachment.name) as stored:
        assert stored.read() == pdf
    # The temporary upload is gone once the application holds the file.
    assert stored_files("wizard-tmp") == []
