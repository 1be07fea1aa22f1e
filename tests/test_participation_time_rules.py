"""Time rules of the participation stage: attendance only for gatherings
that have started, missed-gathering flags only for past ones, every date a
participant enters within the round's period and not in the future, and
emails and pages that name only a gathering still to come."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from mentoring_cms.matching.tasks import render_introduction
from mentoring_cms.models import Application, Attendance, Meeting, SessionPage
from mentoring_cms.participation import operations
from mentoring_cms.participation.summary import (
    missed_mandatory_gatherings,
    round_participation,
)

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    gathering,
    make_running_round,
    page_url,
    participant,
)
from .utils import make_round, make_session, oslo, set_admin_language

pytestmark = pytest.mark.django_db

NOT_STARTED = {
    "en": "This gathering has not taken place yet; attendance can only be "
    "recorded once it has started.",
    "nb": "Denne samlingen har ikke funnet sted ennå; oppmøte kan bare "
    "registreres når den har startet.",
}


@pytest.fixture
def running(programme):
    return make_running_round(programme)


def register_url(session):
    return reverse("mentoring_participation_attendance", args=[session.pk])


# 1. Attendance only for gatherings that have started --------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_hr_cannot_record_attendance_for_a_gathering_to_come(
    hr_client, hr_user, running, language
):
    set_admin_language(hr_user, language)
    mentee = participant(running)
    session = gathering(running, 60, title="Om to måneder")
    page = hr_client.get(register_url(session)).content.decode()
    assert "data-mentoring-attendance-closed" in page
    assert NOT_STARTED[language] in page
    response = hr_client.post(register_url(session), {f"p{mentee.pk}": "absent"})
    assert response.status_code == 409
    assert NOT_STARTED[language] in response.content.decode()
    assert not Attendance.objects.exists()


def test_hr_records_attendance_once_the_gathering_has_started(hr_client, running):
    mentee = participant(running)
    session = make_session(
        running,
        title="Pågår",
        start=timezone.now() - datetime.timedelta(minutes=30),
        end=timezone.now() + datetime.timedelta(hours=2),
    )
    page = hr_client.get(register_url(session)).content.decode()
    assert "data-mentoring-attendance-closed" not in page
    response = hr_client.post(register_url(session), {f"p{mentee.pk}": "present"})
    assert response.status_code == 302
    assert Attendance.objects.get().status == "present"


def test_the_operation_refuses_a_register_for_a_gathering_to_come(running):
    mentee = participant(running)
    session = gathering(running, 1)
    with pytest.raises(operations.ParticipationRefused) as refusal:
        operations.record_attendance(session, {mentee.pk: "absent"})
    assert refusal.value.code == "gathering_not_started"
    # The moment it starts, the register opens.
    stored = operations.record_attendance(
        session, {mentee.pk: "absent"}, now=session.start
    )
    assert stored == 1


def test_only_past_gatherings_count_as_missed(running):
    """Rows stored before the rule (or for a gathering still under way) flag
    nobody; a past mandatory gathering does."""
    mentee = participant(running, full_name="Kari Nordmann")
    past = gathering(running, -10, title="Forbi")
    coming = gathering(running, 60, title="Om to måneder")
    Attendance.objects.create(application=mentee, session=coming, status="absent")
    summary = round_participation(running)
    assert summary.missed_mandatory == []
    assert missed_mandatory_gatherings(running) == []
    coming_row = next(row for row in summary.gatherings if row.session.pk == coming.pk)
    assert coming_row.missed == 0
    Attendance.objects.create(application=mentee, session=past, status="absent")
    summary = round_participation(running)
    assert [row.application for row in summary.missed_mandatory] == [mentee]
    assert summary.missed_mandatory[0].missed_mandatory == [past]
    assert missed_mandatory_gatherings(running) == [(mentee, [past])]


def test_the_pages_list_no_missed_gathering_early(hr_client, running):
    mentee = participant(running, full_name="Kari Nordmann")
    coming = gathering(running, 60, title="Om to måneder")
    Attendance.objects.create(application=mentee, session=coming, status="absent")
    query = f"?round={running.translation_key}"
    summary = hr_client.get(reverse("mentoring_applications:summary") + query)
    assert summary.status_code == 200
    assert "data-mentoring-summary-missed" not in summary.content.decode()
    overview = hr_client.get(reverse("mentoring_participation_overview") + query)
    html = overview.content.decode()
    assert "data-mentoring-missed-count" not in html
    assert "data-mentoring-missed>" not in html
    # The same row for a past gathering is flagged on both pages.
    past = gathering(running, -10, title="Forbi")
    Attendance.objects.create(application=mentee, session=past, status="absent")
    summary = hr_client.get(reverse("mentoring_applications:summary") + query)
    assert "data-mentoring-summary-missed" in summary.content.decode()
    overview = hr_client.get(reverse("mentoring_participation_overview") + query)
    assert "data-mentoring-missed-count" in overview.content.decode()


# 2. Dates within the round's period, not in the future -------------------


@pytest.fixture
def finished(programme):
    """The 2022–2023 round: it ended on 2023-06-16."""
    return make_round(
        programme,
        title="Runde 2022–2023",
        slug="runde-2022-2023",
        application_opens=oslo(2022, 3, 1),
        application_closes=oslo(2022, 4, 1),
        period_start=datetime.date(2022, 8, 15),
        period_end=datetime.date(2023, 6, 16),
    )


ENDED = {
    "en": "The round ended on 2023-06-16; a meeting cannot be later.",
    "nb": "Runden sluttet 2023-06-16; et møte kan ikke være senere.",
}
FUTURE = {
    "en": "A meeting can only be logged once it has taken place.",
    "nb": "Et møte kan bare registreres når det har funnet sted.",
}


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("value", ["2023-06-17", "2025-05-05", "2026-12-01"])
def test_a_meeting_after_the_round_ended_is_refused(client, finished, language, value):
    mentee = participant(finished, language=language)
    today = datetime.date(2026, 12, 1)
    response = client.post(page_url(mentee, "meeting"), {"date": value})
    assert response.status_code == 409
    html = response.content.decode()
    expected = ENDED[language]
    if datetime.date.fromisoformat(value) > timezone.localdate():
        expected = FUTURE[language]  # the machine's clock is before `value`
    assert expected in html, (today, value)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("value", ["9999-12-31", "3000-01-01"])
def test_a_far_future_date_gets_the_not_in_the_future_message(
    client, running, language, value
):
    mentee = participant(running, language=language)
    response = client.post(page_url(mentee, "meeting"), {"date": value})
    assert response.status_code == 409
    html = response.content.decode()
    assert FUTURE[language] in html
    assert "Enter a valid date" not in html and "Oppgi en gyldig dato" not in html
    assert not Meeting.objects.exists()


def test_the_last_day_of_the_round_is_accepted(client, finished):
    mentee = participant(finished)
    response = client.post(page_url(mentee, "meeting"), {"date": "2023-06-16"})
    assert response.status_code == 302
    assert list(Meeting.objects.values_list("date", flat=True)) == [
        datetime.date(2023, 6, 16)
    ]


def test_the_rule_is_in_the_operation_too(finished):
    mentee = participant(finished)
    today = datetime.date(2026, 12, 1)
    for day, code in [
        (datetime.date(2022, 8, 14), "before_round"),
        (datetime.date(2023, 6, 17), "after_round"),
        (datetime.date(2026, 12, 2), "future_date"),
        (datetime.date(9999, 12, 31), "future_date"),
    ]:
        with pytest.raises(operations.ParticipationRefused) as refusal:
            operations.log_meeting(mentee, day, today=today)
        assert refusal.value.code == code, day
    assert not Meeting.objects.exists()


def test_the_date_picker_offers_only_the_rounds_days(client, finished):
    mentee = participant(finished)
    html = client.get(page_url(mentee)).content.decode()
    assert 'min="2022-08-15"' in html
    assert 'max="2023-06-16"' in html


# 3. Only upcoming gatherings are announced --------------------------------


def _pair(programme_round):
    mentor = participant(
        programme_round,
        role=Application.Role.MENTOR,
        full_name="Per Mentor",
        language="en",
    )
    mentee = participant(programme_round, full_name="Kari Adept", language="en")
    return mentor, mentee


def test_the_introduction_of_a_finished_round_names_no_past_gathering(finished):
    make_session(
        finished,
        title="Opening gathering",
        start=oslo(2022, 9, 22, 9),
        end=oslo(2022, 9, 22, 15),
    )
    mentor, mentee = _pair(finished)
    _subject, body = render_introduction(mentee, mentor)
    assert "Opening gathering" not in body
    assert "first gathering" not in body
    assert "There are no more gatherings planned in this round for now." in body
    with translation.override("nb"):
        mentee.language = "nb"
        _subject, body = render_introduction(mentee, mentor)
    assert "Opening gathering" not in body
    assert "Det er ingen flere samlinger planlagt i denne runden foreløpig." in body


def test_the_introduction_names_the_next_gathering(running):
    gathering(running, -20, title="Oppstart")
    gathering(running, 14, title="Andre samling")
    mentor, mentee = _pair(running)
    _subject, body = render_introduction(mentee, mentor)
    assert "Oppstart" not in body
    assert "Your next gathering is Andre samling" in body
    assert "a.m.." not in body
    assert "9 a.m." in body


def test_the_personal_page_names_only_the_next_gathering(client, running):
    gathering(running, -20, title="Oppstart")
    gathering(running, 14, title="Andre samling")
    mentee = participant(running, language="en")
    html = client.get(page_url(mentee)).content.decode()
    line = html.split("data-mentoring-next-gathering>")[1].split("</p>")[0]
    assert "Your next gathering is Andre samling" in line
    assert "Oppstart" not in line
    assert "a.m.." not in html


def test_the_personal_page_says_when_no_gathering_is_to_come(client, finished):
    make_session(
        finished,
        title="Opening gathering",
        start=oslo(2022, 9, 22, 9),
        end=oslo(2022, 9, 22, 15),
    )
    mentee = participant(finished, language="en")
    html = client.get(page_url(mentee)).content.decode()
    line = html.split("data-mentoring-next-gathering>")[1].split("</p>")[0]
    assert "Opening gathering" not in line
    assert "There are no more gatherings in this round." in line


def test_next_gathering_for_skips_started_ones(running):
    started = gathering(running, -1, title="I går")
    coming = gathering(running, 3, title="Snart")
    assert running.first_gathering_for(Application.Role.MENTEE).pk == started.pk
    assert running.next_gathering_for(Application.Role.MENTEE).pk == coming.pk
    later = coming.start + datetime.timedelta(minutes=1)
    assert running.next_gathering_for(Application.Role.MENTEE, later) is None
    assert SessionPage.objects.count() == 2
    assert not mail.outbox
