"""The plugin's system checks: each one silent on a correct site and speaking,
with its id and a fix, on the setting that is missing or wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from mentoring_cms import checks as plugin_checks

from .utils import make_faculty

GOOD_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "mentoring_cms.page_cache.PageCacheMiddleware",
    "mentoring_cms.middleware.TranslationFallbackMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


def ids(messages):
    return [message.id for message in messages]


def plugin_ids(**kwargs):
    """Ids of the plugin's messages from Django's whole check run."""
    return [
        message.id
        for message in checks.run_checks(**kwargs)
        if message.id.startswith("mentoring_cms.")
    ]


def test_the_test_settings_pass_every_check():
    assert plugin_ids() == []


def test_the_module_lists_each_id_once():
    source = plugin_checks.__doc__
    listed = [
        line.split("|")[1].strip() for line in source.splitlines() if "| E0" in line
    ]
    listed += [
        line.split("|")[1].strip()
        for line in source.splitlines()
        if "| W0" in line or "| I0" in line
    ]
    assert len(listed) == len(set(listed)) == 13


# Middleware


def test_middleware_in_order_passes(settings):
    settings.MIDDLEWARE = GOOD_MIDDLEWARE
    assert plugin_checks.check_middleware() == []


def test_missing_locale_middleware(settings):
    settings.MIDDLEWARE = [
        m for m in GOOD_MIDDLEWARE if m != plugin_checks.LOCALE_MIDDLEWARE
    ]
    messages = plugin_checks.check_middleware()
    assert ids(messages) == ["mentoring_cms.E001"]
    assert "LocaleMiddleware" in messages[0].msg
    assert "SessionMiddleware" in messages[0].hint
    assert "mentoring_cms.E001" in plugin_ids()


@pytest.mark.parametrize(
    "order",
    [
        # Before SessionMiddleware.
        [0, 2, 1, 3, 4, 5],
        # After CommonMiddleware.
        [0, 1, 5, 3, 4, 2],
    ],
)
def test_locale_middleware_in_the_wrong_place(settings, order):
    settings.MIDDLEWARE = [GOOD_MIDDLEWARE[i] for i in order]
    assert "mentoring_cms.E002" in ids(plugin_checks.check_middleware())


@pytest.mark.parametrize("name", plugin_checks.PLUGIN_MIDDLEWARE)
def test_plugin_middleware_before_locale_middleware(settings, name):
    others = [m for m in GOOD_MIDDLEWARE if m != name]
    at = others.index(plugin_checks.LOCALE_MIDDLEWARE)
    settings.MIDDLEWARE = others[:at] + [name] + others[at:]
    messages = plugin_checks.check_middleware()
    assert ids(messages) == ["mentoring_cms.E003"]
    assert name in messages[0].msg


# Task backend


def test_immediate_backend_needs_no_worker(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    assert plugin_checks.check_task_backend() == []


def test_database_backend_says_a_worker_must_run(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    messages = plugin_checks.check_task_backend()
    assert ids(messages) == ["mentoring_cms.I001"]
    assert "db_worker" in messages[0].hint


def test_dummy_backend_warns_that_emails_never_go(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    assert ids(plugin_checks.check_task_backend()) == ["mentoring_cms.W001"]


def test_backend_that_cannot_be_loaded(settings):
    settings.TASKS = {"default": {"BACKEND": "no_such_package.DatabaseBackend"}}
    messages = plugin_checks.check_task_backend()
    assert ids(messages) == ["mentoring_cms.E004"]
    assert "pip install" in messages[0].hint
    assert "INSTALLED_APPS" in messages[0].hint


# Email settings


def test_missing_admin_base_url(settings):
    del settings.WAGTAILADMIN_BASE_URL
    messages = plugin_checks.check_email_settings()
    assert ids(messages) == ["mentoring_cms.E005"]
    assert "WAGTAILADMIN_BASE_URL" in messages[0].hint


def test_admin_base_url_left_at_the_starter_projects_placeholder(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://example.com"
    messages = plugin_checks.check_email_settings()
    assert ids(messages) == ["mentoring_cms.E005"]
    assert "http://example.com" in messages[0].msg


def test_default_from_email_left_at_djangos_default(settings):
    settings.DEFAULT_FROM_EMAIL = "webmaster@localhost"
    assert ids(plugin_checks.check_email_settings()) == ["mentoring_cms.W002"]


def test_missing_hr_email(settings):
    settings.MENTORING_CMS_HR_EMAIL = ""
    assert ids(plugin_checks.check_email_settings()) == ["mentoring_cms.W003"]


def test_email_settings_present(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://mentoring.example.org"
    settings.DEFAULT_FROM_EMAIL = "mentoring@example.org"
    settings.MENTORING_CMS_HR_EMAIL = "hr@example.org"
    assert plugin_checks.check_email_settings() == []


# Private storage of applicants' files


@pytest.fixture
def project(settings, tmp_path):
    settings.BASE_DIR = tmp_path / "project"
    settings.MEDIA_ROOT = str(tmp_path / "project" / "media")
    settings.STORAGES = {
        name: value
        for name, value in settings.STORAGES.items()
        if name != "mentoring_cms_private"
    }
    return tmp_path


def test_private_files_under_media_root(settings, project):
    settings.DEBUG = True
    settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT = str(project / "project/media/cv")
    messages = plugin_checks.check_private_storage()
    assert ids(messages) == ["mentoring_cms.E006"]
    assert "MENTORING_CMS_PRIVATE_MEDIA_ROOT" in messages[0].hint


def test_production_without_a_private_location(settings, project):
    settings.DEBUG = False
    del settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT
    assert ids(plugin_checks.check_private_storage()) == ["mentoring_cms.E007"]


def test_production_with_private_files_inside_the_project(settings, project):
    settings.DEBUG = False
    settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT = str(project / "project/private-media")
    assert ids(plugin_checks.check_private_storage()) == ["mentoring_cms.E008"]


def test_development_default_inside_the_project_is_accepted(settings, project):
    settings.DEBUG = True
    del settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT
    assert plugin_checks.check_private_storage() == []


def test_production_with_a_directory_outside_the_project(settings, project):
    settings.DEBUG = False
    settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT = str(project / "private-media")
    assert plugin_checks.check_private_storage() == []


def test_production_with_a_private_storage_of_its_own(settings, project):
    settings.DEBUG = False
    del settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT
    settings.STORAGES = {
        **settings.STORAGES,
        "mentoring_cms_private": {
            "BACKEND": "django.core.files.storage.InMemoryStorage"
        },
    }
    assert plugin_checks.check_private_storage() == []


def test_production_without_a_location_refuses_to_store_files(settings, project):
    from django.core.exceptions import ImproperlyConfigured

    from mentoring_cms.storage import PrivateStorage

    settings.DEBUG = False
    del settings.MENTORING_CMS_PRIVATE_MEDIA_ROOT
    with pytest.raises(ImproperlyConfigured, match="MENTORING_CMS_PRIVATE_MEDIA_ROOT"):
        PrivateStorage().exists("x")


# Faculties (a database check)


@pytest.mark.django_db
def test_no_faculties_warns_with_the_command():
    messages = plugin_checks.check_faculties(databases=["default"])
    assert ids(messages) == ["mentoring_cms.W004"]
    assert "setup_programme" in messages[0].hint
    assert "mentoring_cms.W004" in plugin_ids(databases=["default"])


@pytest.mark.django_db
def test_faculties_present():
    make_faculty()
    assert plugin_checks.check_faculties(databases=["default"]) == []


def test_faculty_check_does_not_touch_the_database_without_databases():
    # No django_db mark: any query would fail the test.
    assert plugin_checks.check_faculties() == []
    assert plugin_checks.check_faculties(databases=None) == []


def test_faculty_check_before_migrate_is_silent(tmp_path):
    """``manage.py check --database default`` on a database that has never
    been migrated: no traceback, no faculty warning."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_site.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--database", "default"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "mentoring_cms.W004" not in result.stdout + result.stderr


# Through manage.py check


def test_manage_py_check_fails_on_an_error(settings):
    del settings.WAGTAILADMIN_BASE_URL
    with pytest.raises(SystemCheckError, match="mentoring_cms.E005"):
        call_command("check")
