"""Which benchmark runs in which order; the data set grows between sizes."""

import time

from . import bench_cache, bench_pages


def _announce(name):
    print(f"running {name} …", flush=True)
    return time.perf_counter()


def run_all(ds, config, only):
    rows = []
    if "pages" in only:
        started = _announce("pages")
        rows += bench_pages.run(ds, config)
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    if "cache" in only:
        started = _announce("cache")
        rows += bench_cache.run(ds, config)
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    return rows
