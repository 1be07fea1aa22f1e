"""Personal links of an application: tokens from ``mentoring_cms.signing``
naming the application's ``Participation`` (see there for what a token
holds and why the signing framework)."""

from .. import signing
from ..models import Application
from ..models.participation import participation_for
from ..signing import CALENDAR, PAGE, InvalidLink, absolute

__all__ = [
    "CALENDAR",
    "PAGE",
    "InvalidLink",
    "absolute",
    "calendar_path",
    "make_token",
    "participation_for",
    "personal_path",
    "read_token",
]


def make_token(application, purpose=PAGE):
    """A signed token for ``application`` and ``purpose`` ("page" or
    "calendar"), valid until it expires or the links are revoked."""
    return participation_for(application).token(purpose)


def read_token(token, purpose=PAGE):
    """The application a token names, with its round and participation, in
    one query. Raises ``InvalidLink`` for a tampered, expired or revoked token
    and for an application that has been anonymised or erased since."""
    key, version = signing.read_token(token, purpose)
    application = (
        Application.objects.select_related("participation", "round", "faculty")
        .filter(
            participation__key=key,
            participation__link_version=version,
            anonymised_at__isnull=True,
        )
        .first()
    )
    if application is None:
        raise InvalidLink(purpose)
    return application


def personal_path(application, view="page", **kwargs):
    """The path of one of the person's own URLs."""
    return signing.personal_path(make_token(application), view, **kwargs)


def calendar_path(application):
    """The path of the person's calendar feed."""
    return signing.calendar_path(make_token(application, CALENDAR))
