"""The application wizards against hostile or careless use: extra fields,
uploads that vanish, repeated submissions (issue 11)."""

import importlib

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from mentoring_cms.models import Application

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    mentee_answers,
    post_step,
    walk,
    wizard_prefix,
)
from .production_settings import production_settings

pytestmark = pytest.mark.django_db

# Django's own default.
DJANGO_MAX_FIELDS = 1000


def session_row_bytes(client):
    key = client.cookies["sessionid"].value
    return len(Session.objects.get(session_key=key).session_data)


# Unchecked input ------------------------------------------------------------


@pytest.mark.parametrize(
    "settings_module",
    [
        "demo_site.settings.base",
        "demo_site.settings.dev",
        "demo_site.settings.test",
        "benchmarks.settings",
    ],
)
def test_no_settings_module_raises_the_field_count_limit(settings_module):
    module = importlib.import_module(settings_module)
    assert (
        getattr(module, "DATA_UPLOAD_MAX_NUMBER_FIELDS", DJANGO_MAX_FIELDS)
        <= DJANGO_MAX_FIELDS
    )
    assert getattr(module, "DATA_UPLOAD_MAX_MEMORY_SIZE", 2621440) <= 2621440


def test_production_settings_keep_the_field_count_limit():
    prod = production_settings()
    assert prod.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", DJANGO_MAX_FIELDS) <= (
        DJANGO_MAX_FIELDS
    )
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= DJANGO_MAX_FIELDS


def test_two_thousand_extra_fields_are_refused(client, open_round, faculty):
    client.get(apply_url(open_round, "mentee"))
    fields = dict(mentee_answers(faculty)["about"])
    fields.update({f"extra{i}": "x" * 1000 for i in range(2000)})
    response = post_step(client, open_round, "mentee", "about", fields)
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_only_the_forms_own_fields_are_kept(client, open_round, faculty):
    """Extra fields under the step's prefix or not, repeated values and an
    over-long answer: the session keeps the form's fields, one value each."""
    client.get(apply_url(open_round, "mentee"))
    fields = dict(mentee_answers(faculty)["about"])
    fields.update({f"extra{i}": "x" * 1000 for i in range(400)})
    extra = {f"wild{i}": "y" * 1000 for i in range(400)}
    response = post_step(client, open_round, "mentee", "about", fields, **extra)
    assert response.status_code == 302
    assert session_row_bytes(client) < 2048
    # Back from the next step with an over-long, repeated value: kept for the
    # form, cut at the field's limit.
    response = client.post(
        apply_url(open_round, "mentee", "position"),
        {
            f"{wizard_prefix(open_round, 'mentee')}-current_step": "position",
            "position-department": ["z" * 100_000, "z" * 100_000],
            "position-unknown": "q" * 100_000,
            "wizard_back": "1",
        },
    )
    assert response.status_code == 302
    assert session_row_bytes(client) < 4096
    page = client.get(apply_url(open_round, "mentee", "position")).content.decode()
    assert "z" * 255 in page
    assert "z" * 256 not in page
    # The answers still go through to the application.
    answers = mentee_answers(faculty)
    del answers["about"]
    walk_from(client, open_round, answers)
    application = Application.objects.get()
    assert application.full_name == "Kari Nordmann"
    assert "extra0" not in application.answers


def walk_from(client, programme_round, answers):
    from .application_helpers import consent_fields

    for step, fields in answers.items():
        if step == "consent":
            fields = consent_fields(client, programme_round, "mentee", fields)
        response = post_step(client, programme_round, "mentee", step, fields)
        assert response.status_code == 302, (step, response.status_code)
    return response


# Repeated submissions ---------------------------------------------------------


