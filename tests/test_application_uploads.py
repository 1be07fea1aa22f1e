"""The optional PDF on the mentee's position step."""

import datetime
import os
import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mentoring_cms.conf import get_setting
from mentoring_cms.models import Application
from mentoring_cms.storage import private_storage, wizard_file_storage

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    make_pdf_bytes,
    mentee_answers,
    post_step,
    walk,
    wizard_prefix,
)
from .utils import make_faculty

pytestmark = pytest.mark.django_db


@pytest.fixture
def faculty():
    return make_faculty()


@pytest.fixture(autouse=True)
def empty_private_storage():
    yield
    for folder in ("wizard-tmp", "applications"):
        try:
            _dirs, files = private_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in files:
            private_storage.delete(f"{folder}/{name}")


def wizard_files():
    try:
        return private_storage.listdir("wizard-tmp")[1]
    except FileNotFoundError:
        return []


def upload(client, programme_round, faculty, name, content):
    fields = mentee_answers(faculty)["position"]
    files = {"attachment": SimpleUploadedFile(name, content, "application/pdf")}
    return post_step(client, programme_round, "mentee", "position", fields, files)


@pytest.fixture
def at_position(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="about")
    return client


def text(response):
    return response.content.decode()


def test_limit_is_ten_megabytes_by_default():
    assert get_setting("MAX_UPLOAD_BYTES") == 10 * 1024 * 1024


def test_pdf_is_stored_privately_under_a_generated_name(
    at_position, open_round, faculty
):
    response = upload(at_position, open_round, faculty, "Min CV.pdf", make_pdf_bytes())
    assert response.status_code == 302
    assert len(wizard_files()) == 1
    answers = mentee_answers(faculty)
    del answers["about"], answers["position"]
    for step, fields in answers.items():
        if step == "consent":
            from .application_helpers import consent_fields

            fields = consent_fields(at_position, open_round, "mentee", fields)
        post_step(at_position, open_round, "mentee", step, fields)
    application = Application.objects.get()
    assert application.attachment_name == "Min CV.pdf"
    assert application.attachment_size == len(make_pdf_bytes())
    assert re.fullmatch(r"applications/[0-9a-f]{32}\.pdf", application.attachment.name)
    path = private_storage.path(application.attachment.name)
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with private_storage.open(application.attachment.name) as stored:
        assert stored.read(5) == b"%PDF-"
    # The wizard's temporary copy is gone.
    assert wizard_files() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 10),
        ("cv.pdf", b"%PDF-1.7\nthis is not really a pdf at all\n%%EOF"),
        ("cv.pdf", b""),
    ],
    ids=["html-posing-as-pdf", "executable-renamed", "pdf-header-only", "empty"],
)
def test_anything_but_a_pdf_is_refused(at_position, open_round, faculty, name, content):
    response = upload(at_position, open_round, faculty, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["attachment"]
    assert errors
    assert "Noe må rettes" in text(response)
    assert wizard_files() == []


def test_not_a_pdf_message(at_position, open_round, faculty):
    response = upload(at_position, open_round, faculty, "cv.pdf", b"<html></html>")
    assert response.context["form"].errors["attachment"] == [
        "Filen er ikke en PDF. Last opp CV-en eller publikasjonslisten din som én PDF."
    ]


def test_pdf_named_otherwise_is_accepted_by_its_content(
    at_position, open_round, faculty
):
    response = upload(at_position, open_round, faculty, "cv.txt", make_pdf_bytes())
    assert response.status_code == 302


@override_settings(MENTORING_CMS_MAX_UPLOAD_BYTES=2000)
def test_oversized_file_is_refused(at_position, open_round, faculty):
    content = make_pdf_bytes(pages=30)
    assert len(content) > 2000
    response = upload(at_position, open_round, faculty, "cv.pdf", content)
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"] == [
        "Filen er for stor: last opp høyst 2,0\xa0KB."
    ]
    assert wizard_files() == []


def test_file_over_ten_megabytes_is_refused(at_position, open_round, faculty):
    content = make_pdf_bytes() + b"\n%" + b"0" * (10 * 1024 * 1024)
    response = upload(at_position, open_round, faculty, "cv.pdf", content)
    assert "attachment" in response.context["form"].errors


def test_overlong_file_name_is_refused(at_position, open_round, faculty):
    name = "a" * 296 + ".pdf"
    response = upload(at_position, open_round, faculty, name, make_pdf_bytes())
    assert response.status_code == 200
    [error] = response.context["form"].errors["attachment"]
    assert error.startswith("Filnavnet er for langt")
    assert wizard_files() == []


