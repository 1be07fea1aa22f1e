"""Save and continue later in the application wizards: the draft is kept
on the server, the emailed link resumes it in any browser at the step she
left, with her answers and upload, and every way a link can go wrong has a
page of its own."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from mentoring_cms.models import Application, ApplicationDraft
from mentoring_cms.storage import draft_file_storage, private_storage

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    consent_fields,
    make_faculty_pair,
    make_pdf_bytes,
    mentee_answers,
    mentor_answers,
    post_step,
    translate_page,
    walk,
    wizard_prefix,
)

pytestmark = pytest.mark.django_db

SAVE = {"wizard_save_later": "1"}
LINK = re.compile(r"https?://\S+/application/resume/\S+")


@pytest.fixture
def faculties():
    return make_faculty_pair(
        "Fakultet for naturvitenskap", "Faculty of Natural Sciences"
    )


@pytest.fixture(autouse=True)
def empty_private_storage():
    yield
    for folder in ("wizard-tmp", "wizard-drafts", "applications"):
        try:
            _dirs, files = private_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in files:
            private_storage.delete(f"{folder}/{name}")


def text(response):
    return response.content.decode()


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def local(url):
    """The path and query of an absolute link, for the test client."""
    return re.sub(r"^https?://[^/]+", "", url)


def resume(client, url):
    """Open the link, which changes nothing and offers a button, and press
    the button."""
    response = client.get(local(url))
    assert response.status_code == 200, response.status_code
    assert 'method="post"' in text(response)
    return client.post(local(url))


def draft_files():
    try:
        return private_storage.listdir("wizard-drafts")[1]
    except FileNotFoundError:
        return []


def save_at_motivation(client, programme_round, faculty, **fields):
    """Walk the mentee up to the motivation step (a PDF on the position
    step) and save it for later with ``fields``."""
    answers = mentee_answers(faculty)
    answers["position"]["_files"] = {
        "attachment": SimpleUploadedFile("cv.pdf", make_pdf_bytes(), "application/pdf")
    }
    walk(client, programme_round, "mentee", answers, until="promotion")
    return post_step(client, programme_round, "mentee", "motivation", fields, **SAVE)


def finish(client, programme_round, faculty, role="mentee"):
    """Answer the remaining steps from where the wizard stands and submit."""
    answers = (mentee_answers if role == "mentee" else mentor_answers)(faculty)
    response = client.get(apply_url(programme_round, role))
    for _ in range(len(answers) + 1):
        step = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        if "/done/" in response["Location"]:
            return response
        fields = dict(answers[step])
        if step == "consent":
            fields = consent_fields(client, programme_round, role, fields)
        response = post_step(client, programme_round, role, step, fields)
        assert response.status_code == 302, (step, response.status_code)
    raise AssertionError("the wizard did not finish")


@pytest.mark.parametrize("role", ["mentee", "mentor"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_step_offers_save_and_continue_later(
    client, open_round, faculties, role, language
):
    programme_round = (
        open_round if language == "nb" else translate_page(open_round, "en")
    )
    label = {"nb": "Lagre og fortsett senere", "en": "Save and continue later"}
    answers = (mentee_answers if role == "mentee" else mentor_answers)(faculties[0])
    client.get(apply_url(programme_round, role))
    for step, fields in answers.items():
        page = text(client.get(apply_url(programme_round, role, step)))
        assert 'name="wizard_save_later"' in page, step
        assert label[language] in page, step
        if step == "consent":
            fields = consent_fields(client, programme_round, role, fields)
        if step != "review":
            post_step(client, programme_round, role, step, fields)


def test_the_link_resumes_in_another_browser_with_answers_and_upload(
    client, open_round, faculties, django_capture_on_commit_callbacks
):
    response = save_at_motivation(
        client, open_round, faculties[0], motivation="Jeg vil bli professor."
    )
    assert response.status_code == 200
    assert "kari.nordmann@example.org" in text(response)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari.nordmann@example.org"]
    assert message.subject == "Din lagrede søknad – Runde 2026"
    url = link_in(message)
    draft = ApplicationDraft.objects.get()
    # Neither the draft's id nor the session key is in the link.
    assert f"/{draft.pk}/" not in url
    assert client.session.session_key not in url
    assert len(draft_files()) == 1

    other = Client()
    response = resume(other, url)
    assert response.status_code == 302
    assert response["Location"] == apply_url(open_round, "mentee", "motivation")
    page = text(other.get(response["Location"]))
    assert "Jeg vil bli professor." in page
    position = text(other.get(apply_url(open_round, "mentee", "position")))
    assert "cv.pdf" in position

    with django_capture_on_commit_callbacks(execute=True):
        response = finish(other, open_round, faculties[0])
    application = Application.objects.get()
    assert application.attachment_name == "cv.pdf"
    assert application.answers["motivation"] == "Jeg vil bli professor."
    # The draft keeps nothing more, and its link says so.
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    assert draft.state == {}
    assert draft.email == ""
    assert draft_files() == []
    response = Client().get(local(url))
    assert response.status_code == 410
    page = text(response)
    assert "har allerede blitt sendt inn" in page
    assert "Jeg vil bli professor." not in page


def test_both_browsers_submitting_make_exactly_one_application(
    client, open_round, faculties
):
    save_at_motivation(client, open_round, faculties[0])
    url = link_in(mail.outbox[0])
    other = Client()
    resume(other, url)
    finish(other, open_round, faculties[0])
    # The first browser still holds the answers, and submits them too.
    response = finish(client, open_round, faculties[0])
    assert "/done/" in response["Location"]
    assert Application.objects.count() == 1
    # Resuming again says the application is in, and starts nothing.
    response = Client().get(local(url))
    assert response.status_code == 410
    assert Application.objects.count() == 1


def test_a_draft_submitted_in_the_first_browser_is_not_resumed(
    client, open_round, faculties
):
    save_at_motivation(client, open_round, faculties[0])
    url = link_in(mail.outbox[0])
    finish(client, open_round, faculties[0])
    other = Client()
    response = other.get(local(url))
    assert response.status_code == 410
    assert f"wizard_{wizard_prefix(open_round, 'mentee')}" not in other.session
    assert Application.objects.count() == 1


def test_first_step_without_an_email_asks_for_it(client, open_round):
    client.get(apply_url(open_round, "mentee"))
    response = post_step(
        client, open_round, "mentee", "about", {"full_name": "Kari Nordmann"}, **SAVE
    )
    assert response.status_code == 200
    page = text(response)
    assert 'name="save_later_email"' in page
    assert mail.outbox == []
    assert not ApplicationDraft.objects.exists()

    ask = {"wizard_save_later_email": "1"}
    response = post_step(
        client, open_round, "mentee", "about", {}, save_later_email="nope", **ask
    )
    assert response.status_code == 400
    assert "mcms-error-summary" in text(response)
    assert not ApplicationDraft.objects.exists()

    response = post_step(
        client,
        open_round,
        "mentee",
        "about",
        {},
        save_later_email="Kari.Nordmann@Example.org",
        **ask,
    )
    assert response.status_code == 200
    draft = ApplicationDraft.objects.get()
    assert draft.email == "kari.nordmann@example.org"
    assert mail.outbox[0].to == ["kari.nordmann@example.org"]
    # The name typed before asking is kept, and shown when resumed.
    other = Client()
    response = resume(other, link_in(mail.outbox[0]))
    assert response["Location"] == apply_url(open_round, "mentee", "about")
    assert "Kari Nordmann" in text(other.get(response["Location"]))


def test_invalid_answers_are_left_out_and_named(client, open_round):
    client.get(apply_url(open_round, "mentee"))
    response = post_step(
        client,
        open_round,
        "mentee",
        "about",
        {
            "full_name": "Kari Nordmann",
            "email": "kari.nordmann@example.org",
            "phone": "ring meg",
        },
        **SAVE,
    )
    assert response.status_code == 200
    page = text(response)
    assert "Telefon" in page.split("ikke lagret")[1]
    draft = ApplicationDraft.objects.get()
    stored = draft.state["step_data"]["about"]
    assert stored["about-full_name"] == ["Kari Nordmann"]
    assert "about-phone" not in stored
    # The step is not done: the resumed wizard opens on it.
    assert "about" not in draft.state["extra_data"]["valid_steps"]


def test_the_link_and_email_are_in_the_applicants_language(
    client, open_round, faculties
):
    english = translate_page(open_round, "en", title="Round 2026")
    answers = mentor_answers(faculties[0])
    walk(client, english, "mentor", answers, until="about")
    response = post_step(client, english, "mentor", "position", {}, **SAVE)
    assert response.status_code == 200
    message = mail.outbox[0]
    assert "Your saved application" in message.subject
    assert "as mentor to Round 2026" in " ".join(message.body.split())
    url = link_in(message)
    assert "lang=en" in url
    response = resume(Client(), url)
    assert response["Location"] == apply_url(english, "mentor", "position")
    # An expired link answers in her language too.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = Client().get(local(url))
    assert response.status_code == 410
    assert "This link no longer works" in text(response)


def test_an_expired_or_tampered_link_shows_no_answers(client, open_round, faculties):
    save_at_motivation(
        client, open_round, faculties[0], motivation="Hemmelig motivasjon"
    )
    url = local(link_in(mail.outbox[0]))
    path = url.split("?")[0]
    token = path.rstrip("/").rsplit("/", 1)[-1]
    tampered = reverse(
        "mentoring_cms:draft_resume", kwargs={"token": token[:-2] + "xx"}
    )
    for bad, status in (
        (tampered, 403),
        (reverse("mentoring_cms:draft_resume", kwargs={"token": "x"}), 403),
    ):
        other = Client()
        response = other.get(bad)
        assert response.status_code == status
        assert "Hemmelig" not in text(response)
        assert f"wizard_{wizard_prefix(open_round, 'mentee')}" not in other.session
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        other = Client()
        response = other.get(url)
    assert response.status_code == 410
    assert "Hemmelig" not in text(response)
    assert f"wizard_{wizard_prefix(open_round, 'mentee')}" not in other.session


def test_a_personal_page_token_does_not_resume_a_draft(client, open_round):
    from mentoring_cms.signing import PAGE, make_token

    draft_key_token = make_token("anything", 1, PAGE)
    response = Client().get(
        reverse("mentoring_cms:draft_resume", kwargs={"token": draft_key_token})
    )
    assert response.status_code == 403


def test_resuming_after_the_round_closed_shows_a_clear_page(
    client, open_round, faculties
):
    save_at_motivation(
        client, open_round, faculties[0], motivation="Hemmelig motivasjon"
    )
    url = local(link_in(mail.outbox[0]))
    open_round.application_closes = timezone.now() - datetime.timedelta(minutes=1)
    open_round.save_revision().publish()
    other = Client()
    response = other.get(url)
    assert response.status_code == 410
    page = text(response)
    assert "Søknadsfristen har gått ut" in page
    assert "Hemmelig" not in page
    assert f"wizard_{wizard_prefix(open_round, 'mentee')}" not in other.session


def test_saving_again_updates_the_same_draft(
    client, open_round, faculties, django_capture_on_commit_callbacks
):
    save_at_motivation(client, open_round, faculties[0], motivation="Første utkast")
    with django_capture_on_commit_callbacks(execute=True):
        post_step(
            client, open_round, "mentee", "motivation", {"motivation": "Andre"}, **SAVE
        )
    assert ApplicationDraft.objects.count() == 1
    assert len(mail.outbox) == 2
    # The first link opens the latest answers.
    other = Client()
    resume(other, link_in(mail.outbox[0]))
    page = text(other.get(apply_url(open_round, "mentee", "motivation")))
    assert "Andre" in page
    assert "Første utkast" not in page
    # Only the latest copy of the upload is kept.
    assert len(draft_files()) == 1


@override_settings(MENTORING_CMS_DRAFT_LINK_EMAIL_RATE_LIMIT="1/h")
def test_links_are_rate_limited_per_email_address(client, open_round, faculties):
    save_at_motivation(client, open_round, faculties[0])
    other = Client(REMOTE_ADDR="10.0.0.9")
    walk(other, open_round, "mentee", mentee_answers(faculties[0]), until="about")
    response = post_step(other, open_round, "mentee", "position", {}, **SAVE)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert len(mail.outbox) == 1


@override_settings(MENTORING_CMS_DRAFT_LINK_RATE_LIMIT="1/h")
def test_links_are_rate_limited_per_client_address(client, open_round, faculties):
    save_at_motivation(client, open_round, faculties[0])
    response = post_step(client, open_round, "mentee", "motivation", {}, **SAVE)
    assert response.status_code == 429
    assert len(mail.outbox) == 1
    # The answers are still kept in the browser.
    page = text(client.get(apply_url(open_round, "mentee", "position")))
    assert "cv.pdf" in page


def test_the_clear_command_deletes_expired_drafts_and_their_uploads(
    client, open_round, faculties
):
    save_at_motivation(client, open_round, faculties[0])
    assert len(draft_files()) == 1
    call_command("clear_application_wizard_files")
    assert ApplicationDraft.objects.count() == 1
    assert len(draft_files()) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        call_command("clear_application_wizard_files")
    assert not ApplicationDraft.objects.exists()
    assert draft_files() == []


def test_an_upload_gone_from_the_draft_is_asked_for_again(
    client, open_round, faculties
):
    save_at_motivation(client, open_round, faculties[0])
    draft = ApplicationDraft.objects.get()
    for name in draft.file_names():
        draft_file_storage.delete(name)
    other = Client()
    response = resume(other, link_in(mail.outbox[0]))
    assert response.status_code == 302
    response = other.get(apply_url(open_round, "mentee"))
    assert response["Location"] == apply_url(open_round, "mentee", "position")
    page = text(other.get(response["Location"]))
    assert "cv.pdf" in page
    assert "ikke lenger" in page


@pytest.mark.parametrize("bad", ["x", "a" * 500, "%00", "ü.1:abc:def"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_token_is_refused_and_changes_nothing(client, open_round, bad, method):
    url = reverse("mentoring_cms:draft_resume", kwargs={"token": bad})
    response = getattr(client, method)(url)
    assert response.status_code == 403
    assert "Denne lenken virker ikke lenger" in text(response)
    assert not any(key.startswith("wizard_") for key in client.session.keys())


def test_a_well_signed_link_to_a_deleted_draft_says_it_expired(client, open_round):
    from mentoring_cms.signing import DRAFT, make_token

    url = reverse(
        "mentoring_cms:draft_resume", kwargs={"token": make_token("gone", 1, DRAFT)}
    )
    response = client.get(url + "?lang=en")
    assert response.status_code == 410
    assert "This link no longer works" in text(response)
    assert client.put(url).status_code == 405


def test_opening_the_link_changes_nothing_until_she_continues(
    client, open_round, faculties
):
    save_at_motivation(client, open_round, faculties[0], motivation="Hemmelig")
    url = local(link_in(mail.outbox[0]))
    wizard_uploads = private_storage.listdir("wizard-tmp")[1]
    other = Client()
    response = other.get(url)
    assert response.status_code == 200
    assert "Hemmelig" not in text(response)
    assert "Fortsett søknaden" in text(response)
    assert response["Referrer-Policy"] == "same-origin"
    assert not any(key.startswith("wizard_") for key in other.session.keys())
    assert private_storage.listdir("wizard-tmp")[1] == wizard_uploads
    response = other.post(url)
    assert response.status_code == 302
    # Her upload is copied for the new browser's wizard.
    assert len(private_storage.listdir("wizard-tmp")[1]) == len(wizard_uploads) + 1


def test_a_bad_upload_is_not_kept_and_is_named(client, open_round, faculties):
    answers = mentee_answers(faculties[0])
    walk(client, open_round, "mentee", answers, until="about")
    response = post_step(
        client,
        open_round,
        "mentee",
        "position",
        answers["position"],
        {"attachment": SimpleUploadedFile("cv.pdf", b"not a pdf", "application/pdf")},
        **SAVE,
    )
    assert response.status_code == 200
    left_out = text(response).split("ikke lagret")[1]
    assert "CV" in left_out or "PDF" in left_out
    draft = ApplicationDraft.objects.get()
    assert draft.file_names() == []
    assert draft_files() == []
    # The valid answers of the step are kept.
    assert draft.state["step_data"]["position"]["position-department"] == [
        "Institutt for kjemi"
    ]


def test_a_bot_filling_the_hidden_field_gets_no_email(client, open_round):
    client.get(apply_url(open_round, "mentee"))
    response = post_step(
        client,
        open_round,
        "mentee",
        "about",
        {"full_name": "Bot", "email": "victim@example.org", "website": "http://x"},
        **SAVE,
    )
    assert response.status_code == 200
    assert mail.outbox == []
    assert not ApplicationDraft.objects.exists()
