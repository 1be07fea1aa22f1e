"""Settings of the benchmark run: the test settings plus the anchor app.

The database comes from ``MENTORING_CMS_BENCH_DATABASE_URL``, which
``benchmarks.run`` points at a throwaway SQLite file or a dedicated
PostgreSQL database before Django starts (and which gunicorn inherits).
"""

import os

import dj_database_url

from demo_site.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.anchor"]  # noqa: F405
if "wagtail.contrib.forms" not in INSTALLED_APPS:
    INSTALLED_APPS.append("wagtail.contrib.forms")

ROOT_URLCONF = "benchmarks.urls"
MENTORING_CMS_PAGE_CACHE_TIMEOUT = 300
# As in production: emails are queued for the task worker, not sent in the
# request (the test settings run tasks immediately).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# Every benchmark applicant comes from 127.0.0.1; the limits are not measured.
MENTORING_CMS_RATE_LIMIT = "1000000/h"
MENTORING_CMS_STEP_RATE_LIMIT = "1000000/h"
DEBUG = False
ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("MENTORING_CMS_BENCH_DATABASE_URL", "sqlite:///:memory:"),
        conn_max_age=600,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # What a production SQLite site would use; the data set is thrown away.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    }

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "mentoring-cms-bench",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "ERROR"},
}
