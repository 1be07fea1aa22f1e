"""Settings of the plugin, read when used so that tests and sites can change them."""

import math

from django.conf import settings

DEFAULTS = {
    # Positions that qualify for each role, as (value, label) pairs.
    "MENTEE_POSITIONS": None,
    "MENTOR_POSITIONS": None,
    "RETENTION_DAYS": 365,
    "HR_EMAIL": "",
    "MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    # Hard limits of checking one uploaded PDF (see pdf_check.py): CPU
    # seconds and memory of the checking process, pages, PDF objects and
    # the size of the file's streams once unpacked.
    "PDF_CHECK_SECONDS": 5,
    "PDF_CHECK_MEMORY_BYTES": 768 * 1024 * 1024,
    "PDF_MAX_PAGES": 100,
    "PDF_MAX_OBJECTS": 50_000,
    "PDF_MAX_UNPACKED_BYTES": 50 * 1024 * 1024,
    "REFERENCE_PREFIX": "MP",
    # Final submissions of applications per client address, "<count>/<s|m|h|d>".
    "RATE_LIMIT": "10/h",
    # Every POST to an application wizard step, per client address.
    "STEP_RATE_LIMIT": "200/h",
    # Temporary wizard uploads older than this many hours are removed by
    # ``clear_application_wizard_files``; None: as long as a session lives
    # (SESSION_COOKIE_AGE), so an upload outlasts the wizard that holds it.
    "WIZARD_FILE_MAX_AGE_HOURS": None,
    # XLSX exports of more rows than this are written by a background task
    # and downloaded from the exports page when ready.
    "XLSX_INLINE_MAX_ROWS": 5000,
    # Export files (personal data) are deleted by ``purge_applications``
    # this many days after they were made.
    "EXPORT_RETENTION_DAYS": 7,
    # Full-page cache for anonymous visitors (see page_cache.py); 0 turns it off.
    "PAGE_CACHE_TIMEOUT": 300,
    "PAGE_CACHE_ALIAS": "default",
    # Start of every page cache key; empty means the plugin's version.
    "PAGE_CACHE_KEY_PREFIX": "",
    # Fragments of pages kept in the same store and generation (see
    # ``page_cache.cached_fragment``); 0 renders them every time.
    "FRAGMENT_CACHE_TIMEOUT": 3600,
    # Selection: how many committee reviews each application should get;
    # the dashboard counts those with fewer as not yet reviewed.
    "REVIEWS_PER_APPLICATION": 2,
    # Days before a round's nomination deadline on which
    # ``send_nomination_reminders`` reminds the faculty coordinators.
    "NOMINATION_REMINDER_DAYS": 7,
    # Days before a round's decision date (``decisions_by``) from which
    # ``send_review_reminders`` reminds each reviewer with applications
    # still to score (once per round).
    "REVIEW_REMINDER_DAYS": 7,
    # Personal links (participation/links.py): days a link to the personal
    # page is valid, and days a personal calendar feed address is valid.
    "PERSONAL_LINK_MAX_AGE_DAYS": 30,
    "CALENDAR_LINK_MAX_AGE_DAYS": 550,
    # Requests for a new personal link, per client address, and per email
    # address asked for (whether or not it has applied).
    "LINK_REQUEST_RATE_LIMIT": "5/h",
    "LINK_REQUEST_EMAIL_RATE_LIMIT": "3/h",
    # "Save and continue later" in the application wizards (drafts.py): days
    # a saved draft and the link to it are kept, and how many links may be
    # sent per client address and per email address.
    "DRAFT_MAX_AGE_DAYS": 14,
    "DRAFT_LINK_RATE_LIMIT": "10/h",
    "DRAFT_LINK_EMAIL_RATE_LIMIT": "5/h",
    # Reminders (``send_participation_reminders``): days before a gathering,
    # and weeks without a logged meeting.
    "GATHERING_REMINDER_DAYS": 7,
    "MEETING_REMINDER_WEEKS": 6,
    # Times a gathering reminder that could not be sent to someone is tried
    # again (by the next runs of ``send_participation_reminders``).
    "REMINDER_MAX_ATTEMPTS": 5,
    # Outcomes and evaluation (small_groups.py): no chart, table or export
    # shows a group of fewer people than this; evaluation free text is shown
    # only for a round with at least this many answers.
    "SMALL_GROUP_THRESHOLD": 5,
}


def wizard_file_max_age_hours():
    """Hours after which ``clear_application_wizard_files`` removes a
    temporary wizard upload: ``MENTORING_CMS_WIZARD_FILE_MAX_AGE_HOURS``, by
    default the session's lifetime (``SESSION_COOKIE_AGE``) rounded up, and
    never less than it."""
    session_hours = math.ceil(settings.SESSION_COOKIE_AGE / 3600)
    hours = get_setting("WIZARD_FILE_MAX_AGE_HOURS")
    return session_hours if hours is None else max(int(hours), session_hours)


def get_setting(name):
    """Return ``settings.MENTORING_CMS_<name>`` or the plugin's default."""
    return getattr(settings, f"MENTORING_CMS_{name}", DEFAULTS[name])
