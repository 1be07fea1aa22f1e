"""HR running the round: attendance register, participation overview with
missed mandatory gatherings and meeting pace, reminders, group emails, and
erasure of participation data with the application."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentoring_cms.models import (
    AbsenceNotice,
    Application,
    Attendance,
    GatheringReminder,
    Meeting,
    Participation,
    SessionPage,
)
from mentoring_cms.operations import (
    anonymise_application,
    erase_application,
    purge_applications,
)
from mentoring_cms.participation.links import participation_for

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    gathering,
    make_running_round,
    participant,
)

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("mentoring_participation_overview")
EMAIL = reverse("mentoring_participation_email")


@pytest.fixture
def running(programme):
    return make_running_round(programme)


def register_url(session):
    return reverse("mentoring_participation_attendance", args=[session.pk])


def test_hr_records_attendance_and_sees_absence_notices(hr_client, running):
    mentee = participant(running, full_name="Kari Nordmann")
    mentor = participant(running, role=Application.Role.MENTOR, full_name="Per Mentor")
    # Attendance is recorded once the gathering has taken place.
    session = gathering(running, -5, SessionPage.Audience.MENTEES)
    AbsenceNotice.objects.create(application=mentee, session=session, reason="Kurs")
    content = hr_client.get(register_url(session)).content.decode()
    assert "Kari Nordmann" in content
    assert "Kurs" in content
    assert "Per Mentor" not in content
    response = hr_client.post(
        register_url(session),
        {f"p{mentee.pk}": "absent_notice", f"p{mentor.pk}": "present"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("application", "status")) == [
        (mentee.pk, "absent_notice")
    ]


def test_a_bad_register_status_stores_nothing(hr_client, running):
    mentee = participant(running)
    session = gathering(running, 5)
    response = hr_client.post(register_url(session), {f"p{mentee.pk}": "maybe"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_missed_mandatory_gatherings_are_flagged(hr_client, running):
    mentee = participant(running, full_name="Kari Nordmann")
    participant(running, full_name="Ola Tilstede")
    mandatory = gathering(running, -10, title="Obligatorisk")
    optional = gathering(running, -9, title="Valgfri", mandatory=False)
    Attendance.objects.create(application=mentee, session=mandatory, status="absent")
    Attendance.objects.create(application=mentee, session=optional, status="absent")
    response = hr_client.get(OVERVIEW + f"?round={running.translation_key}")
    content = response.content.decode()
    assert "data-mentoring-missed-count" in content
    assert content.count("data-mentoring-missed>") == 1
    assert "<strong>Obligatorisk</strong>" in content
    assert "<strong>Valgfri</strong>" not in content


def test_participants_below_pace_are_highlighted(hr_client, running):
    slow = participant(running, full_name="Sakte")
    fast = participant(running, full_name="Rask")
    for day in range(5):
        Meeting.objects.create(
            application=fast, date=running.period_start + datetime.timedelta(days=day)
        )
    content = hr_client.get(OVERVIEW).content.decode()
    rows = [row for row in content.split("<tr") if "Sakte" in row or "Rask" in row]
    assert any("Sakte" in row and "data-mentoring-below-pace" in row for row in rows)
    assert any("Rask" in row and "data-mentoring-below-pace" not in row for row in rows)
    assert slow.pk != fast.pk


def test_gathering_reminders_go_once_to_the_audience_in_their_languages(
    running, django_capture_on_commit_callbacks
):
    mentee = participant(running, language="en")
    mentor = participant(running, role=Application.Role.MENTOR, language="nb")
    for person in (mentee, mentor):
        # A recent meeting: no meeting reminder in this test.
        Meeting.objects.create(application=person, date=timezone.localdate())
    gathering(running, 5, SessionPage.Audience.MENTEES, title="Adeptsamling")
    gathering(running, 20, title="Senere")
    call_command("send_participation_reminders")
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert mail.outbox[0].subject == "Reminder: Adeptsamling"
    assert GatheringReminder.objects.count() == 1
    call_command("send_participation_reminders")
    assert len(mail.outbox) == 1
    assert mentor.email not in {m.to[0] for m in mail.outbox}


def test_a_meeting_reminder_after_six_quiet_weeks(running):
    quiet = participant(running, language="en")
    busy = participant(running)
    Meeting.objects.create(application=busy, date=timezone.localdate())
    Meeting.objects.create(
        application=quiet, date=running.period_start + datetime.timedelta(days=1)
    )
    call_command("send_participation_reminders")
    assert [m.to for m in mail.outbox] == [[quiet.email]]
    assert "/personal/" in mail.outbox[0].body
    call_command("send_participation_reminders")
    assert len(mail.outbox) == 1


def test_group_email_reaches_each_in_their_language(
    hr_client, running, django_capture_on_commit_callbacks
):
    nb = participant(running, language="nb")
    en = participant(running, language="en")
    participant(running, role=Application.Role.MENTOR)
    participant(running, status=Application.Status.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            EMAIL + f"?round={running.translation_key}",
            {
                "round": running.translation_key,
                "group": "mentees",
                "subject_nb": "Hei",
                "body_nb": "Norsk tekst",
                "subject_en": "Hello",
                "body_en": "English text",
            },
        )
    assert response.status_code == 302
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {nb.email, en.email}
    assert sent[nb.email].subject == "Hei"
    assert "English text" in sent[en.email].body


def test_a_group_email_without_its_texts_is_refused(hr_client, running):
    participant(running)
    response = hr_client.post(
        EMAIL, {"round": running.translation_key, "group": "mentees"}
    )
    assert response.status_code == 400
    assert not mail.outbox


def _with_participation(running):
    mentee = participant(running)
    session = gathering(running, 5)
    participation_for(mentee)
    AbsenceNotice.objects.create(application=mentee, session=session, reason="Syk")
    Attendance.objects.create(application=mentee, session=session, status="present")
    Meeting.objects.create(application=mentee, date=timezone.localdate())
    return mentee


def assert_no_participation_left():
    for model in (Participation, AbsenceNotice, Attendance, Meeting):
        assert not model.objects.exists(), model


def test_erasure_removes_participation_data(running):
    erase_application(_with_participation(running))
    assert_no_participation_left()


def test_anonymisation_removes_participation_data(running):
    anonymise_application(_with_participation(running))
    assert_no_participation_left()


def test_purge_removes_participation_data(programme):
    today = timezone.localdate()
    old = make_running_round(
        programme,
        slug="gammel",
        application_opens=timezone.now() - datetime.timedelta(days=900),
        application_closes=timezone.now() - datetime.timedelta(days=880),
        period_start=today - datetime.timedelta(days=850),
        period_end=today - datetime.timedelta(days=500),
    )
    mentee = participant(old)
    participation_for(mentee)
    Meeting.objects.create(application=mentee, date=old.period_start)
    purge_applications()
    assert_no_participation_left()


def test_hr_pages_are_for_reviewers_only(client, editor_user, running):
    session = gathering(running, 5)
    client.force_login(editor_user)
    for url in (OVERVIEW, EMAIL, register_url(session)):
        assert client.get(url).status_code == 403


def test_the_round_summary_flags_missed_mandatory_gatherings(hr_client, running):
    mentee = participant(running, full_name="Kari Nordmann")
    participant(running, full_name="Ola Tilstede")
    mandatory = gathering(running, -10, title="Obligatorisk")
    optional = gathering(running, -9, title="Valgfri", mandatory=False)
    Attendance.objects.create(application=mentee, session=mandatory, status="absent")
    Attendance.objects.create(application=mentee, session=optional, status="absent")
    url = (
        reverse("mentoring_applications:summary") + f"?round={running.translation_key}"
    )
    content = hr_client.get(url).content.decode()
    assert "data-mentoring-summary-missed" in content
    flagged = content.split("data-mentoring-summary-missed", 1)[1].split("</ul>")[0]
    assert "Kari Nordmann" in flagged
    assert "Obligatorisk" in flagged
    assert "Valgfri" not in flagged
    assert "Ola Tilstede" not in flagged
