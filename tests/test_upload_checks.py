"""Checking an uploaded PDF: hard limits, active content refused, and a
verdict computed once per stored file (issue 11)."""

import io
import json
import signal
import subprocess
import sys

import pikepdf
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from pikepdf import Array, Dictionary, Name, String

from mentoring_cms import pdf_check
from mentoring_cms.models import Application
from mentoring_cms.storage import private_storage

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    consent_fields,
    make_pdf_bytes,
    mentee_answers,
    post_step,
    walk,
)

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def checks(monkeypatch):
    """The PDFs the sandbox was asked to check, in order."""
    calls = []
    run_sandbox = pdf_check.run_sandbox

    def counting(data, check_limits):
        calls.append(data)
        return run_sandbox(data, check_limits)

    monkeypatch.setattr(pdf_check, "run_sandbox", counting)
    return calls


def pdf_bytes(pdf, **options):
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def new_pdf(pages=1):
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    return pdf


@pytest.fixture
def at_position(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="about")
    return client


def upload(client, programme_round, faculty, content, name="cv.pdf"):
    fields = mentee_answers(faculty)["position"]
    files = {"attachment": SimpleUploadedFile(name, content, "application/pdf")}
    return post_step(client, programme_round, "mentee", "position", fields, files)


def attachment_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors["attachment"]


def finish(client, programme_round, faculty):
    answers = mentee_answers(faculty)
    for step in ("promotion", "motivation", "matching", "consent", "review"):
        fields = answers[step]
        if step == "consent":
            fields = consent_fields(client, programme_round, "mentee", fields)
        response = post_step(client, programme_round, "mentee", step, fields)
    return response


# Hard limits ----------------------------------------------------------------


def test_a_decompression_bomb_is_refused(at_position, open_round, faculty):
    """70 KB whose object stream inflates to 70 MB (the attack in the issue)."""
    pdf = new_pdf()
    pdf.Root.Padding = pdf.make_indirect(
        Dictionary(Text=String(b" " * (70 * 1024 * 1024)))
    )
    content = pdf_bytes(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert len(content) < 100 * 1024
    response = upload(at_position, open_round, faculty, content)
    assert attachment_errors(response) == [
        "PDF-en pakkes ut til mer enn 50,0\xa0MB. Lagre den på nytt som en vanlig "
        "PDF (for eksempel med Skriv ut → Lagre som PDF) og last den opp igjen."
    ]


@override_settings(MENTORING_CMS_PDF_MAX_UNPACKED_BYTES=1024 * 1024)
def test_a_flate_stream_beyond_the_unpacked_limit_is_refused(
    at_position, open_round, faculty
):
    pdf = new_pdf()
    stream = pikepdf.Stream(pdf, b"0" * (3 * 1024 * 1024))
    pdf.Root.Data = pdf.make_indirect(stream)
    content = pdf_bytes(pdf, compress_streams=True)
    response = upload(at_position, open_round, faculty, content)
    assert "pakkes ut til mer enn 1,0\xa0MB" in attachment_errors(response)[0]


@override_settings(MENTORING_CMS_PDF_MAX_OBJECTS=500)
def test_too_many_objects_are_refused(at_position, open_round, faculty):
    pdf = new_pdf()
    pdf.Root.Parts = Array([pdf.make_indirect(Dictionary(N=i)) for i in range(600)])
    response = upload(at_position, open_round, faculty, pdf_bytes(pdf))
    assert attachment_errors(response)[0].startswith(
        "PDF-en består av mer enn 500 deler"
    )


def test_too_many_pages_are_refused(at_position, open_round, faculty):
    response = upload(at_position, open_round, faculty, pdf_bytes(new_pdf(101)))
    assert attachment_errors(response) == [
        "PDF-en har 101 sider: last opp høyst 100 sider."
    ]
    response = upload(at_position, open_round, faculty, pdf_bytes(new_pdf(100)))
    assert response.status_code == 302


@override_settings(MENTORING_CMS_PDF_CHECK_SECONDS=1)
def test_a_check_that_takes_too_long_is_stopped(
    at_position, open_round, faculty, monkeypatch
):
    """The checking process is killed at its deadline, whatever it does."""
    monkeypatch.setattr(
        pdf_check,
        "sandbox_command",
        lambda limits: [sys.executable, "-c", "import time; time.sleep(60)"],
    )
    response = upload(at_position, open_round, faculty, make_pdf_bytes())
    assert attachment_errors(response)[0].startswith(
        "Kontrollen av PDF-en tok mer enn 1 sekunder."
    )


def test_the_checking_process_has_a_cpu_limit(monkeypatch):
    """The sandbox sets its own CPU limit before it reads the file: busy
    work in it ends there (SIGXCPU), well before the wall-clock deadline."""
    check_limits = {**pdf_check.limits(), "seconds": 1}
    busy_sandbox = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('s', {str(pdf_check.SANDBOX)!r})\n"
        "sandbox = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(sandbox)\n"
        "def spin(data, limits):\n"
        "    while True:\n"
        "        pass\n"
        "sandbox.inspect = spin\n"
        "sandbox.main()\n"
    )
    monkeypatch.setattr(
        pdf_check,
        "sandbox_command",
        lambda limits: [sys.executable, "-c", busy_sandbox, json.dumps(limits)],
    )
    completed = []
    run = subprocess.run

    def recording_run(*args, **kwargs):
        result = run(*args, **kwargs)
        completed.append(result.returncode)
        return result

    monkeypatch.setattr(subprocess, "run", recording_run)
    assert pdf_check.run_sandbox(b"%PDF-", check_limits) == {"verdict": "too_slow"}
    # Ended by its own CPU limit, not killed at the deadline.
    assert completed == [-signal.SIGXCPU]


