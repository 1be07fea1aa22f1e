"""Benchmark: export 100,000 applications to CSV through HR's export view.

Not a test. It builds a throwaway database (a temporary SQLite file by
default; with DATABASE_URL, Django's test database next to it), fills it with
applications, then downloads ``/admin/mentoring/applications/export/csv/`` as
a signed-in HR reviewer with Django's test client, reading the streamed
response chunk by chunk. It prints the rows, the seconds and the peak of
Python memory (tracemalloc) during the export, and exits with status 1 when
the peak reaches the budget (20 MB).

    .venv/bin/python benchmarks/export_csv.py [--rows 100000] [--format xlsx]
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_BYTES = 20 * 1024 * 1024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        default="csv",
        help="xlsx measures the spreadsheet export the same way",
    )
    return parser.parse_args()


def set_up_django():
    temp_dir = None
    if not os.environ.get("DATABASE_URL"):
        temp_dir = tempfile.TemporaryDirectory(prefix="mentoring-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temp_dir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_site.settings.test")
    import django

    django.setup()
    return temp_dir


def create_database(use_test_db):
    from django.core.management import call_command
    from django.db import connection

    if use_test_db:
        # Never touch the named database: create test_<name> and drop it after.
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0, interactive=False)


def fill(rows, batch):
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from mentoring_cms.models import Application
    from tests.utils import make_faculty, make_programme, make_round, make_site

    home = make_site()
    programme_round = make_round(make_programme(home))
    faculties = [
        make_faculty(name=name)
        for name in (
            "Fakultet for naturvitenskap",
            "Det juridiske fakultet",
            "Fakultet for økonomi og styring",
            "Fakultet for kunst, musikk og design",
        )
    ]
    statuses = Application.Status.values
    now = timezone.now()
    created = 0
    while created < rows:
        size = min(batch, rows - created)
        Application.objects.bulk_create(
            Application(
                round=programme_round,
                reference=f"MP-2026-{i:06d}",
                role="mentee" if i % 2 else "mentor",
                status=statuses[i % len(statuses)],
                full_name=f"Åse Ødegård Blåbærsyltetøy {i}",
                email=f"soker{i}@example.org",
                phone=f"+47 900 {i % 100000:05d}",
                language="nb" if i % 3 else "en",
                position="associate_professor" if i % 2 else "professor",
                permanently_employed=bool(i % 2),
                faculty=faculties[i % len(faculties)],
                department="=1+1" if i % 1000 == 0 else "Institutt for fysikk",
                academic_field="Kvantefysikk og æøå",
                answers={"motivation": "Jeg ønsker å bli professor. " * 5},
                submitted_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(created, created + size)
        )
        created += size

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="hr-bench")
    user.groups.add(Group.objects.get(name="HR reviewers"))
    return user


def export(user, fmt):
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse("mentoring_applications:export", args=[fmt])

    tracemalloc.start()
    started = time.perf_counter()
    # Above MENTORING_CMS_XLSX_INLINE_MAX_ROWS the site hands XLSX to a
    # background task, which writes the workbook the same way; here it is
    # written inline so that time and memory can be measured.
    with override_settings(MENTORING_CMS_XLSX_INLINE_MAX_ROWS=10**9):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = 0
    with tempfile.TemporaryFile() as copy:
        for chunk in response.streaming_content:
            copy.write(chunk)
            size += len(chunk)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        copy.seek(0)
        rows = count_rows(copy, fmt)
    return rows, size, seconds, peak


def count_rows(handle, fmt):
    """Data rows in the downloaded file (the header not counted)."""
    if fmt == "csv":
        import csv
        import io

        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        return sum(1 for _row in csv.reader(text)) - 1
    from openpyxl import load_workbook

    sheet = load_workbook(handle, read_only=True).active
    return sum(1 for _row in sheet.iter_rows(values_only=True)) - 1


def main():
    args = parse_args()
    use_test_db = bool(os.environ.get("DATABASE_URL"))
    temp_dir = set_up_django()
    from django.db import connection

    create_database(use_test_db)
    try:
        started = time.perf_counter()
        user = fill(args.rows, args.batch)
        print(
            f"database: {connection.vendor}; created {args.rows} applications "
            f"in {time.perf_counter() - started:.1f} s"
        )
        rows, size, seconds, peak = export(user, args.format)
    finally:
        if use_test_db:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0
            )
        if temp_dir:
            temp_dir.cleanup()
    print(f"format: {args.format}")
    print(f"rows exported: {rows}")
    print(f"bytes: {size}")
    print(f"seconds: {seconds:.2f}")
    print(f"peak memory (tracemalloc): {peak / 1024 / 1024:.2f} MB")
    if rows != args.rows:
        print(f"FAIL: expected {args.rows} rows")
        return 1
    if peak >= BUDGET_BYTES:
        print(f"FAIL: peak memory is over {BUDGET_BYTES / 1024 / 1024:.0f} MB")
        return 1
    print("OK: under the 20 MB budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
