"""The personal page: answers, status, withdrawal, data download; after
acceptance her gatherings, absence notices and meeting log."""

import datetime
import json

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from mentoring_cms.models import AbsenceNotice, Application, Meeting, SessionPage

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    gathering,
    make_running_round,
    page_url,
    participant,
)
from .utils import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(programme):
    return make_running_round(programme)


@pytest.fixture
def mentee(running):
    return participant(running, full_name="Kari Nordmann")


def test_she_sees_her_answers_and_status_in_her_language(client, open_round):
    application = make_application(round=open_round, language="en")
    content = client.get(page_url(application)).content.decode()
    assert "My page" in content
    assert "Submitted" in content
    assert "Jeg vil bli professor." in content
    nb = make_application(round=open_round, language="nb")
    content = client.get(page_url(nb)).content.decode()
    assert "Min side" in content or "Innsendt" in content


def test_withdrawing_asks_for_confirmation_first(client, open_round):
    application = make_application(round=open_round)
    url = page_url(application, "withdraw")
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    entry = ModelLogEntry.objects.get(
        action="mentoring_cms.application.withdrawn_by_applicant"
    )
    assert entry.object_id == str(application.pk)
    assert application.full_name not in json.dumps(entry.data)


def test_a_final_application_cannot_be_withdrawn(client, open_round):
    application = make_application(round=open_round, status=Application.Status.REJECTED)
    response = client.post(page_url(application, "withdraw"), {"confirm": "on"})
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_she_downloads_her_data_as_json(client, mentee, running):
    session = gathering(running, 10)
    Meeting.objects.create(application=mentee, date=timezone.localdate())
    AbsenceNotice.objects.create(application=mentee, session=session, reason="Syk")
    response = client.get(page_url(mentee, "data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == mentee.email
    assert data["answers"]["motivation"] == "Jeg vil bli professor."
    assert data["meetings"] == [timezone.localdate().isoformat()]
    assert data["absence_notices"][0]["reason"] == "Syk"


def test_a_participant_sees_her_audiences_gatherings(client, mentee, running):
    gathering(running, 10, title="Felles samling")
    gathering(running, 11, SessionPage.Audience.MENTEES, title="Adeptsamling")
    gathering(running, 12, SessionPage.Audience.MENTORS, title="Mentorsamling")
    content = client.get(page_url(mentee)).content.decode()
    assert "Felles samling" in content
    assert "Adeptsamling" in content
    assert "Mentorsamling" not in content
    assert "Gløshaugen, R1" in content
    assert "Roller og ansvar" in content
    assert "Your partner will be shown here" in content or "partner" in content


def test_an_applicant_not_accepted_sees_no_gatherings(client, running):
    application = participant(running, status=Application.Status.SUBMITTED)
    gathering(running, 10, title="Felles samling")
    assert "Felles samling" not in client.get(page_url(application)).content.decode()


def test_she_reports_an_absence_with_a_reason(client, mentee, running):
    session = gathering(running, 10)
    response = client.post(
        page_url(mentee, "absence"), {"session": session.pk, "reason": "Konferanse"}
    )
    assert response.status_code == 302
    notice = AbsenceNotice.objects.get()
    assert (notice.application, notice.session, notice.reason) == (
        mentee,
        session,
        "Konferanse",
    )
    again = client.post(
        page_url(mentee, "absence"), {"session": session.pk, "reason": "Igjen"}
    )
    assert again.status_code == 409
    assert AbsenceNotice.objects.count() == 1


def test_an_absence_after_the_gathering_is_refused(client, mentee, running):
    session = gathering(running, -3)
    response = client.post(
        page_url(mentee, "absence"), {"session": session.pk, "reason": "Syk"}
    )
    assert response.status_code == 409
    assert "already taken place" in response.content.decode() or (
        "allerede" in response.content.decode()
    )
    assert not AbsenceNotice.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"session": None, "reason": "Syk"},
        {"session": "abc", "reason": "Syk"},
        {"session": "", "reason": "Syk"},
        {"reason": ""},
        {"reason": "x" * 1001},
        {"reason": "bad\x00text"},
    ],
)
def test_bad_absence_input_is_refused(client, mentee, running, data):
    session = gathering(running, 10)
    data = {"session": session.pk, **data}
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(page_url(mentee, "absence"), data)
    assert response.status_code == 400
    assert not AbsenceNotice.objects.exists()