def test_the_checking_process_has_a_memory_limit(monkeypatch):
    """Memory beyond the sandbox's limit is refused to it (MemoryError), and
    the verdict says the PDF unpacks to too much."""
    check_limits = {**pdf_check.limits(), "memory_bytes": 256 * 1024 * 1024}
    hungry_sandbox = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('s', {str(pdf_check.SANDBOX)!r})\n"
        "sandbox = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(sandbox)\n"
        "def hungry(data, limits):\n"
        "    return {'verdict': 'ok', 'size': len(bytearray(1024 ** 3))}\n"
        "sandbox.inspect = hungry\n"
        "sandbox.main()\n"
    )
    monkeypatch.setattr(
        pdf_check,
        "sandbox_command",
        lambda limits: [sys.executable, "-c", hungry_sandbox, json.dumps(limits)],
    )
    assert pdf_check.run_sandbox(b"%PDF-", check_limits) == {
        "verdict": "too_large_unpacked"
    }


def test_a_failing_check_is_refused_with_a_message(
    at_position, open_round, faculty, monkeypatch
):
    monkeypatch.setattr(
        pdf_check,
        "sandbox_command",
        lambda limits: [sys.executable, "-c", "raise SystemExit(3)"],
    )
    response = upload(at_position, open_round, faculty, make_pdf_bytes())
    assert attachment_errors(response)[0].startswith("PDF-en kunne ikke kontrolleres.")


def test_errors_are_in_the_applicants_language(client, open_round, faculty):
    from .application_helpers import translate_page

    english = translate_page(open_round, "en", title="Round 2026")
    walk(client, english, "mentee", mentee_answers(faculty), until="about")
    response = upload(client, english, faculty, pdf_bytes(new_pdf(101)))
    assert attachment_errors(response) == [
        "The PDF has 101 pages: upload at most 100 pages."
    ]


# Active content -----------------------------------------------------------------


def javascript_open_action(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def javascript_name_tree(pdf):
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("x()")))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), action]))
    )


def launch_link(pdf):
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.Launch, F=String("cmd.exe")),
    )
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))


def page_additional_action(pdf):
    pdf.pages[0].AA = Dictionary(
        O=Dictionary(S=Name.JavaScript, JS=String("app.alert(2)"))
    )


def open_action_launch(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(S=Name.Launch, Win=Dictionary(F=String("calc.exe")))
    )


def embedded_file(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def file_attachment_annotation(pdf):
    spec = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", filename="x.exe")
    annotation = Dictionary(
        Type=Name.Annot,
        Subtype=Name.FileAttachment,
        Rect=Array([0, 0, 10, 10]),
        FS=spec.obj,
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


def xfa_form(pdf):
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([]),
        XFA=pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),
    )


