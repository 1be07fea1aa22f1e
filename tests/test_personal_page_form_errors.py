"""Every form of the personal page, refused, comes back with the field's
message in the person's language and what she typed; the absence form
comes back open under its gathering."""

import re

import pytest
from django.urls import reverse

from mentoring_cms.models import AbsenceNotice, Meeting

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    gathering,
    make_running_round,
    page_url,
    participant,
)
from .utils import make_application

pytestmark = pytest.mark.django_db

LONG = "\r\n".join(["ord " * 12] * 20)  # 20 lines, CRLF as browsers send


@pytest.fixture
def running(programme):
    return make_running_round(programme)


def absence_form_html(content, session):
    """The <details> of ``session``'s absence form."""
    match = re.search(
        r"<details[^>]*>\s*<summary>[^<]*</summary>\s*<form[^>]*>\s*"
        r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>\s*'
        rf'<input type="hidden" name="session" value="{session.pk}">.*?</details>',
        content,
        re.S,
    )
    assert match, "the absence form is missing"
    return match.group(0)


@pytest.mark.parametrize(
    "language,reason,message",
    [
        ("nb", "", "Fortell kort hvorfor du ikke kan delta."),
        ("en", "", "Tell us briefly why you cannot attend."),
        ("nb", "\u200b\u200b", "Fortell kort hvorfor du ikke kan delta."),
        ("nb", "x" * 1001, "Skriv høyst 1000 tegn (du skrev 1001)."),
        ("en", "x" * 1001, "Write at most 1000 characters (you wrote 1001)."),
        ("nb", "Syk \u202e kveld", "Fjern kontrolltegnene fra teksten."),
        ("en", "Syk \u202e kveld", "Remove the control characters from this text."),
        ("en", "bad\x00text", "Remove the control characters from this text."),
    ],
)
def test_a_refused_absence_comes_back_open_with_its_message_and_text(
    client, running, language, reason, message
):
    mentee = participant(running, language=language)
    other = gathering(running, 5, title="Første")
    session = gathering(running, 10)
    response = client.post(
        page_url(mentee, "absence"), {"session": session.pk, "reason": reason}
    )
    assert response.status_code == 400
    content = response.content.decode()
    form = absence_form_html(content, session)
    assert form.startswith("<details open")
    assert message in form
    assert content.count(message) == 1
    assert 'aria-invalid="true"' in form
    kept = reason.replace("\x00", "").replace("\u200b", "")
    if kept:
        shown = re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1)
        assert shown.replace("\x00", "") == kept.replace("\x00", "")
    assert not absence_form_html(content, other).startswith("<details open")
    assert not AbsenceNotice.objects.exists()


def test_an_absence_reason_of_1000_characters_in_crlf_lines_is_kept_with_newlines(
    client, running
):
    mentee = participant(running)
    session = gathering(running, 10)
    reason = "\r\n".join(["y" * 99] * 10)  # 1000 with CRLF counted as one
    assert len(reason.replace("\r\n", "\n")) == 999
    reason += "z"
    response = client.post(
        page_url(mentee, "absence"), {"session": session.pk, "reason": reason}
    )
    assert response.status_code == 302
    assert AbsenceNotice.objects.get().reason == reason.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "language,message", [("nb", "Skriv datoen som ÅÅÅÅ-MM-DD."), ("en", "YYYY-MM-DD")]
)
def test_a_refused_meeting_comes_back_with_its_message_and_value(
    client, running, language, message
):
    mentee = participant(running, language=language)
    response = client.post(page_url(mentee, "meeting"), {"date": "31.12.2026"})
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'value="31.12.2026"' in content
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "language,message",
    [("nb", "Kryss av i boksen for å bekrefte."), ("en", "Tick the box to confirm.")],
)
def test_a_refused_withdrawal_comes_back_with_its_message(
    client, open_round, language, message
):
    application = make_application(round=open_round, language=language)
    response = client.post(page_url(application, "withdraw"), {})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "language,message",
    [("nb", "Fjern kontrolltegnene fra teksten."), ("en", "Remove the control")],
)
def test_a_refused_link_request_comes_back_with_its_message_and_value(
    client, language, message
):
    response = client.post(
        reverse("mentoring_cms:personal_link_request") + f"?lang={language}",
        {"email": "kari\u202e@ntnu.no"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "kari\u202e@ntnu.no" in content
