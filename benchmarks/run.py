"""Run the mentoring_cms benchmarks beside Wagtail's form builder.

    python -m benchmarks.run            # everything (``make bench``)
    python -m benchmarks.run --quick    # fewer repetitions, 10,000 rows only
    python -m benchmarks.run --only pages,cache

The data set lives in a throwaway database: a temporary SQLite file, or,
when ``DATABASE_URL`` points at PostgreSQL, a dedicated database named
after it with ``_bench`` appended, dropped at the end.
"""

import argparse
import datetime
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS = ["pages", "cache", "wizard", "listing", "csv", "xlsx", "matching"]


@dataclass
class Config:
    page_repeat: int = 30
    post_repeat: int = 20
    listing_repeat: int = 8
    large_listing_repeat: int = 5
    export_repeat: int = 2
    large_export_repeat: int = 3
    large_xlsx_anchor: bool = True
    sizes: tuple = (10_000, 100_000)
    load_seconds: float = 3.0
    load_rounds: int = 2


QUICK = Config(
    page_repeat=10,
    post_repeat=8,
    listing_repeat=3,
    large_listing_repeat=3,
    export_repeat=1,
    large_export_repeat=1,
    large_xlsx_anchor=False,
    sizes=(10_000,),
    load_seconds=2.0,
    load_rounds=1,
)


class Database:
    """A database of our own for one run, removed afterwards."""

    def __init__(self):
        url = os.environ.get("DATABASE_URL", "")
        self.tempdir = None
        self.postgres = None
        if url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(url)
            name = (parts.path.lstrip("/") or "mentoring_cms") + "_bench"
            self.postgres = (parts, name)
            self.url = urlunsplit(parts._replace(path="/" + name))
            self.label = f"PostgreSQL ({name})"
        else:
            self.tempdir = tempfile.mkdtemp(prefix="mentoring-cms-bench-")
            self.url = f"sqlite:///{self.tempdir}/bench.sqlite3"
            self.label = "SQLite (temporary file)"

    def _admin(self, sql):
        import psycopg

        parts, _name = self.postgres
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create(self):
        if self.postgres:
            name = self.postgres[1]
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{name}"')

    def drop(self):
        if self.postgres:
            from django.db import connections

            connections.close_all()
            self._admin(f'DROP DATABASE IF EXISTS "{self.postgres[1]}" WITH (FORCE)')
        elif self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)


def environment(database):
    import django
    import wagtail

    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} cores ({platform.machine()}); "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}; {database.label}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    args = parser.parse_args(argv)
    config = QUICK if args.quick else Config()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")

    database = Database()
    database.create()
    os.environ["MENTORING_CMS_BENCH_DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from . import runners
    from .data import DataSet
    from .harness import markdown_table, text_table

    started = time.perf_counter()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        ds = DataSet()
        with transaction.atomic():
            ds.build_site()
        print(f"data set built in {time.perf_counter() - started:.0f} s", flush=True)
        rows = runners.run_all(ds, config, only)
        env = environment(database)
    finally:
        database.drop()
    elapsed = time.perf_counter() - started
    table = text_table(rows)
    print()
    print(env)
    print(table)
    print(f"\n{len(rows)} rows in {elapsed:.0f} s", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(
        f"Measured {env}; `make bench` took {elapsed:.0f} s.\n\n"
        + markdown_table(rows)
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
