"""The production settings, for gunicorn processes that tests start.

Only the static files differ: plain storage, so that no ``collectstatic`` run
(and no manifest) is needed before a test can start a server.
"""

from demo_site.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
