"""Personal links: one person, one purpose, signed, expiring and revocable.

A link carries ``<key>.<version>`` signed with Django's ``TimestampSigner``
under a salt per purpose, where ``key`` is the random ``Participation.key``
(never the application's id or reference) and ``version`` its
``link_version``. So a link:

* cannot be forged or altered (the signature covers key, version and time);
* serves one purpose only (a calendar token does not open the page);
* expires (``MENTORING_CMS_PERSONAL_LINK_MAX_AGE_DAYS``,
  ``MENTORING_CMS_CALENDAR_LINK_MAX_AGE_DAYS``);
* dies when HR or the person revokes the links (the version goes up).

Django's signing framework rather than django-sesame: sesame signs in a
Django *user*, and applicants have no accounts (the plugin keeps none for
them); the signing framework needs no new dependency.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from ..conf import get_setting
from ..models import Application, Participation

PAGE = "page"
CALENDAR = "calendar"
PURPOSES = {
    PAGE: "PERSONAL_LINK_MAX_AGE_DAYS",
    CALENDAR: "CALENDAR_LINK_MAX_AGE_DAYS",
}


class InvalidLink(Exception):
    """A link that is tampered with, expired, revoked or of another purpose."""


def _signer(purpose):
    return signing.TimestampSigner(salt=f"mentoring_cms.participation.{purpose}")


def participation_for(application):
    """The application's ``Participation`` row, made on first use."""
    try:
        return application.participation
    except Participation.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            participation = Participation.objects.create(application=application)
    except IntegrityError:
        participation = Participation.objects.get(application=application)
    application.participation = participation
    return participation


def make_token(application, purpose=PAGE):
    """A signed token for ``application`` and ``purpose`` ("page" or
    "calendar"), valid until it expires or the links are revoked."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    participation = participation_for(application)
    return _signer(purpose).sign(f"{participation.key}.{participation.link_version}")


def read_token(token, purpose=PAGE):
    """The application a token names, with its round and participation, in
    one query. Raises ``InvalidLink`` for a tampered, expired or revoked token
    and for an application that has been anonymised or erased since."""
    max_age_days = get_setting(PURPOSES[purpose])
    try:
        value = _signer(purpose).unsign(
            token, max_age=None if max_age_days is None else max_age_days * 86400
        )
    except signing.BadSignature as error:
        raise InvalidLink(purpose) from error
    key, _dot, version = value.rpartition(".")
    if not key or not version.isdigit():
        raise InvalidLink(purpose)
    application = (
        Application.objects.select_related("participation", "round", "faculty")
        .filter(
            participation__key=key,
            participation__link_version=int(version),
            anonymised_at__isnull=True,
        )
        .first()
    )
    if application is None:
        raise InvalidLink(purpose)
    return application


def personal_path(application, view="page", **kwargs):
    """The path of one of the person's own URLs (``view`` a URL name of
    ``participation.urls`` without the namespace)."""
    return reverse(
        f"mentoring_cms:personal_{view}",
        kwargs={"token": make_token(application), **kwargs},
    )


def calendar_path(application):
    """The path of the person's calendar feed."""
    return reverse(
        "mentoring_cms:personal_calendar",
        kwargs={"token": make_token(application, CALENDAR)},
    )


def absolute(path, programme_round):
    """``path`` on the site of ``programme_round`` (for emails)."""
    parts = programme_round.get_url_parts()
    root = parts[1] if parts else ""
    return f"{root}{path}"