def test_path_in_file_name_never_leaves_the_storage(
    client, at_position, open_round, faculty
):
    """Django's parser keeps only the last part of a name like ``../../x``;
    the name shown to HR is cleaned and the file gets a generated name."""
    boundary = "BoUnDaRy"
    fields = {
        f"{wizard_prefix(open_round, 'mentee')}-current_step": "position",
        **{f"position-{k}": v for k, v in mentee_answers(faculty)["position"].items()},
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    body = (
        "".join(parts).encode()
        + (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="position-attachment"; filename="../../../etc/cv\x07.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + make_pdf_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        apply_url(open_round, "mentee", "position"),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    [tmp_name] = wizard_files()
    assert re.fullmatch(r"[0-9a-f]{32}\.upload", tmp_name)
    review_steps = mentee_answers(faculty)
    from .application_helpers import consent_fields

    for step in ("promotion", "motivation", "matching", "consent", "review"):
        fields = review_steps[step]
        if step == "consent":
            fields = consent_fields(client, open_round, "mentee", fields)
        post_step(client, open_round, "mentee", step, fields)
    application = Application.objects.get()
    assert application.attachment_name == "cv.pdf"
    assert ".." not in application.attachment.name
    assert os.path.dirname(private_storage.path(application.attachment.name)) == (
        os.path.join(private_storage.path(""), "applications").rstrip("/")
    )


def test_going_back_and_forth_keeps_the_upload(at_position, open_round, faculty):
    upload(at_position, open_round, faculty, "cv.pdf", make_pdf_bytes())
    answers = mentee_answers(faculty)
    # Forward one step, then Back without finishing it.
    post_step(at_position, open_round, "mentee", "promotion", {}, wizard_back="1")
    page = text(at_position.get(apply_url(open_round, "mentee", "position")))
    assert "Lastet opp: cv.pdf" in page
    # Continue again without choosing the file again.
    response = post_step(
        at_position, open_round, "mentee", "position", answers["position"]
    )
    assert response.status_code == 302
    assert len(wizard_files()) == 1
    from .application_helpers import consent_fields

    for step in ("promotion", "motivation", "matching", "consent"):
        fields = answers[step]
        if step == "consent":
            fields = consent_fields(at_position, open_round, "mentee", fields)
        post_step(at_position, open_round, "mentee", step, fields)
    review = text(at_position.get(apply_url(open_round, "mentee", "review")))
    assert "cv.pdf" in review
    post_step(at_position, open_round, "mentee", "review")
    assert Application.objects.get().attachment_name == "cv.pdf"


def test_upload_is_kept_when_another_field_is_wrong(at_position, open_round, faculty):
    fields = {**mentee_answers(faculty)["position"], "department": ""}
    files = {"attachment": SimpleUploadedFile("cv.pdf", make_pdf_bytes())}
    response = post_step(at_position, open_round, "mentee", "position", fields, files)
    assert response.status_code == 200
    assert "Lastet opp: cv.pdf" in text(response)
    response = post_step(
        at_position, open_round, "mentee", "position", {**fields, "department": "Kjemi"}
    )
    assert response.status_code == 302
    assert len(wizard_files()) == 1


def test_replacing_and_removing_the_upload(at_position, open_round, faculty):
    upload(at_position, open_round, faculty, "first.pdf", make_pdf_bytes())
    upload(at_position, open_round, faculty, "second.pdf", make_pdf_bytes())
    assert len(wizard_files()) == 1
    page = text(at_position.get(apply_url(open_round, "mentee", "position")))
    assert "second.pdf" in page
    assert "first.pdf" not in page
    fields = mentee_answers(faculty)["position"]
    post_step(
        at_position,
        open_round,
        "mentee",
        "position",
        {**fields, "attachment-clear": "on"},
    )
    assert wizard_files() == []
    page = text(at_position.get(apply_url(open_round, "mentee", "position")))
    assert "second.pdf" not in page


def test_stale_wizard_uploads_are_cleared(open_round):
    """Uploads outlive the session that holds them (14 days by default):
    older ones are removed, younger ones kept (issue 11: they went after a
    day, while the wizard's session lived on)."""
    old = wizard_file_storage.save("x", ContentFile(b"%PDF-old"))
    week_old = wizard_file_storage.save("z", ContentFile(b"%PDF-week"))
    new = wizard_file_storage.save("y", ContentFile(b"%PDF-new"))
    for name, days in ((old, 15), (week_old, 7)):
        moment = (timezone.now() - datetime.timedelta(days=days)).timestamp()
        os.utime(private_storage.path(name), (moment, moment))
    call_command("clear_application_wizard_files")
    assert not private_storage.exists(old)
    assert private_storage.exists(week_old)
    assert private_storage.exists(new)


@override_settings(SESSION_COOKIE_AGE=3 * 24 * 3600)
def test_upload_lifetime_follows_the_session_lifetime():
    from mentoring_cms.conf import wizard_file_max_age_hours

    assert wizard_file_max_age_hours() == 72
    with override_settings(MENTORING_CMS_WIZARD_FILE_MAX_AGE_HOURS=24):
        # Shorter than a session: the session's lifetime holds.
        assert wizard_file_max_age_hours() == 72
    with override_settings(MENTORING_CMS_WIZARD_FILE_MAX_AGE_HOURS=100):
        assert wizard_file_max_age_hours() == 100


def test_wizard_storage_refuses_names_outside_its_folder():
    with pytest.raises(ValueError):
        wizard_file_storage.open("applications/someone-else.pdf")
    with pytest.raises(ValueError):
        wizard_file_storage.delete("wizard-tmp/../applications/x.pdf")
