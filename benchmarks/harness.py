"""Timing, query counting and memory measurement, and the results table."""

import gc
import json
import os
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Timing:
    samples: list = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.samples)

    @property
    def p90(self):
        return percentile(self.samples, 0.9)


def timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def alternate(ours, anchor, *, repeat, warmup=2):
    """Run ``ours`` and ``anchor`` in turns (A B A B …) after a warm-up, so
    drift on a shared machine hits both alike. Returns two Timings in seconds."""
    for _ in range(warmup):
        ours()
        anchor()
    a, b = Timing(), Timing()
    gc.collect()
    for _ in range(repeat):
        a.samples.append(timed(ours))
        b.samples.append(timed(anchor))
    return a, b


def count_queries(func):
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


def peak_memory(func):
    """Peak of Python allocations while ``func`` runs, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        func()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def _status_bytes(field):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss():
    # Linux: "5" resets the peak resident set size (VmHWM) to the current one.
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


def in_forked_child(func):
    """Run ``func`` once in a forked copy of this process and return
    (seconds, peak resident set above the resident set at the start, in
    bytes; Linux only).

    For exports that take minutes: tracemalloc would multiply their time
    several-fold, while the resident-set high-water mark costs nothing and
    counts every allocation, C libraries' included.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            from django.db import connections

            for conn in connections.all(initialized_only=True):
                # Leave the parent's connection alone; open one of our own.
                conn.connection = None
            gc.collect()
            _reset_peak_rss()
            before = _status_bytes("VmRSS")
            started = time.perf_counter()
            func()
            elapsed = time.perf_counter() - started
            after = _status_bytes("VmHWM")
            os.write(write_end, json.dumps([elapsed, after - before]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 4096):
        chunks.append(chunk)
    os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not chunks:
        raise RuntimeError("the measured export failed in the child process")
    elapsed, growth = json.loads(b"".join(chunks))
    return elapsed, growth


@dataclass
class Row:
    """One line of the table; ``checks`` are (description, passed) pairs."""

    name: str
    ours: str
    anchor: str
    ratio: float | None = None
    queries: str = ""
    memory: str = ""
    checks: list = field(default_factory=list)
    note: str = ""

    @property
    def budget(self):
        return "; ".join(text for text, _ok in self.checks)

    @property
    def met(self):
        if not self.checks:
            return "–"
        return "yes" if all(ok for _text, ok in self.checks) else "NO"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def seconds_or_ms(seconds):
    return ms(seconds) if seconds < 1 else f"{seconds:.2f} s"


def timing_cell(timing):
    return f"{seconds_or_ms(timing.median)} (p90 {seconds_or_ms(timing.p90)})"


def mib(size):
    return f"{size / 1024 / 1024:.1f} MB"


HEADERS = [
    "benchmark",
    "ours",
    "anchor",
    "ratio",
    "queries",
    "peak memory",
    "budget",
    "met?",
]


def _cells(row):
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
    return [
        row.name,
        row.ours,
        row.anchor,
        ratio,
        row.queries,
        row.memory,
        row.budget,
        row.met,
    ]


def text_table(rows):
    lines = [HEADERS, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    out = []
    for n, line in enumerate(lines):
        out.append(
            "  ".join(
                cell.ljust(width) for cell, width in zip(line, widths, strict=True)
            )
        )
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def markdown_table(rows):
    def escape(cell):
        return cell.replace("|", "\\|")

    out = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    for row in rows:
        out.append("| " + " | ".join(escape(c) for c in _cells(row)) + " |")
    return "\n".join(out)
