"""A participant on her phone (375 px) opens her personal link, adds the
calendar, reports that she cannot attend a gathering and logs a meeting;
HR sees the absence notice in the attendance register and the meeting in
the participation overview."""

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from mentoring_cms.models import AbsenceNotice, Application, Meeting, ProgramPage
from tests.participation_helpers import gathering, make_running_round, page_url
from tests.utils import make_application

from .admin import sign_in
from .i18n import tr
from .quality import horizontal_overflow

pytestmark = pytest.mark.browser


def test_participant_reports_absence_and_logs_a_meeting(page, demo_site):
    programme = ProgramPage.objects.filter(locale__language_code="nb").first()
    programme_round = make_running_round(
        programme, title="Løpende runde", slug="lopende-runde"
    )
    session = gathering(programme_round, 10, title="Fellessamling om nettverk")
    mentee = make_application(
        round=programme_round,
        status=Application.Status.ACCEPTED,
        full_name="Kari Nordmann",
        email="kari@example.org",
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page_url(mentee))
    expect(page.get_by_role("heading", name=tr("My page", "nb"))).to_be_visible()
    # Her gathering in the list (the "next gathering" line names it too).
    expect(
        page.locator("[data-mentoring-gathering]").get_by_text(
            "Fellessamling om nettverk"
        )
    ).to_be_visible()
    expect(page.locator("[data-mentoring-next-gathering]")).to_contain_text(
        "Fellessamling om nettverk"
    )
    assert horizontal_overflow(page) == 0

    # Add to my calendar: the feed holds the gathering.
    link = page.get_by_role("link", name=tr("Add to my calendar", "nb"))
    feed = page.request.get(link.get_attribute("href"))
    assert feed.ok
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == ["Fellessamling om nettverk"]

    # I cannot attend: a reason with a direction override comes back in
    # the open form, with its message and the text as typed.
    page.get_by_text(tr("I cannot attend", "nb")).click()
    reason = page.get_by_label(tr("Why can you not attend?", "nb"))
    reason.fill("Undervisning \u202e")
    page.get_by_role("button", name=tr("Send", "nb")).click()
    expect(
        page.get_by_text(tr("Remove the control characters from this text.", "nb"))
    ).to_be_visible()
    reason = page.get_by_label(tr("Why can you not attend?", "nb"))
    expect(reason).to_be_visible()
    expect(reason).to_have_value("Undervisning \u202e")
    assert not AbsenceNotice.objects.exists()
    # Two lines: the browser sends CRLF, the notice keeps one line break.
    reason.fill("Undervisning\nhele dagen")
    page.get_by_role("button", name=tr("Send", "nb")).click()
    expect(
        page.get_by_text(
            tr("Thank you. HR has been told that you cannot attend.", "nb")
        )
    ).to_be_visible()
    notice = AbsenceNotice.objects.get()
    assert (notice.session_id, notice.reason) == (
        session.pk,
        "Undervisning\nhele dagen",
    )

    # A meeting two days ago.
    day = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label(tr("Date of the meeting", "nb")).fill(day.isoformat())
    page.get_by_role("button", name=tr("Log meeting", "nb")).click()
    expect(page.get_by_text(tr("The meeting has been logged.", "nb"))).to_be_visible()
    # Only this test's meetings: the demo's finished rounds have their own.
    assert list(
        Meeting.objects.filter(application=mentee).values_list("date", flat=True)
    ) == [day]
    assert horizontal_overflow(page) == 0

    # HR sees both.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "hr")
    page.goto(
        f"/admin/mentoring/participation/?round={programme_round.translation_key}"
    )
    row = page.locator("tr", has_text="Kari Nordmann")
    expect(row).to_contain_text("1 / 8")
    page.get_by_role("link", name="Fellessamling om nettverk").click()
    expect(page.locator("[data-mentoring-notice]")).to_have_text(
        re.compile(r"^\s*Undervisning\s*hele dagen\s*$")
    )
