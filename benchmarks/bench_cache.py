"""Benchmark 2: cached round pages for anonymous visitors, in requests per
second from gunicorn (one sync worker on core 0, load generator on core 1),
beside the floor: a bare Django view returning "hello" served the same way."""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connections
from django.test import Client

from .harness import Row, count_queries

ROOT = Path(__file__).resolve().parent.parent
MIN_SHARE = 0.5
HELLO = "/bench-hello/"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pinned(core, command):
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(core), *command]
    return command


class Gunicorn:
    def __init__(self):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config=python:benchmarks.gunicorn_bench",
            f"--bind=127.0.0.1:{self.port}",
            "benchmarks.wsgi:application",
        ]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
        self.process = subprocess.Popen(  # noqa: S603
            _pinned(0, command), cwd=ROOT, env=env
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + HELLO, timeout=2):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def load(url, seconds, connections_=4):
    """Requests per second that ``url`` sustains, and the number of errors."""
    wrk = shutil.which("wrk")
    if wrk:
        command = [wrk, "-t1", f"-c{connections_}", f"-d{seconds:g}s", url]
        output = subprocess.run(  # noqa: S603
            _pinned(1, command), capture_output=True, text=True, check=True
        ).stdout
        found = re.search(r"Requests/sec:\s+([\d.]+)", output)
        if not found or float(found.group(1)) == 0:
            raise RuntimeError(f"wrk measured nothing at {url}:\n{output}")
        rps = float(found.group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        socket_errors = re.search(r"Socket errors: (.*)", output)
        count = int(errors.group(1)) if errors else 0
        if socket_errors and "timeout" in socket_errors.group(1):
            timeouts = int(re.search(r"timeout (\d+)", socket_errors.group(1))[1])
            count += timeouts
        return rps, count
    command = [
        sys.executable,
        "-m",
        "benchmarks.loadgen",
        url,
        str(seconds),
        str(connections_),
    ]
    output = subprocess.run(  # noqa: S603
        _pinned(1, command), capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    done, errors, elapsed = int(output[0]), int(output[1]), float(output[2])
    return done / elapsed, errors


def run(ds, config):
    pages = {
        "nb": ds.rounds[30].get_url(),
        "en": ds.rounds[30].get_translation(ds.en).get_url(),
    }
    # In process: the second anonymous request is answered without queries.
    client = Client()
    cached_queries = {}
    for language, url in pages.items():
        client.get(url)
        cached_queries[language] = count_queries(lambda url=url: client.get(url))
    # gunicorn gets its own connections to the database (SQLite file).
    connections.close_all()
    tool = "wrk" if shutil.which("wrk") else "Python load generator"
    results = {"floor": [], **{language: [] for language in pages}}
    errors = 0
    with Gunicorn() as server:
        for url in pages.values():
            urllib.request.urlopen(server.base + url).read()  # noqa: S310 (fill the cache)
        load(server.base + HELLO, 1)  # warm-up
        for _ in range(config.load_rounds):
            for name, path in [("floor", HELLO), *pages.items()]:
                rps, failed = load(server.base + path, config.load_seconds)
                results[name].append(rps)
                errors += failed
    floor = statistics.median(results["floor"])
    rows = []
    for language in pages:
        ours = statistics.median(results[language])
        share = ours / floor
        rows.append(
            Row(
                name=f"2. cached round page, 30 sessions, {language} (gunicorn, {tool})",
                ours=f"{ours:.0f} req/s",
                anchor=f"floor {floor:.0f} req/s",
                ratio=share,
                queries=f"{cached_queries[language]} (cached)",
                checks=[
                    (f"≥ {MIN_SHARE} × floor req/s", share >= MIN_SHARE),
                    ("no failed requests", errors == 0),
                ],
            )
        )
    return rows