def test_no_absence_for_another_rounds_or_audiences_gathering(
    client, mentee, running, programme
):
    mentors_only = gathering(running, 10, SessionPage.Audience.MENTORS)
    other_round = make_running_round(programme, title="Annen", slug="annen")
    elsewhere = gathering(other_round, 10)
    for session in (mentors_only, elsewhere):
        response = client.post(
            page_url(mentee, "absence"), {"session": session.pk, "reason": "Syk"}
        )
        assert response.status_code == 404
    assert not AbsenceNotice.objects.exists()


def test_she_logs_meetings_and_sees_her_progress(client, mentee, running):
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(page_url(mentee, "meeting"), {"date": day.isoformat()})
    assert response.status_code == 302
    assert list(Meeting.objects.values_list("date", flat=True)) == [day]
    content = client.get(page_url(mentee)).content.decode()
    assert "1 meeting logged; the programme asks for 8–10." in content or (
        "8–10" in content
    )


@pytest.mark.parametrize(
    "offset,code",
    [(1, "future"), (-61, "before"), (None, "duplicate")],
)
def test_bad_meeting_dates_are_refused(client, mentee, running, offset, code):
    today = timezone.localdate()
    if offset is None:
        Meeting.objects.create(application=mentee, date=today)
        day = today
    else:
        day = today + datetime.timedelta(days=offset)
    before = Meeting.objects.count()
    response = client.post(page_url(mentee, "meeting"), {"date": day.isoformat()})
    assert response.status_code == 409
    assert Meeting.objects.count() == before


@pytest.mark.parametrize(
    "value", ["", "31.12.2026", "2026-13-01", "2026-02-30", "x" * 50]
)
def test_malformed_meeting_dates_are_refused(client, mentee, value):
    response = client.post(page_url(mentee, "meeting"), {"date": value})
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_only_participants_log_meetings_or_absences(client, running):
    applicant = participant(running, status=Application.Status.NOMINATED)
    session = gathering(running, 10)
    day = timezone.localdate().isoformat()
    assert client.post(page_url(applicant, "meeting"), {"date": day}).status_code == 409
    response = client.post(
        page_url(applicant, "absence"), {"session": session.pk, "reason": "Syk"}
    )
    assert response.status_code == 409
    assert not Meeting.objects.exists()
    assert not AbsenceNotice.objects.exists()


def test_one_link_never_shows_another_persons_data(client, mentee, running):
    other = participant(running, full_name="Ola Hemmelig")
    Meeting.objects.create(application=other, date=timezone.localdate())
    for view in ("page", "withdraw"):
        content = client.get(page_url(mentee, view)).content.decode()
        assert "Ola Hemmelig" not in content
        assert other.reference not in content
    data = json.loads(client.get(page_url(mentee, "data")).content)
    assert data["meetings"] == []


@pytest.mark.parametrize("gatherings,meetings", [(7, 10), (30, 100)])
def test_the_page_costs_the_same_queries(
    client, running, django_assert_max_num_queries, gatherings, meetings
):
    mentee = participant(running)
    for day in range(gatherings):
        gathering(running, day + 1, slug=f"s-{day}")
        AbsenceNotice.objects.create(
            application=mentee,
            session=SessionPage.objects.order_by("-pk").first(),
            reason="x",
        )
    start = running.period_start
    Meeting.objects.bulk_create(
        Meeting(application=mentee, date=start + datetime.timedelta(days=i % 60))
        for i in range(min(meetings, 60))
    )
    url = page_url(mentee)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
