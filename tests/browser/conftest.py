"""Fixtures for the real-browser tests: Debian's Chromium driven by
Playwright against pytest-django's live server, with the demo content.

The browser tests run when /usr/bin/chromium and the npm checkers
(``make node_modules``) are present; otherwise they are deselected with a
plain message, or, when ``MENTORING_CMS_REQUIRE_BROWSER=1`` (CI), the run
stops with an error instead of skipping them.
"""

import io
import os
import shutil
import sqlite3

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from playwright.sync_api import expect

from .quality import AXE_JS, VNU_JAR, HtmlDocuments, QualityChecks

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_MARKER = "browser"
# Assertions wait up to 10 s for the page to get there (the admin's filters
# apply after a short delay; CI machines can be slow); actions up to 15 s
# (the ``page`` fixture below).
expect.set_options(timeout=10_000)
LAST = "test_html_validity.py"


def _missing_requirements():
    missing = []
    if not os.path.exists(CHROMIUM):
        missing.append(f"Chromium not found at {CHROMIUM}")
    if not AXE_JS.exists() or not VNU_JAR.exists():
        missing.append("axe-core / vnu-jar not installed (run `make node_modules`)")
    if shutil.which("java") is None:
        missing.append("java not found (needed by the Nu Html Checker)")
    return missing


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    browser = [item for item in items if item.get_closest_marker(BROWSER_MARKER)]
    if not browser:
        return
    missing = _missing_requirements()
    if missing:
        reason = "; ".join(missing)
        if os.environ.get("MENTORING_CMS_REQUIRE_BROWSER") == "1":
            raise pytest.UsageError(
                f"Browser tests are required (MENTORING_CMS_REQUIRE_BROWSER=1) "
                f"but cannot run: {reason}"
            )
        config._mentoring_browser_skipped = (len(browser), reason)
        items[:] = [item for item in items if item not in browser]
        config.hook.pytest_deselected(items=browser)
        return
    # The browser tests run last: they restore their own database state, and
    # the HTML validity check needs every page the others kept.
    others = [item for item in items if item not in browser]
    last = [item for item in browser if item.path.name == LAST]
    items[:] = others + [item for item in browser if item not in last] + last


def pytest_terminal_summary(terminalreporter, config):
    skipped = getattr(config, "_mentoring_browser_skipped", None)
    if skipped:
        count, reason = skipped
        terminalreporter.write_line(
            f"Browser tests skipped ({count} deselected): {reason}.",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; the tests still
    # read the database synchronously, which Django allows only when told to.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    # Lets the tests write page.goto("/nb/").
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def page(page):
    # A step that cannot happen fails within seconds, not Playwright's 30.
    page.set_default_timeout(15_000)
    return page


# The demo content, loaded once per session; on SQLite a copy of the loaded
# database is kept in memory and copied back before each test (milliseconds,
# where loading the content again takes seconds).
_snapshot = {}


@pytest.fixture
def demo_site(live_server, pytestconfig):
    """The live server with the demo content, as ``load_demo_content`` leaves
    it, fresh for every test (the test's changes are flushed afterwards)."""
    if connection.vendor == "sqlite" and "database" in _snapshot:
        connection.ensure_connection()
        _snapshot["database"].backup(connection.connection)
    else:
        _restore_migrated_state(pytestconfig.mentoring_cms_migrated_database)
        call_command("load_demo_content", stdout=io.StringIO())
        if connection.vendor == "sqlite":
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            _snapshot["database"] = copy
    _clear_caches()
    yield live_server
    _clear_caches()


def _restore_migrated_state(contents):
    # Whatever an earlier transactional test left (its flush empties every
    # table), start from the database as the migrations built it.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(contents)
    # The rows came back with their ids; sequences (PostgreSQL) must follow.
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    _clear_caches()


def _clear_caches():
    from django.contrib.contenttypes.models import ContentType

    cache.clear()
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def html_documents(tmp_path_factory):
    """Every page checked in this session, for the one Nu Html Checker run."""
    return HtmlDocuments(tmp_path_factory.mktemp("html"))


@pytest.fixture
def quality(page, request, html_documents):
    """Quality checks for the page the browser shows: ``quality.check(label)``
    after each step, ``quality.assert_clean()`` at the end of the test."""
    return QualityChecks(page, request.node.name, html_documents)
