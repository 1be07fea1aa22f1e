"""System checks for the settings the plugin relies on."""

from django.conf import settings
from django.core import checks


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
                id="mentoring_cms.W001",
            )
        ]
    return []


def register():
    checks.register(check_translations_start_as_drafts)