def submit_twice_setup(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    return client.session[f"wizard_{wizard_prefix(open_round, 'mentee')}"]


def test_back_and_submit_again_shows_the_stored_application(
    client, open_round, faculty
):
    submit_twice_setup(client, open_round, faculty)
    first = post_step(client, open_round, "mentee", "review")
    assert first.status_code == 302
    confirmation = first["Location"]
    reference = Application.objects.get().reference
    assert reference in confirmation
    # Back: the browser asks for the review step again.
    back = client.get(apply_url(open_round, "mentee", "review"))
    assert back.status_code == 302
    assert back["Location"] == confirmation
    # Submit again, twice.
    for _ in range(2):
        again = post_step(client, open_round, "mentee", "review")
        assert again.status_code == 302
        assert again["Location"] == confirmation
    page = client.get(confirmation)
    assert page.status_code == 200
    assert reference in page.content.decode()
    assert Application.objects.count() == 1


def test_a_repeat_whose_first_response_never_arrived_shows_the_confirmation(
    client, open_round, faculty
):
    """Two requests with the same wizard state, the second one not seeing
    what the first wrote to the session (they ran at the same moment)."""
    state = submit_twice_setup(client, open_round, faculty)
    untouched = dict(client.session)
    first = post_step(client, open_round, "mentee", "review")
    session = client.session
    for key in list(session.keys()):
        del session[key]
    session.update(untouched)
    session[f"wizard_{wizard_prefix(open_round, 'mentee')}"] = state
    session.save()
    second = post_step(client, open_round, "mentee", "review")
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert client.get(second["Location"]).status_code == 200
    assert Application.objects.count() == 1


def test_another_person_with_the_same_email_still_gets_the_refusal(
    client, open_round, faculty
):
    from django.test import Client

    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    other = Client()
    walk(other, open_round, "mentee", mentee_answers(faculty), until="consent")
    assert post_step(client, open_round, "mentee", "review").status_code == 302
    response = post_step(other, open_round, "mentee", "review")
    assert response.status_code == 409
    assert Application.objects.count() == 1


# Uploads that are gone ------------------------------------------------------


LOST = "Filen «cv.pdf» som du lastet opp tidligere, er ikke lenger lagret."


@pytest.fixture
def with_upload(client, open_round, faculty):
    """An applicant at the review step with an upload, whose file is then
    removed (as ``clear_application_wizard_files`` would)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentoring_cms.storage import private_storage

    from .application_helpers import make_pdf_bytes

    answers = mentee_answers(faculty)
    answers["position"]["_files"] = {
        "attachment": SimpleUploadedFile("cv.pdf", make_pdf_bytes())
    }
    del answers["review"]
    walk(client, open_round, "mentee", answers)
    yield client
    for folder in ("wizard-tmp", "applications"):
        try:
            _dirs, files = private_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in files:
            private_storage.delete(f"{folder}/{name}")


def remove_uploads():
    from mentoring_cms.storage import private_storage

    _dirs, files = private_storage.listdir("wizard-tmp")
    assert files
    for name in files:
        private_storage.delete(f"wizard-tmp/{name}")


def page_text(response):
    return response.content.decode()


def assert_asked_again(client, programme_round, response):
    """The position step, with the message, the other answers kept."""
    assert response.status_code == 302
    assert response["Location"] == apply_url(programme_round, "mentee", "position")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert LOST in page_text(page)
    assert 'value="Institutt for kjemi"' in page_text(page)


def test_review_asks_for_a_gone_upload_again(with_upload, open_round, faculty):
    remove_uploads()
    response = with_upload.get(apply_url(open_round, "mentee", "review"))
    assert_asked_again(with_upload, open_round, response)
    # Going on without the file: every other answer is still there.
    fields = mentee_answers(faculty)["position"]
    response = post_step(with_upload, open_round, "mentee", "position", fields)
    assert response.status_code == 302
    response = with_upload.get(apply_url(open_round, "mentee", "review"))
    assert response.status_code == 200
    assert "Tre av fem artikler er publisert." in page_text(response)
    assert post_step(with_upload, open_round, "mentee", "review").status_code == 302
    application = Application.objects.get()
    assert application.attachment_name == ""
    assert application.answers["motivation"] == "Jeg vil bli professor."


def test_the_apply_link_with_a_gone_upload(with_upload, open_round):
    remove_uploads()
    response = with_upload.get(apply_url(open_round, "mentee"), follow=True)
    assert response.status_code == 200
    assert LOST in page_text(response)


def test_submitting_with_a_gone_upload_asks_for_it(with_upload, open_round, faculty):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .application_helpers import make_pdf_bytes

    remove_uploads()
    response = post_step(with_upload, open_round, "mentee", "review")
    assert_asked_again(with_upload, open_round, response)
    assert not Application.objects.exists()
    # Uploading it again leads back to the review step and a submission.
    fields = {**mentee_answers(faculty)["position"]}
    files = {"attachment": SimpleUploadedFile("cv2.pdf", make_pdf_bytes())}
    response = post_step(
        with_upload,
        open_round,
        "mentee",
        "position",
        fields,
        files,
        wizard_return="review",
    )
    assert response["Location"] == apply_url(open_round, "mentee", "review")
    assert post_step(with_upload, open_round, "mentee", "review").status_code == 302
    assert Application.objects.get().attachment_name == "cv2.pdf"


def test_continuing_from_the_step_with_a_gone_upload(with_upload, open_round, faculty):
    remove_uploads()
    fields = mentee_answers(faculty)["position"]
    response = post_step(with_upload, open_round, "mentee", "position", fields)
    # Said once, on the step, with what was typed kept...
    assert response.status_code == 200
    assert LOST in page_text(response)
    assert response.context["form"].errors["attachment"]
    # ...then going on without it is allowed.
    response = post_step(with_upload, open_round, "mentee", "position", fields)
    assert response.status_code == 302


def test_back_from_the_step_with_a_gone_upload(with_upload, open_round, faculty):
    remove_uploads()
    fields = mentee_answers(faculty)["position"]
    response = post_step(
        with_upload, open_round, "mentee", "position", fields, wizard_back="1"
    )
    assert response.status_code == 302
    assert response["Location"] == apply_url(open_round, "mentee", "about")
    # The step is unfinished until the applicant has seen the message.
    review = with_upload.get(apply_url(open_round, "mentee", "review"))
    assert_asked_again(with_upload, open_round, review)


def test_a_repeat_after_its_upload_was_stored_shows_the_confirmation(
    with_upload, open_round
):
    """The first submission moved the upload into the application; a request
    with the same wizard state that did not see it finds the upload gone."""
    client = with_upload
    untouched = dict(client.session)
    first = post_step(client, open_round, "mentee", "review")
    assert first.status_code == 302
    session = client.session
    for key in list(session.keys()):
        del session[key]
    session.update(untouched)
    session.save()
    second = post_step(client, open_round, "mentee", "review")
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Application.objects.get().attachment_name == "cv.pdf"
