"""The text rules on the pages where QA found them missing: HR's group
email, a nomination, a conflict of interest and a score comment refuse
invisible-only text and direction overrides, and take a text area filled
to its browser limit with CRLF line breaks (stored with ``\\n``)."""

import pytest
from django.core import mail
from django.urls import reverse

from mentoring_cms.models import Application, ConflictOfInterest, Nomination, Review

from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    make_running_round,
    participant,
)
from .selection_helpers import make_coordinator, make_reviewer, scores_for
from .utils import make_application

pytestmark = pytest.mark.django_db

Status = Application.Status
EMAIL = reverse("mentoring_participation_email")
# 40 lines of 49 characters: the browser counts 2000 (its maxlength).
BROWSER_FULL = "\r\n".join(["x" * 49] * 40) + "\r\n"


def selection_url(name, *args):
    return reverse(f"mentoring_selection:{name}", args=args)


def email_data(running, **changes):
    data = {
        "round": running.translation_key,
        "group": "mentees",
        "subject_nb": "Hei",
        "body_nb": "Norsk tekst",
        "subject_en": "Hello",
        "body_en": "English text",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"body_nb": "\u200b"},
        {"body_en": "\u200b\ufeff"},
        {"subject_en": "\u200d"},
        {"subject_nb": "Hei \u202e"},
        {"body_nb": "Tekst \u202e"},
    ],
)
def test_a_group_email_with_invisible_or_override_text_is_not_sent(
    hr_client, programme, django_capture_on_commit_callbacks, changes
):
    running = make_running_round(programme)
    participant(running)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            EMAIL + f"?round={running.translation_key}", email_data(running, **changes)
        )
    assert response.status_code == 400
    assert not mail.outbox


@pytest.fixture
def own(open_round, faculty):
    return make_application(
        round=open_round, faculty=faculty, status=Status.UNDER_REVIEW
    )


@pytest.mark.parametrize("justification", ["\u200b", "\u200b\u2060 ", "Bra \u202e"])
def test_a_nomination_needs_visible_text_without_overrides(
    client, own, faculty, justification
):
    client.force_login(make_coordinator("koordinator", faculty))
    client.post(selection_url("nominate", own.pk), {"justification": justification})
    own.refresh_from_db()
    assert own.status == Status.UNDER_REVIEW
    assert not Nomination.objects.exists()


def test_a_nomination_filled_to_the_browser_limit_is_taken(client, own, faculty):
    client.force_login(make_coordinator("koordinator", faculty))
    client.post(selection_url("nominate", own.pk), {"justification": BROWSER_FULL})
    nomination = Nomination.objects.get()
    assert nomination.justification == BROWSER_FULL.replace("\r\n", "\n").strip()


@pytest.fixture
def nominated(open_round, faculty):
    return make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)


@pytest.mark.parametrize("reason", ["\u200b", "Samme \u202e institutt"])
def test_a_conflict_needs_visible_text_without_overrides(client, nominated, reason):
    client.force_login(make_reviewer("komite1"))
    client.post(selection_url("conflict", nominated.pk), {"reason": reason})
    assert not ConflictOfInterest.objects.exists()


def test_a_score_comment_with_a_direction_override_is_refused(client, nominated):
    client.force_login(make_reviewer("komite1"))
    scores = scores_for(nominated, 4)
    data = {f"score_{pk}": value for pk, (value, _comment) in scores.items()}
    data[f"comment_{next(iter(scores))}"] = "Sterk \u202e søker"
    response = client.post(selection_url("review", nominated.pk), data)
    assert "Fjern kontrolltegnene fra teksten." in response.content.decode()
    assert not Review.objects.exists()