def form_field_script(pdf):
    field = pdf.make_indirect(
        Dictionary(
            FT=Name.Tx,
            T=String("name"),
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array([0, 0, 100, 20]),
            AA=Dictionary(K=Dictionary(S=Name.JavaScript, JS=String("f()"))),
        )
    )
    pdf.pages[0].Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def submit_form_link(pdf):
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.SubmitForm, F=String("https://evil.example/")),
    )
    pdf.pages[0].Annots = Array([link])


def remote_go_to(pdf):
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.GoToR, F=String("\\\\evil\\share\\x.pdf"), D=Array([0])),
    )
    pdf.pages[0].Annots = Array([link])


def chained_next_action(pdf):
    """A harmless GoTo whose /Next runs a script."""
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoTo,
        D=Array([pdf.pages[0].obj, Name.Fit]),
        Next=Dictionary(S=Name.JavaScript, JS=String("y()")),
    )


def rich_media(pdf):
    annotation = Dictionary(
        Type=Name.Annot,
        Subtype=Name.RichMedia,
        Rect=Array([0, 0, 10, 10]),
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


ACTIVE_CONTENT = [
    javascript_open_action,
    javascript_name_tree,
    launch_link,
    page_additional_action,
    open_action_launch,
    embedded_file,
    file_attachment_annotation,
    xfa_form,
    form_field_script,
    submit_form_link,
    remote_go_to,
    chained_next_action,
    rich_media,
]


@pytest.mark.parametrize("add", ACTIVE_CONTENT, ids=lambda f: f.__name__)
@pytest.mark.parametrize("object_streams", [False, True], ids=["plain", "objstm"])
def test_active_content_is_refused(
    at_position, open_round, faculty, add, object_streams
):
    pdf = new_pdf()
    add(pdf)
    mode = (
        pikepdf.ObjectStreamMode.generate
        if object_streams
        else pikepdf.ObjectStreamMode.disable
    )
    response = upload(
        at_position, open_round, faculty, pdf_bytes(pdf, object_stream_mode=mode)
    )
    assert attachment_errors(response) == [
        "PDF-en inneholder aktivt innhold (skript, handlinger som åpner filer "
        "eller programmer, eller innebygde filer), som vi ikke tar imot. Lagre "
        "den på nytt som en vanlig PDF (for eksempel med Skriv ut → Lagre som "
        "PDF) og last den opp igjen."
    ]
    # Nothing of it was kept: HR can never download it.
    fields = mentee_answers(faculty)["position"]
    post_step(at_position, open_round, "mentee", "position", fields)
    finish(at_position, open_round, faculty)
    assert not Application.objects.get().attachment


def test_links_and_a_start_page_are_not_active_content(
    at_position, open_round, faculty
):
    pdf = new_pdf(2)
    pdf.Root.OpenAction = Array([pdf.pages[1].obj, Name.Fit])
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.URI, URI=String("https://doi.org/10.1000/1")),
    )
    inner = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit])),
    )
    pdf.pages[0].Annots = Array([link, inner])
    response = upload(at_position, open_round, faculty, pdf_bytes(pdf))
    assert response.status_code == 302
    finish(at_position, open_round, faculty)
    assert Application.objects.get().attachment_name == "cv.pdf"


# Once per stored file ----------------------------------------------------------


def test_a_stored_upload_is_checked_once(at_position, open_round, faculty, checks):
    assert upload(at_position, open_round, faculty, make_pdf_bytes()).status_code == (
        302
    )
    assert len(checks) == 1
    # The verdict does not depend on the cache.
    cache.clear()
    answers = mentee_answers(faculty)
    # Back and forth over the step with the upload, without choosing it again.
    post_step(at_position, open_round, "mentee", "promotion", {}, wizard_back="1")
    at_position.get(apply_url(open_round, "mentee", "position"))
    post_step(at_position, open_round, "mentee", "position", answers["position"])
    for step in ("promotion", "motivation", "matching", "consent"):
        fields = answers[step]
        if step == "consent":
            fields = consent_fields(at_position, open_round, "mentee", fields)
        post_step(at_position, open_round, "mentee", step, fields)
    for _ in range(5):
        review = at_position.get(apply_url(open_round, "mentee", "review"))
        assert review.status_code == 200
        assert "cv.pdf" in review.content.decode()
    assert len(checks) == 1
    response = post_step(at_position, open_round, "mentee", "review")
    assert response.status_code == 302
    assert Application.objects.get().attachment_name == "cv.pdf"
    assert len(checks) == 1


