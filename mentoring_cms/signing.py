"""Signed personal tokens: one person, one purpose, expiring and revocable.

A token carries ``<key>.<version>`` signed with Django's ``TimestampSigner``
under a salt per purpose, where ``key`` is a random key naming one
application (``Participation.key``; never its id or reference) and
``version`` its ``link_version``. So a token:

* cannot be forged or altered (the signature covers key, version and time);
* serves one purpose only (a calendar token does not open the page);
* expires (``MENTORING_CMS_PERSONAL_LINK_MAX_AGE_DAYS``,
  ``MENTORING_CMS_CALENDAR_LINK_MAX_AGE_DAYS``);
* dies when the links are revoked (the version goes up).

Django's signing framework rather than django-sesame: sesame signs in a
Django *user*, and applicants have no accounts (the plugin keeps none for
them); the signing framework needs no new dependency.
"""

from django.core import signing
from django.urls import reverse

from .conf import get_setting

PAGE = "page"
CALENDAR = "calendar"
# A saved, unsubmitted application ("Save and continue later"): the key is
# ``ApplicationDraft.key``.
DRAFT = "draft"
PURPOSES = {
    PAGE: "PERSONAL_LINK_MAX_AGE_DAYS",
    CALENDAR: "CALENDAR_LINK_MAX_AGE_DAYS",
    DRAFT: "DRAFT_MAX_AGE_DAYS",
}


class InvalidLink(Exception):
    """A token that is tampered with, expired, revoked or of another purpose."""


class ExpiredLink(InvalidLink):
    """A token whose signature is good but older than its purpose allows."""


def _signer(purpose):
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return signing.TimestampSigner(salt=f"mentoring_cms.participation.{purpose}")


def make_token(key, version, purpose=PAGE):
    """A signed token for ``key`` at ``version`` and ``purpose``."""
    return _signer(purpose).sign(f"{key}.{version}")


def read_token(token, purpose=PAGE):
    """``(key, version)`` of a valid token of ``purpose``; raises
    ``InvalidLink`` for a tampered or malformed one, ``ExpiredLink`` (an
    ``InvalidLink``) for an expired one."""
    max_age_days = get_setting(PURPOSES[purpose])
    try:
        value = _signer(purpose).unsign(
            token, max_age=None if max_age_days is None else max_age_days * 86400
        )
    except signing.SignatureExpired as error:
        raise ExpiredLink(purpose) from error
    except signing.BadSignature as error:
        raise InvalidLink(purpose) from error
    key, _dot, version = value.rpartition(".")
    if not key or not version.isdigit():
        raise InvalidLink(purpose)
    return key, int(version)


def personal_path(token, view="page", **kwargs):
    """The path of one of the person's own URLs (``view``: a URL name of
    ``participation.urls`` after ``personal_``)."""
    return reverse(f"mentoring_cms:personal_{view}", kwargs={"token": token, **kwargs})


def draft_path(token):
    """The path that resumes a saved application (a draft token)."""
    return reverse("mentoring_cms:draft_resume", kwargs={"token": token})


def calendar_path(token):
    """The path of the person's calendar feed (a calendar token)."""
    return reverse("mentoring_cms:personal_calendar", kwargs={"token": token})


def absolute(path, page):
    """``path`` on the site of ``page`` (for emails)."""
    parts = page.get_url_parts()
    root = parts[1] if parts else ""
    return f"{root}{path}"
