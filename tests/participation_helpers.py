"""Builders for the participation tests: a running round with gatherings and
accepted participants, and their personal URLs."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from mentoring_cms.models import Application, SessionPage
from mentoring_cms.participation.links import CALENDAR, make_token

from .utils import make_application, make_round, make_session


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def make_running_round(programme, **kwargs):
    """A round that started 60 days ago and ends in 300 days."""
    today = timezone.localdate()
    kwargs.setdefault(
        "application_opens", timezone.now() - datetime.timedelta(days=120)
    )
    kwargs.setdefault(
        "application_closes", timezone.now() - datetime.timedelta(days=90)
    )
    kwargs.setdefault("period_start", today - datetime.timedelta(days=60))
    kwargs.setdefault("period_end", today + datetime.timedelta(days=300))
    return make_round(programme, **kwargs)


def future(days, hour=9):
    """A moment ``days`` ahead at ``hour`` o'clock in Oslo."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )


def gathering(programme_round, days, audience=SessionPage.Audience.ALL, **kwargs):
    kwargs.setdefault("title", f"Samling {days}")
    kwargs.setdefault("slug", f"samling-{audience}-{days}")
    kwargs.setdefault("place", "Gløshaugen, R1")
    kwargs.setdefault("agenda", "<p>Roller og ansvar</p>")
    return make_session(
        programme_round, start=future(days), audience=audience, **kwargs
    )


def participant(programme_round, role=Application.Role.MENTEE, **kwargs):
    kwargs.setdefault("status", Application.Status.ACCEPTED)
    return make_application(round=programme_round, role=role, **kwargs)


def page_url(application, view="page", **kwargs):
    from django.urls import reverse

    return reverse(
        f"mentoring_cms:personal_{view}",
        kwargs={"token": make_token(application), **kwargs},
    )


def feed_url(application):
    from django.urls import reverse

    return reverse(
        "mentoring_cms:personal_calendar",
        kwargs={"token": make_token(application, CALENDAR)},
    )


def participation_endpoints(application):
    """(name, URL name, method, url, data, success status) of HR's
    participation pages, for the permission matrix
    (tests/test_review_permissions.py)."""
    from django.urls import reverse

    session_pk = getattr(application, "session_pk", None)
    if session_pk is None and application.round_id:
        # A gathering of the application's round for the register (the
        # matrices of other stages reuse these endpoints with their own
        # application); one that has started, as attendance is recorded
        # only then.
        started = timezone.now() - datetime.timedelta(days=1)
        session = (
            SessionPage.objects.child_of(application.round)
            .filter(start__lte=started)
            .first()
        )
        session = session or make_session(application.round, start=started)
        session_pk = application.session_pk = session.pk
    session_pk = session_pk or 424242
    key = application.round.translation_key if application.round_id else ""
    overview = reverse("mentoring_participation_overview")
    register = reverse("mentoring_participation_attendance", args=[session_pk])
    email = reverse("mentoring_participation_email") + f"?round={key}"
    message = {
        "round": key,
        "group": "all",
        "subject_nb": "Hei",
        "body_nb": "Tekst",
        "subject_en": "Hello",
        "body_en": "Text",
    }
    return [
        (
            "participation",
            "mentoring_participation_overview",
            "get",
            overview,
            None,
            200,
        ),
        (
            "attendance register",
            "mentoring_participation_attendance",
            "get",
            register,
            None,
            200,
        ),
        (
            "attendance save",
            "mentoring_participation_attendance",
            "post",
            register,
            {f"p{application.pk}": "present"},
            302,
        ),
        ("group email form", "mentoring_participation_email", "get", email, None, 200),
        ("group email", "mentoring_participation_email", "post", email, message, 302),
    ]
