"""The page an applicant sees once the application is stored: the reference,
one word about the confirmation email, when decisions come, the first
gathering the applicant would attend, and whom at HR to ask."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring_cms.models import SessionPage
from mentoring_cms.models.pages import ContactPersonLink

from .application_helpers import (  # noqa: F401
    clear_rate_limits,
    make_faculty_pair,
    mentee_answers,
    mentor_answers,
    walk,
)
from .utils import make_contact_person, make_round, make_session, oslo

pytestmark = pytest.mark.django_db


@pytest.fixture
def faculties():
    return make_faculty_pair(
        "Fakultet for naturvitenskap", "Faculty of Natural Sciences"
    )


@pytest.fixture
def programme_round(programme):
    person = make_contact_person(email="hr-mentor@example.org", phone="+47 11 22 33 44")
    ContactPersonLink.objects.create(page=programme, person=person)
    today = timezone.localdate()
    programme_round = make_round(
        programme,
        decisions_by=today + datetime.timedelta(days=20),
        period_start=today + datetime.timedelta(days=30),
    )
    start = programme_round.period_start
    for days, title, audience in (
        (1, "Mentorsamling", SessionPage.Audience.MENTORS),
        (3, "Adeptsamling", SessionPage.Audience.MENTEES),
        (5, "Fellessamling", SessionPage.Audience.ALL),
    ):
        make_session(
            programme_round,
            title=title,
            start=oslo(start.year, start.month, start.day, 9)
            + datetime.timedelta(days=days),
            audience=audience,
        )
    return programme_round


def submit(client, programme_round, role, faculty, capture):
    answers = (mentee_answers if role == "mentee" else mentor_answers)(faculty)
    with capture(execute=True):
        response = walk(client, programme_round, role, answers)
    assert response.status_code == 302, visible_text(response.content.decode())
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def visible_text(html):
    main = re.search(r"<main.*?</main>", html, re.DOTALL).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize(
    ("role", "first"), [("mentee", "Adeptsamling"), ("mentor", "Mentorsamling")]
)
def test_confirmation_names_contact_decisions_and_first_gathering(
    client, programme_round, faculties, django_capture_on_commit_callbacks, role, first
):
    html = submit(
        client, programme_round, role, faculties[0], django_capture_on_commit_callbacks
    )
    text = visible_text(html)
    # The email is mentioned once.
    assert len(re.findall(r"e-post", text, flags=re.IGNORECASE)) <= 2, text
    assert text.count("bekreftelse") == 1, text
    # When decisions come: the round's own date.
    decisions = programme_round.decisions_by
    assert f"{decisions.day}. " in text
    assert f'datetime="{decisions:%Y-%m-%d}"' in html
    # The first gathering of the applicant's own audience, with its date.
    gathering = re.search(r"data-mentoring-first-gathering>(.*?)</li>", html, re.S)
    assert gathering and first in gathering.group(1), html
    session = SessionPage.objects.get(title=first)
    assert session.when["start_date"] in gathering.group(1)
    # HR's contact person, as the programme page names them.
    assert "Solveig Eksempelsen" in text
    assert 'href="mailto:hr-mentor@example.org"' in html


def test_confirmation_names_the_next_gathering_not_a_past_one(
    client, programme_round, faculties, django_capture_on_commit_callbacks
):
    make_session(
        programme_round,
        title="Tidligere samling",
        start=timezone.now() - datetime.timedelta(days=2),
        audience=SessionPage.Audience.MENTEES,
    )
    html = submit(
        client,
        programme_round,
        "mentee",
        faculties[0],
        django_capture_on_commit_callbacks,
    )
    gathering = re.search(r"data-mentoring-first-gathering>(.*?)</li>", html, re.S)
    assert "Tidligere samling" not in gathering.group(1)
    assert "Adeptsamling" in gathering.group(1)
    assert ".." not in re.sub(r"<[^>]+>", "", gathering.group(1))


def test_confirmation_without_dates_or_gatherings_says_what_it_can(
    client, programme, faculties, django_capture_on_commit_callbacks
):
    programme_round = make_round(programme)
    html = submit(
        client,
        programme_round,
        "mentee",
        faculties[0],
        django_capture_on_commit_callbacks,
    )
    decisions = re.search(r"data-mentoring-decisions>(.*?)</li>", html, re.S).group(1)
    closes = timezone.localdate(programme_round.application_closes)
    assert f"{closes.day}. " in decisions and str(closes.year) in decisions
    gathering = re.search(r"data-mentoring-first-gathering>(.*?)</li>", html, re.S)
    assert "publisert" in gathering.group(1)
    assert "Spørsmål?" in html


def test_decisions_date_must_fit_the_round(programme):
    today = timezone.localdate()
    programme_round = make_round(programme)
    programme_round.decisions_by = today
    with pytest.raises(ValidationError) as error:
        programme_round.full_clean()
    assert "decisions_by" in error.value.message_dict
    programme_round.decisions_by = programme_round.period_start + datetime.timedelta(
        days=1
    )
    with pytest.raises(ValidationError) as error:
        programme_round.full_clean()
    assert "decisions_by" in error.value.message_dict
    programme_round.decisions_by = programme_round.period_start
    programme_round.full_clean()