def test_the_same_refused_bytes_are_not_checked_again(
    at_position, open_round, faculty, checks
):
    content = pdf_bytes(new_pdf(101))
    for _ in range(3):
        assert attachment_errors(upload(at_position, open_round, faculty, content))
    assert len(checks) == 1


# Editors' documents -------------------------------------------------------------


@pytest.fixture
def editor_client(client, superuser):
    client.force_login(superuser)
    return client


def document_upload(name, content):
    return SimpleUploadedFile(name, content, "application/pdf")


def test_a_document_with_active_content_is_refused(editor_client):
    from django.urls import reverse
    from wagtail.documents.models import Document

    pdf = new_pdf()
    javascript_open_action(pdf)
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Brosjyre", "file": document_upload("brosjyre.pdf", pdf_bytes(pdf))},
    )
    assert response.status_code == 200
    assert "aktivt innhold" in " ".join(response.context["form"].errors["file"])
    # The multiple upload (drag and drop) too.
    response = editor_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": document_upload("brosjyre.pdf", pdf_bytes(pdf))},
    )
    assert response.json()["success"] is False
    assert "aktivt innhold" in response.json()["error_message"]
    assert not Document.objects.exists()


def test_plain_documents_are_accepted_long_ones_too(editor_client):
    from django.urls import reverse
    from wagtail.documents.models import Document

    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Rapport",
            "file": document_upload("rapport.pdf", make_pdf_bytes(150)),
        },
    )
    assert response.status_code == 302
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Notat",
            "file": SimpleUploadedFile("notat.txt", b"Et notat.", "text/plain"),
        },
    )
    assert response.status_code == 302
    assert Document.objects.count() == 2


def test_a_document_named_pdf_that_is_none_is_refused(editor_client):
    from django.urls import reverse

    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "X", "file": document_upload("x.pdf", b"<html>hei</html>")},
    )
    assert "Filen er ikke en lesbar PDF." in response.context["form"].errors["file"]


# Attachments stored before the check -----------------------------------------


def test_hr_never_downloads_a_stored_attachment_with_active_content(
    hr_client, open_round
):
    """A file stored before uploads were checked is checked when HR asks for
    it, and withheld when it has active content."""
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from .utils import make_application

    application = make_application(round=open_round, attachment_name="cv.pdf")
    pdf = new_pdf()
    launch_link(pdf)
    application.attachment.save("cv.pdf", ContentFile(pdf_bytes(pdf)), save=True)
    download = reverse("mentoring_applications:attachment", args=[application.pk])
    response = hr_client.get(download)
    assert response.status_code == 302
    assert not hasattr(response, "streaming_content")
    page = hr_client.get(response["Location"]).content.decode()
    assert "Det vedlagte dokumentet holdes tilbake" in page
    # A plain one is given out.
    content = make_pdf_bytes()
    application.attachment.save("cv.pdf", ContentFile(content), save=True)
    response = hr_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


def test_a_pdf_that_needs_a_password_to_open_is_refused(
    at_position, open_round, faculty
):
    pdf = new_pdf()
    content = pdf_bytes(pdf, encryption=pikepdf.Encryption(owner="o", user="u"))
    response = upload(at_position, open_round, faculty, content)
    assert attachment_errors(response) == [
        "PDF-en er passordbeskyttet. Last opp en PDF uten passord."
    ]


def test_a_pdf_locked_against_printing_is_refused_without_talk_of_a_password_to_open(
    at_position, open_round, faculty
):
    # It opens without a password (only the owner's permissions password is
    # set): the applicant is told what is wrong and how to mend it.
    pdf = new_pdf()
    content = pdf_bytes(
        pdf,
        encryption=pikepdf.Encryption(
            owner="o", user="", allow=pikepdf.Permissions(print_highres=False)
        ),
    )
    response = upload(at_position, open_round, faculty, content)
    [error] = attachment_errors(response)
    assert "låst mot utskrift" in error
    assert "Lagre den på nytt" in error
