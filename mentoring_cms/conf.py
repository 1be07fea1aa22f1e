"""Settings of the plugin, read when used so that tests and sites can change them."""

from django.conf import settings

DEFAULTS = {
    # Positions that qualify for each role, as (value, label) pairs.
    "MENTEE_POSITIONS": None,
    "MENTOR_POSITIONS": None,
    "RETENTION_DAYS": 365,
    "HR_EMAIL": "",
    "MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    "REFERENCE_PREFIX": "MP",
    # Final submissions of applications per client address, "<count>/<s|m|h|d>".
    "RATE_LIMIT": "10/h",
    # Every POST to an application wizard step, per client address.
    "STEP_RATE_LIMIT": "200/h",
    # Temporary wizard uploads older than this many hours are removed by
    # ``clear_application_wizard_files``.
    "WIZARD_FILE_MAX_AGE_HOURS": 24,
    # XLSX exports of more rows than this are written by a background task
    # and downloaded from the exports page when ready.
    "XLSX_INLINE_MAX_ROWS": 5000,
    # Export files (personal data) are deleted by ``purge_applications``
    # this many days after they were made.
    "EXPORT_RETENTION_DAYS": 7,
    # Full-page cache for anonymous visitors (see page_cache.py); 0 turns it off.
    "PAGE_CACHE_TIMEOUT": 300,
    "PAGE_CACHE_ALIAS": "default",
    # Fragments of pages kept in the same store and generation (see
    # ``page_cache.cached_fragment``); 0 renders them every time.
    "FRAGMENT_CACHE_TIMEOUT": 3600,
}


def get_setting(name):
    """Return ``settings.MENTORING_CMS_<name>`` or the plugin's default."""
    return getattr(settings, f"MENTORING_CMS_{name}", DEFAULTS[name])
