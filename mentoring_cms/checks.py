"""System checks (``manage.py check``) that tell a site developer, in plain
words and with the fix, what the plugin needs from the site's settings.

Errors (``mentoring_cms.E…``) stop ``runserver`` and ``migrate``; warnings
(``W…``) and information (``I…``) are printed. The faculty check reads the
database, so it runs only when checks are given databases
(``manage.py check --database default``, and ``migrate`` before it migrates)
and stays quiet while the table does not exist yet.

| id   | what                                                                |
|------|---------------------------------------------------------------------|
| E001 | LocaleMiddleware missing                                            |
| E002 | LocaleMiddleware before SessionMiddleware or after CommonMiddleware |
| E003 | a plugin middleware before LocaleMiddleware                         |
| E004 | the task backend cannot be loaded                                   |
| E005 | WAGTAILADMIN_BASE_URL missing or the starter's http://example.com   |
| E006 | applicants' files under MEDIA_ROOT (served publicly)                |
| E007 | production without a private storage location of its own           |
| E008 | production with applicants' files inside the project directory     |
| W001 | the task backend never runs tasks (emails are never sent)           |
| W002 | DEFAULT_FROM_EMAIL left at Django's webmaster@localhost             |
| W003 | MENTORING_CMS_HR_EMAIL empty: HR is not told of new applications    |
| W004 | no faculties: the mentee application cannot pass its second step   |
| I001 | the task backend needs a worker process                             |
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import global_settings, settings
from django.core import checks
from django.db import DatabaseError

from .conf import get_setting
from .models import Faculty
from .storage import STORAGE_ALIAS, private_media_root

LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
COMMON_MIDDLEWARE = "django.middleware.common.CommonMiddleware"
PLUGIN_MIDDLEWARE = (
    "mentoring_cms.page_cache.PageCacheMiddleware",
    "mentoring_cms.middleware.TranslationFallbackMiddleware",
)
# Backends that run a task inside the request that queued it.
IMMEDIATE_BACKENDS = ("django_tasks.backends.immediate.ImmediateBackend",)
# Backends that store tasks and never run them.
DUMMY_BACKENDS = ("django_tasks.backends.dummy.DummyBackend",)
# The placeholder ``wagtail start`` writes into WAGTAILADMIN_BASE_URL.
PLACEHOLDER_HOSTS = ("example.com", "www.example.com")
SETUP_COMMAND = "manage.py setup_programme --faculties faculties.csv"


def _id(kind, number):
    return f"mentoring_cms.{kind}{number:03d}"


@checks.register()
def check_middleware(app_configs=None, **kwargs):
    """LocaleMiddleware present, after SessionMiddleware and before
    CommonMiddleware (Django's documented order), and the plugin's own
    middleware after it (they read the language it activates)."""
    middleware = list(settings.MIDDLEWARE)
    if LOCALE_MIDDLEWARE not in middleware:
        return [
            checks.Error(
                f"'{LOCALE_MIDDLEWARE}' is not in MIDDLEWARE: the plugin's pages "
                "would not be shown in the language of their URL (/nb/, /en/).",
                hint=f"Add '{LOCALE_MIDDLEWARE}' to MIDDLEWARE after "
                f"'{SESSION_MIDDLEWARE}' and before '{COMMON_MIDDLEWARE}'.",
                id=_id("E", 1),
            )
        ]
    errors = []
    locale_at = middleware.index(LOCALE_MIDDLEWARE)
    session_at = (
        middleware.index(SESSION_MIDDLEWARE) if SESSION_MIDDLEWARE in middleware else -1
    )
    common_at = (
        middleware.index(COMMON_MIDDLEWARE)
        if COMMON_MIDDLEWARE in middleware
        else len(middleware)
    )
    if not session_at < locale_at < common_at:
        errors.append(
            checks.Error(
                f"'{LOCALE_MIDDLEWARE}' is in the wrong place in MIDDLEWARE.",
                hint=f"Put it after '{SESSION_MIDDLEWARE}' and before "
                f"'{COMMON_MIDDLEWARE}'.",
                id=_id("E", 2),
            )
        )
    for name in PLUGIN_MIDDLEWARE:
        if name in middleware and middleware.index(name) < locale_at:
            errors.append(
                checks.Error(
                    f"'{name}' comes before '{LOCALE_MIDDLEWARE}' in MIDDLEWARE: "
                    "it would work in the wrong language.",
                    hint=f"Move '{name}' to just after '{LOCALE_MIDDLEWARE}'.",
                    id=_id("E", 3),
                )
            )
    return errors


@checks.register()
def check_task_backend(app_configs=None, **kwargs):
    """The task backend that sends the plugin's emails can be loaded, and
    whether a worker has to run for them to go out."""
    from django_tasks import task_backends
    from django_tasks.exceptions import InvalidTaskBackendError

    try:
        backend = task_backends["default"]
    except (InvalidTaskBackendError, ImportError) as error:
        return [
            checks.Error(
                f"The task backend in TASKS['default'] cannot be loaded ({error}); "
                "the plugin's emails could not be queued.",
                hint="Check the BACKEND path and install its package (pip install "
                "the backend's package, e.g. mentoring-cms installs django-tasks-db "
                "for 'django_tasks_db.DatabaseBackend') and add its app to "
                "INSTALLED_APPS, or use "
                "'django_tasks.backends.immediate.ImmediateBackend'.",
                id=_id("E", 4),
            )
        ]
    path = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if path in IMMEDIATE_BACKENDS:
        return []
    if path in DUMMY_BACKENDS:
        return [
            checks.Warning(
                f"The task backend {path} never runs tasks: confirmation emails "
                "and HR notifications are never sent.",
                hint="Use django_tasks_db.DatabaseBackend with a worker "
                "(manage.py db_worker), or ImmediateBackend.",
                id=_id("W", 1),
            )
        ]
    return [
        checks.Info(
            f"The task backend {path} runs tasks in a worker: confirmation "
            "emails and HR notifications only go out while one runs.",
            hint="Run the worker next to the web server, e.g. "
            "'manage.py db_worker' for django_tasks_db.DatabaseBackend.",
            id=_id("I", 1),
        )
    ]


@checks.register()
def check_email_settings(app_configs=None, **kwargs):
    """Settings the plugin's emails need: the admin's address for links to
    applications, the sender address and HR's address."""
    messages = []
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base_url or urlsplit(base_url).hostname in PLACEHOLDER_HOSTS:
        messages.append(
            checks.Error(
                f"WAGTAILADMIN_BASE_URL is {base_url or 'not set'!s}: the email "
                "that tells HR about a new application would link to a wrong "
                "address.",
                hint="Set WAGTAILADMIN_BASE_URL to the address of the site, "
                "e.g. 'https://mentoring.example.org'.",
                id=_id("E", 5),
            )
        )
    if settings.DEFAULT_FROM_EMAIL == global_settings.DEFAULT_FROM_EMAIL:
        messages.append(
            checks.Warning(
                f"DEFAULT_FROM_EMAIL is Django's default "
                f"'{global_settings.DEFAULT_FROM_EMAIL}': applicants get emails "
                "from an address they cannot answer.",
                hint="Set DEFAULT_FROM_EMAIL, e.g. "
                "'Mentoring programme <mentoring@example.org>'.",
                id=_id("W", 2),
            )
        )
    if not get_setting("HR_EMAIL"):
        messages.append(
            checks.Warning(
                "MENTORING_CMS_HR_EMAIL is not set: HR is not emailed about new "
                "applications.",
                hint="Set MENTORING_CMS_HR_EMAIL to HR's address.",
                id=_id("W", 3),
            )
        )
    return messages


def _inside(path, directory):
    if not directory:
        return False
    try:
        return Path(path).resolve().is_relative_to(Path(directory).resolve())
    except (TypeError, ValueError):
        return False


@checks.register()
def check_private_storage(app_configs=None, **kwargs):
    """Applicants' files (CVs) are never under MEDIA_ROOT, and in production
    (DEBUG off) live in a location set for them outside the project
    directory, which deploys replace and container images copy."""
    if STORAGE_ALIAS in settings.STORAGES:
        return []
    location = private_media_root()
    fix = (
        "Set MENTORING_CMS_PRIVATE_MEDIA_ROOT to a directory outside the project "
        "and outside MEDIA_ROOT (e.g. '/var/lib/mentoring/private-media'), or "
        f"define STORAGES['{STORAGE_ALIAS}'] (e.g. a private S3 bucket)."
    )
    if location is not None and _inside(location, settings.MEDIA_ROOT):
        return [
            checks.Error(
                f"Applicants' files would be stored in {location}, under "
                "MEDIA_ROOT, which the web server may serve to anyone.",
                hint=fix,
                id=_id("E", 6),
            )
        ]
    if settings.DEBUG:
        return []
    if location is None:
        return [
            checks.Error(
                "No place is set for applicants' files (CVs and other "
                "attachments) in production.",
                hint=fix,
                id=_id("E", 7),
            )
        ]
    if _inside(location, getattr(settings, "BASE_DIR", None)):
        return [
            checks.Error(
                f"Applicants' files would be stored in {location}, inside the "
                "project directory, which deploys replace and container images "
                "copy.",
                hint=fix,
                id=_id("E", 8),
            )
        ]
    return []


@checks.register(checks.Tags.database)
def check_faculties(app_configs=None, databases=None, **kwargs):
    """At least one faculty exists (the mentee application asks for one).
    Runs only when the checks are given databases; a database that has not
    been migrated yet is not an error of this check."""
    if not databases:
        return []
    try:
        exists = Faculty.objects.exists()
    except DatabaseError:
        return []
    if exists:
        return []
    return [
        checks.Warning(
            "No faculties are defined: applicants for mentee cannot get past the "
            "step that asks for their faculty.",
            hint=f"Import them from a CSV file (code, Norwegian name, English "
            f"name): {SETUP_COMMAND}",
            id=_id("W", 4),
        )
    ]


@checks.register()
def check_translations_start_as_drafts(app_configs=None, **kwargs):
    """wagtail-localize publishes a page's translation as soon as the page is
    submitted for translation, its text still in the source language, unless
    ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE`` is ``False``."""
    if getattr(settings, "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE", True):
        return [
            checks.Warning(
                "Pages submitted for translation are published before they "
                "are translated.",
                hint="Set WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False "
                "so that a translation stays a draft until a translator "
                "publishes it.",
                id=_id("W", 5),
            )
        ]
    return []
