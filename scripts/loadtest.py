"""The busiest hour, on one machine: `make loadtest`.

Starts mentoring_cms the way production runs it (production settings,
PostgreSQL, two gunicorn instances on two ports, the db_worker task worker,
Redis when it answers), loads the demo content and sends simulated applicants
through the whole application wizard at once. Every request goes to the other
server than the one before, as a load balancer without sticky sessions would
do; each applicant has its own cookies and CSRF token, and every third mentee
uploads a PDF.

It prints applications submitted and stored, duplicates, HTTP 5xx, p50/p95
per step and throughput, and exits with status 1 when an application is
missing or doubled, a request failed, or the queued emails were not all sent.
Everything it starts is stopped, and its database dropped, when it ends,
also on errors and Ctrl+C.

    .venv/bin/python scripts/loadtest.py [--applicants 200] [--keep-db]

Environment: LOADTEST_DATABASE (default mentoring_cms_loadtest, created and
dropped), LOADTEST_PG (server, default postgres://postgres@127.0.0.1:5432),
LOADTEST_REDIS_URL (default redis://127.0.0.1:6379/0; "" for none),
LOADTEST_PORTS (default 8101,8102).
"""

import argparse
import io
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pikepdf
import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 90
STEPS = {
    "mentee": [
        "about",
        "position",
        "promotion",
        "motivation",
        "matching",
        "consent",
        "review",
    ],
    "mentor": ["about", "position", "experience", "matching", "consent", "review"],
}
HIDDEN_INPUT = re.compile(r"<input\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
FACULTY_OPTION = re.compile(
    r'<select[^>]*name="position-faculty"[^>]*>(.*?)</select>', re.S
)
OPTION_VALUE = re.compile(r'<option value="(\d+)"')
REFERENCE_IN_URL = re.compile(r"/done/([A-Z]+-\d{4}-\d+)/?$")


class LoadTestFailed(Exception):
    pass


# Processes ------------------------------------------------------------------


class Processes:
    """The servers and the worker, each in its own process group."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.running = []

    def start(self, name, command, env):
        log = open(self.log_dir / f"{name}.log", "wb")
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((name, process, log))
        return process

    def check_alive(self):
        for name, process, _log in self.running:
            if process.poll() is not None:
                raise LoadTestFailed(
                    f"{name} exited with status {process.returncode}; "
                    f"see {self.log_dir / (name + '.log')}"
                )

    def stop_all(self):
        for _name, process, _log in self.running:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 20
        for _name, process, log in self.running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
            log.close()
        self.running = []

    def log_text(self, name):
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def run(command, env, timeout=300):
    try:
        result = subprocess.run(  # noqa: S603
            command,
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LoadTestFailed(
            f"{' '.join(command[1:3])} did not finish within the time limit"
        ) from None
    if result.returncode != 0:
        raise LoadTestFailed(
            f"{' '.join(command[1:3])} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def port_is_free(port):
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def redis_answers(url):
    if not url:
        return False
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname, parts.port or 6379), timeout=1
        ) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_until_healthy(ports, processes, timeout=90):
    deadline = time.monotonic() + timeout
    pending = set(ports)
    while pending:
        processes.check_alive()
        if time.monotonic() > deadline:
            raise LoadTestFailed(f"servers on {sorted(pending)} never became healthy")
        for port in list(pending):
            try:
                response = requests.get(
                    f"http://{HOST}:{port}/healthz", headers={"Host": HOST}, timeout=2
                )
                if response.status_code == 200:
                    pending.discard(port)
            except requests.RequestException:
                pass
        time.sleep(0.3)


# Database -------------------------------------------------------------------


def admin_connection(server):
    return psycopg.connect(f"{server}/postgres", autocommit=True)


def create_database(server, name):
    with admin_connection(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server, name):
    with admin_connection(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The simulated applicants -----------------------------------------------------


def pdf_bytes():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def hidden_fields(html):
    fields = {}
    for tag in HIDDEN_INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def answers_for(role, number, run_id, faculty):
    email = f"applicant{number:03d}.{run_id}@example.org"
    if role == "mentee":
        return {
            "about": {
                "full_name": f"Kari Nordmann {number}",
                "email": email,
                "phone": "+47 73 59 50 00",
                "language": "nb" if number % 2 else "en",
            },
            "position": {
                "position": "associate_professor",
                "permanently_employed": "yes",
                "faculty": faculty,
                "department": "Institutt for kjemi",
                "academic_field": "Beregningsorientert kjemi",
            },
            "promotion": {
                "promotion_target": "professor",
                "promotion_progress": "under_way",
                "planned_application": "1_2_years",
                "progress_summary": "Tre av fem artikler er publisert.",
            },
            "motivation": {
                "motivation": "Jeg vil bli professor.",
                "justification": "Tiden er inne.",
                "expectations": "Råd om søknaden.",
            },
            "matching": {
                # A mentee's track follows her promotion target.
                "matching_topics": ["networking", "promotion_application"],
                "matching_languages": ["nb"],
                "matching_wishes": "Gjerne noen fra humaniora.",
            },
            "consent": {
                "confirm_gatherings": "on",
                "confirm_meetings": "on",
                "accept_privacy": "on",
            },
            "review": {},
        }
    return {
        "about": {
            "full_name": f"Ola Nordmann {number}",
            "email": email,
            "phone": "",
            "language": "en" if number % 2 else "nb",
        },
        "position": {
            "position": "professor",
            "faculty": faculty,
            "department": "Department of Physics",
            "academic_field": "",
        },
        "experience": {
            "earlier_mentoring": "yes",
            "mentoring_experience": "Mentor for PhD candidates.",
            "offer": "Experience with promotion committees.",
        },
        "matching": {
            "matching_track": "professor",
            "matching_topics": ["networking"],
            "matching_languages": ["en", "nb"],
        },
        "consent": {
            "confirm_gatherings": "on",
            "confirm_meetings": "on",
            "accept_privacy": "on",
        },
        "review": {},
    }


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.timings = defaultdict(list)
        self.statuses = defaultdict(int)
        self.server_errors = []
        self.requests = 0

    def record(self, label, seconds, status):
        with self.lock:
            self.timings[label].append(seconds)
            self.statuses[status] += 1
            self.requests += 1
            if status >= 500:
                self.server_errors.append(f"{label}: {status}")


class Applicant:
    def __init__(self, number, role, with_pdf, ports, round_path, run_id, stats):
        self.number = number
        self.role = role
        self.with_pdf = with_pdf
        self.ports = ports
        self.round_path = round_path
        self.run_id = run_id
        self.stats = stats
        self.turn = number  # where the alternation starts
        self.session = requests.Session()
        # What the load balancer adds: the public host and TLS. Like nginx's
        # default upstream, it opens a connection per request: a kept-alive
        # connection that gunicorn closes after its 2 s keep-alive would
        # otherwise be reset under the client's next request.
        self.session.headers.update(
            {
                "Host": HOST,
                "X-Forwarded-Proto": "https",
                "Connection": "close",
                "X-Forwarded-For": f"198.18.{number // 250}.{number % 250 + 1}",
                "User-Agent": "mentoring-cms-loadtest",
            }
        )

    def url(self, path):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        return f"http://{HOST}:{port}{path}"

    def request(self, method, path, label, expected, **kwargs):
        # The servers speak plain HTTP here but believe they are behind TLS
        # (X-Forwarded-Proto), so their cookies are Secure, which requests
        # would not send over HTTP: this applicant's cookies, sent by hand.
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        headers = {**kwargs.pop("headers", {}), "Cookie": cookies}
        started = time.perf_counter()
        response = self.session.request(
            method,
            self.url(path),
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
            headers=headers,
            **kwargs,
        )
        self.stats.record(label, time.perf_counter() - started, response.status_code)
        if response.status_code != expected:
            raise LoadTestFailed(
                f"applicant {self.number}: {method} {label} answered "
                f"{response.status_code}, expected {expected}"
            )
        return response

    def apply(self):
        """Returns (reference, uploaded a PDF)."""
        start = f"{self.round_path}apply/{self.role}/"
        response = self.request("GET", start, "start", 302)
        path = urlsplit(response.headers["Location"]).path
        answers = None
        for step in STEPS[self.role]:
            if not path.endswith(f"/{step}/"):
                raise LoadTestFailed(
                    f"applicant {self.number}: expected step {step}, sent to {path}"
                )
            page = self.request("GET", path, f"{step} GET", 200)
            html = page.text
            if answers is None:
                answers = answers_for(self.role, self.number, self.run_id, None)
            if step == "position":
                options = FACULTY_OPTION.search(html)
                values = OPTION_VALUE.findall(options.group(1)) if options else []
                if not values:
                    raise LoadTestFailed("the position step lists no faculty")
                answers["position"]["faculty"] = values[self.number % len(values)]
            data = hidden_fields(html)
            data.update({f"{step}-{k}": v for k, v in answers[step].items()})
            files = None
            if step == "position" and self.with_pdf:
                files = {
                    "position-attachment": (
                        f"CV {self.number}.pdf",
                        pdf_bytes(),
                        "application/pdf",
                    )
                }
            origin = {"Origin": f"https://{HOST}"}
            response = self.request(
                "POST",
                path,
                f"{step} POST",
                302,
                data=data,
                files=files,
                headers=origin,
            )
            path = urlsplit(response.headers["Location"]).path
        match = REFERENCE_IN_URL.search(path)
        if not match:
            raise LoadTestFailed(f"applicant {self.number}: no reference in {path}")
        self.request("GET", path, "confirmation GET", 200)
        return match.group(1)


# The run ------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def main():  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="applicants at the same time (default: all of them)",
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds in all")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    started_at = time.monotonic()
    pg_server = os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432")
    db_name = os.environ.get("LOADTEST_DATABASE", "mentoring_cms_loadtest")
    redis_url = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    ports = [int(p) for p in os.environ.get("LOADTEST_PORTS", "8101,8102").split(",")]
    run_id = secrets.token_hex(3)
    work_dir = Path(tempfile.mkdtemp(prefix="mentoring-cms-loadtest-"))
    private_root = work_dir / "private-media"
    log_dir = work_dir / "logs"
    log_dir.mkdir()
    use_redis = redis_answers(redis_url)

    for port in ports:
        if not port_is_free(port):
            raise LoadTestFailed(f"port {port} is in use; set LOADTEST_PORTS")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"{pg_server}/{db_name}",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DEFAULT_FROM_EMAIL": "mentoring@localhost",
        "MENTORING_CMS_HR_EMAIL": "hr-mentoring@localhost",
        # The worker really renders and "sends" every email, to nowhere.
        "EMAIL_URL": "dummy://",
        "SECURE_SSL_REDIRECT": "false",
        "HOST": HOST,
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "4"),
        # Each applicant has an address of its own (X-Forwarded-For from
        # 127.0.0.1, a trusted proxy); the limits are raised all the same so
        # that they cannot be what this run measures.
        "MENTORING_CMS_RATE_LIMIT": "100000/h",
        "MENTORING_CMS_STEP_RATE_LIMIT": "1000000/h",
        # One directory both servers use, as a shared mount would be.
        "MENTORING_CMS_PRIVATE_MEDIA_ROOT": str(private_root),
        "MEDIA_ROOT": str(work_dir / "media"),
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{ports[0]}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if use_redis:
        env["REDIS_URL"] = redis_url
        env["CACHE_KEY_PREFIX"] = f"mentoring_cms_loadtest_{run_id}"

    processes = Processes(log_dir)
    created = False

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    def remaining():
        left = options.timeout - (time.monotonic() - started_at)
        if left <= 0:
            raise LoadTestFailed(f"over the time limit of {options.timeout} s")
        return left

    failures = []
    try:
        print(f"Database {db_name}: created; migrating and loading demo content …")
        create_database(pg_server, db_name)
        created = True
        manage = [PYTHON, "manage.py"]
        run([*manage, "migrate", "--noinput", "-v", "0"], env, timeout=remaining())
        run([*manage, "load_demo_content"], env, timeout=remaining())
        run(
            [*manage, "collectstatic", "--noinput", "-v", "0"],
            env,
            timeout=remaining(),
        )
        round_path = run(
            [*manage, "shell", "--no-imports", "-c", ROUND_QUERY],
            env,
            timeout=remaining(),
        ).strip()
        if not round_path.startswith("/"):
            raise LoadTestFailed(f"no open round in the demo content: {round_path!r}")

        for index, port in enumerate(ports, start=1):
            processes.start(
                f"gunicorn-{index}",
                [str(BIN / "gunicorn"), "demo_site.wsgi"],
                {**env, "PORT": str(port)},
            )
        processes.start(
            "worker",
            [*manage, "db_worker", "--queue-name", "default", "--interval", "0.5"],
            env,
        )
        wait_until_healthy(ports, processes, timeout=min(90, remaining()))
        print(
            f"Servers on ports {', '.join(map(str, ports))} "
            f"(gunicorn × {len(ports)}, {env['WEB_CONCURRENCY']} workers × "
            f"{env['GUNICORN_THREADS']} threads each), db_worker, "
            f"cache: {'Redis' if use_redis else 'local memory'}."
        )

        stats = Stats()
        applicants = []
        for number in range(1, options.applicants + 1):
            role = "mentee" if number % 4 else "mentor"
            with_pdf = role == "mentee" and number % 3 == 0
            applicants.append(
                Applicant(number, role, with_pdf, ports, round_path, run_id, stats)
            )
        concurrency = options.concurrency or len(applicants)
        print(f"Driving {len(applicants)} applicants, {concurrency} at a time …")

        def one(applicant):
            # Arrivals spread over the first seconds, as a crowd does.
            time.sleep(random.uniform(0, 3))  # noqa: S311
            return applicant.apply()

        submitted = {}
        drive_started = time.perf_counter()
        pool = ThreadPoolExecutor(max_workers=concurrency)
        try:
            futures = {pool.submit(one, a): a for a in applicants}
            for future in as_completed(futures, timeout=remaining()):
                applicant = futures[future]
                try:
                    submitted[applicant.number] = (future.result(), applicant)
                except Exception as error:
                    failures.append(f"{type(error).__name__}: {error}")
        except TimeoutError:
            raise LoadTestFailed(
                f"over the time limit of {options.timeout} s while applying"
            ) from None
        finally:
            # On a time-out or Ctrl+C, applicants not started never start;
            # the running ones fail fast once the servers are stopped.
            pool.shutdown(wait=False, cancel_futures=True)
        drive_seconds = time.perf_counter() - drive_started
        processes.check_alive()

        # The worker sends the two emails of every application.
        references = [reference for reference, _a in submitted.values()]
        # Only this run's applicants count: the demo content holds
        # applications of its own (the 2022 round's participants).
        ours = f"%.{run_id}@example.org"
        with psycopg.connect(f"{pg_server}/{db_name}") as connection:
            email_deadline = time.monotonic() + min(120, remaining())
            while True:
                unsent = connection.execute(
                    "SELECT count(*) FROM mentoring_cms_application "
                    "WHERE email LIKE %s AND (confirmation_sent_at IS NULL "
                    "OR notification_sent_at IS NULL)",
                    (ours,),
                ).fetchone()[0]
                connection.commit()
                if unsent == 0 or time.monotonic() > email_deadline:
                    break
                time.sleep(1)
            rows = connection.execute(
                "SELECT reference, lower(email), role, attachment, "
                "confirmation_sent_at IS NOT NULL AND "
                "notification_sent_at IS NOT NULL "
                "FROM mentoring_cms_application WHERE email LIKE %s",
                (ours,),
            ).fetchall()
            # Only the application emails count; Wagtail's own tasks queued
            # while the demo content was loaded are reported apart.
            failed = connection.execute(
                "SELECT task_path LIKE 'mentoring_cms.%%', count(*) "
                "FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'FAILED' GROUP BY 1"
            ).fetchall()
            failed_tasks = sum(count for ours, count in failed if ours)
            failed_other = sum(count for ours, count in failed if not ours)
    except KeyboardInterrupt:
        print("Interrupted; stopping everything.")
        processes.stop_all()
        if created and not options.keep_db:
            drop_database(pg_server, db_name)
        return 130
    except LoadTestFailed as error:
        print(f"FAILED: {error}")
        for name, _process, _log in processes.running:
            tail = processes.log_text(name)[-2000:]
            if tail.strip():
                print(f"--- last lines of {name} ---\n{tail}")
        return 1
    finally:
        processes.stop_all()
        if created and not options.keep_db:
            drop_database(pg_server, db_name)
        if failures:
            for name in ("gunicorn-1", "gunicorn-2", "worker"):
                tail = processes.log_text(name)[-3000:]
                if tail.strip():
                    print(f"--- last lines of {name} ---\n{tail}")
        shutil.rmtree(work_dir, ignore_errors=True)

    stored = {row[0]: row for row in rows}
    people = defaultdict(int)
    for row in rows:
        people[(row[1], row[2])] += 1
    duplicates = sum(count - 1 for count in people.values() if count > 1)
    duplicates += len(rows) - len(stored)
    missing = [r for r in references if r not in stored]
    pdfs_sent = sum(1 for _r, a in submitted.values() if a.with_pdf)
    pdfs_stored = sum(
        1 for r, a in submitted.values() if a.with_pdf and r in stored and stored[r][3]
    )
    emails_done = sum(1 for row in rows if row[4])
    server_errors = len(stats.server_errors)

    print()
    print(f"mentoring_cms load test, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}"
    )
    print(
        f"Whole run:               {time.monotonic() - started_at:.0f} s "
        "(set-up, load, emails, clean-up)"
    )
    print(f"Applicants:              {len(applicants)} (all at once: {concurrency})")
    print("Servers:                 every request to the other one than the last")
    print(f"Applications submitted:  {len(submitted)}")
    print(f"Applications stored:     {len(rows)}")
    print(f"Missing (submitted, not stored): {len(missing)}")
    print(f"Duplicates:              {duplicates}")
    print(f"PDFs uploaded / stored:  {pdfs_sent} / {pdfs_stored}")
    print(f"HTTP 5xx:                {server_errors}")
    print(f"Failed applicants:       {len(failures)}")
    print(
        f"Emails sent by the worker: {emails_done} of {len(rows)} applications "
        f"(both emails); failed email tasks: {failed_tasks}"
    )
    if failed_other:
        print(f"Other failed tasks (not counted): {failed_other}")
    print(
        f"Requests:                {stats.requests} "
        f"({', '.join(f'{s}: {n}' for s, n in sorted(stats.statuses.items()))})"
    )
    print(
        f"Throughput:              {len(submitted) / drive_seconds:.1f} applications/s, "
        f"{stats.requests / drive_seconds:.1f} requests/s over {drive_seconds:.1f} s"
    )
    print()
    print(f"{'step':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}")
    order = ["start"]
    for step in STEPS["mentee"] + ["experience"]:
        order += [f"{step} GET", f"{step} POST"]
    order.append("confirmation GET")
    for label in order:
        values = stats.timings.get(label)
        if values:
            print(
                f"{label:<22}{len(values):>9}"
                f"{statistics.median(values) * 1000:>9.0f}"
                f"{percentile(values, 0.95) * 1000:>9.0f}"
            )
    for failure in failures[:10]:
        print(f"  {failure}")

    ok = (
        len(submitted) == len(applicants)
        and len(rows) == len(submitted)
        and not missing
        and duplicates == 0
        and server_errors == 0
        and not failures
        and pdfs_stored == pdfs_sent
        and emails_done == len(rows)
        and failed_tasks == 0
    )
    print()
    print("RESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


ROUND_QUERY = """
from django.utils import timezone
from mentoring_cms.models import ProgramRoundPage, RoundStatus
now = timezone.now()
rounds = ProgramRoundPage.objects.live().filter(locale__language_code="nb")
print(next((r.url for r in rounds if r.status_at(now) == RoundStatus.OPEN), ""))
"""


if __name__ == "__main__":
    try:
        sys.exit(main())
    except LoadTestFailed as error:
        print(f"FAILED: {error}")
        sys.exit(1)
