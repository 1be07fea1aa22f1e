"""Personal links: signed, expiring, revocable, one person and one purpose;
asking for a new one never tells whether an address has applied."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentoring_cms.models import Application
from mentoring_cms.participation.links import (
    CALENDAR,
    InvalidLink,
    make_token,
    read_token,
)
from mentoring_cms.participation.operations import revoke_links

from .participation_helpers import clear_rate_limits, page_url  # noqa: F401
from .utils import make_application

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("mentoring_cms:personal_link_request")


@pytest.fixture
def application(open_round):
    return make_application(round=open_round, full_name="Kari Nordmann")


@pytest.fixture
def other(open_round):
    return make_application(round=open_round, full_name="Ola Hemmelig")


def test_the_link_opens_her_own_page(client, application):
    response = client.get(page_url(application))
    assert response.status_code == 200
    content = response.content.decode()
    assert application.reference in content
    assert "Kari Nordmann" in content
    assert response["Referrer-Policy"] == "same-origin"


def test_the_link_holds_neither_the_id_nor_the_reference(application):
    token = make_token(application)
    assert application.reference not in token
    assert not token.startswith(f"{application.pk}:")
    assert f"{application.pk}." not in token.split(":")[0]


def test_a_tampered_link_shows_no_data_and_offers_a_new_one(client, application):
    token = make_token(application)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x", "x"):
        url = reverse("mentoring_cms:personal_page", kwargs={"token": bad})
        response = client.get(url)
        assert response.status_code == 403
        content = response.content.decode()
        assert application.reference not in content
        assert "Kari Nordmann" not in content
        assert REQUEST_URL in content


def test_a_link_with_another_persons_key_is_refused(client, application, other):
    """Changing the key part of the link while keeping the signature fails."""
    mine = make_token(application)
    theirs = make_token(other)
    their_value = theirs.split(":")[0]
    forged = their_value + mine[len(mine.split(":")[0]) :]
    response = client.get(reverse("mentoring_cms:personal_page", args=[forged]))
    assert response.status_code == 403
    assert "Ola Hemmelig" not in response.content.decode()


def test_a_link_expires(client, application):
    url = page_url(application)
    with override_settings(MENTORING_CMS_PERSONAL_LINK_MAX_AGE_DAYS=30):
        with time_machine.travel(datetime.timedelta(days=29), tick=False):
            assert client.get(url).status_code == 200
        with time_machine.travel(datetime.timedelta(days=31), tick=False):
            response = client.get(url)
    assert response.status_code == 403
    assert "Kari Nordmann" not in response.content.decode()


def test_a_revoked_link_no_longer_works(client, application):
    url = page_url(application)
    revoke_links(application)
    assert client.get(url).status_code == 403
    assert client.get(page_url(application)).status_code == 200


def test_she_can_stop_her_old_links(
    client, application, django_capture_on_commit_callbacks
):
    old = page_url(application)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(application, "revoke"))
    assert response.status_code == 200
    assert client.get(old).status_code == 403
    assert [m.to for m in mail.outbox] == [[application.email]]


def test_a_link_serves_one_purpose(application):
    calendar_token = make_token(application, CALENDAR)
    with pytest.raises(InvalidLink):
        read_token(calendar_token)
    with pytest.raises(InvalidLink):
        read_token(make_token(application), CALENDAR)


def test_an_anonymised_application_has_no_page(client, application):
    from mentoring_cms.operations import anonymise_application

    url = page_url(application)
    anonymise_application(application)
    assert client.get(url).status_code == 403


def test_the_confirmation_email_holds_the_link(
    client, open_round, django_capture_on_commit_callbacks
):
    from mentoring_cms.tasks import send_application_confirmation

    application = make_application(round=open_round)
    send_application_confirmation.call(application.pk)
    body = next(m for m in mail.outbox if m.to == [application.email]).body
    link = next(line for line in body.splitlines() if "/personal/" in line)
    response = client.get(link.strip().removeprefix("http://localhost"))
    assert response.status_code == 200
    assert application.reference in response.content.decode()


def test_asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(
    client, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(REQUEST_URL, {"email": application.email.upper()})
        unknown = client.post(REQUEST_URL, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content.replace(b"", b"")
    assert [m.to for m in mail.outbox] == [[application.email]]
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/personal/" in line
    )
    assert client.get(link.strip().removeprefix("http://localhost")).status_code == 200


def test_the_link_email_is_in_her_language(
    client, open_round, django_capture_on_commit_callbacks
):
    application = make_application(round=open_round, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST_URL + "?lang=nb", {"email": application.email})
    assert mail.outbox[0].subject == "Your link to the mentoring programme"


@override_settings(MENTORING_CMS_LINK_REQUEST_RATE_LIMIT="2/h")
def test_asking_for_links_is_rate_limited(client, application):
    for _ in range(2):
        assert client.post(REQUEST_URL, {"email": application.email}).status_code == 200
    response = client.post(REQUEST_URL, {"email": application.email})
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.parametrize("email", ["", "not-an-email", "a@" + "b" * 300 + ".no"])
def test_a_bad_address_is_refused_with_a_message(client, email):
    response = client.post(REQUEST_URL + "?lang=en", {"email": email})
    assert response.status_code == 400
    assert "mcms-field--error" in response.content.decode()
    assert not mail.outbox


def test_the_request_page_speaks_both_languages(client):
    assert (
        "Get a link to your page"
        in client.get(REQUEST_URL + "?lang=en").content.decode()
    )
    assert Application.objects.count() == 0


PERSONAL_VIEWS = [
    ("page", "get"),
    ("withdraw", "get"),
    ("withdraw", "post"),
    ("absence", "post"),
    ("meeting", "post"),
    ("revoke", "post"),
    ("data", "get"),
]


def test_every_personal_url_is_covered():
    from mentoring_cms.participation.urls import urlpatterns

    names = {p.name.removeprefix("personal_") for p in urlpatterns}
    covered = {view for view, _method in PERSONAL_VIEWS}
    assert names - covered == {"link_request", "calendar", "round_calendar"}


@pytest.mark.parametrize("view,method", PERSONAL_VIEWS)
@pytest.mark.parametrize("bad", ["x", "a" * 500, "%00", "ü.1:abc:def"])
def test_every_personal_url_refuses_a_bad_token_and_changes_nothing(
    client, application, view, method, bad
):
    url = reverse(f"mentoring_cms:personal_{view}", kwargs={"token": bad})
    response = getattr(client, method)(url, {"confirm": "on", "date": "2026-01-01"})
    assert response.status_code == 403
    assert "Kari Nordmann" not in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not mail.outbox


def test_a_bad_calendar_token_is_404(client):
    url = reverse("mentoring_cms:personal_calendar", kwargs={"token": "x"})
    assert client.get(url).status_code == 404
