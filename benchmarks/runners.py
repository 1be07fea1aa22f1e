"""Which benchmark runs in which order; the data set grows between sizes."""

import time

from . import bench_cache, bench_hr, bench_matching, bench_pages, bench_wizard


class _Step:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print(f"running {self.name} …", flush=True)
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        print(f"  {self.name}: {time.perf_counter() - self.started:.0f} s", flush=True)


def settle():
    """On PostgreSQL, ``VACUUM ANALYZE`` after the rows were added, as
    autovacuum leaves a table that has been in use: planner statistics and
    the visibility map (index-only scans) for the anchor's tables and
    ours alike. SQLite needs nothing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.set_autocommit(autocommit)


def run_all(ds, config, only):
    rows = []
    if "pages" in only:
        with _Step("pages"):
            rows += bench_pages.run(ds, config)
    if "cache" in only:
        with _Step("cache"):
            rows += bench_cache.run(ds, config)
    if "wizard" in only:
        with _Step("wizard"):
            rows += bench_wizard.run(ds, config)
    if "matching" in only:
        with _Step("matching"):
            rows += bench_matching.run(ds, config)
    hr = [name for name in ("listing", "csv", "xlsx") if name in only]
    if hr:
        urls = bench_hr.Urls(ds)
        counts, peaks = {}, {}
        sizes = list(config.sizes)
        for size in sizes:
            with _Step(f"data set to {size:,} rows"):
                ds.grow_to(size)
                settle()
            if "listing" in only:
                with _Step(f"listing at {size:,}"):
                    rows += bench_hr.run_listing(ds, config, size, urls, counts)
            if "csv" in only:
                with _Step(f"csv export at {size:,}"):
                    rows += bench_hr.run_csv(ds, config, size, urls, peaks)
            if "xlsx" in only:
                with _Step(f"xlsx export at {size:,}"):
                    rows += bench_hr.run_xlsx(ds, config, size, urls)
        rows += bench_hr.listing_query_rows(sizes, counts)
    return rows
