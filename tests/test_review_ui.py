"""How HR's pages present what they show: decisions answered beside the
decision form, the listing's name links and status tags, download buttons
in Wagtail's own markup, and tables that scroll inside their wrapper."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from mentoring_cms.models import Application, ExportFile

from .utils import make_application

Status = Application.Status


def url(name, *args):
    return reverse(f"mentoring_applications:{name}", args=args)


def section(html, section_id):
    """The HTML of ``<section id=section_id>`` (sections do not nest here)."""
    match = re.search(
        rf'<section id="{section_id}".*?</section>', html, flags=re.DOTALL
    )
    assert match, f"the page has a section #{section_id}"
    return match.group(0)


def top_messages(html):
    match = re.search(
        r'<div class="messages".*?<ul data-w-messages-target="container">(.*?)</ul>',
        html,
        flags=re.DOTALL,
    )
    assert match, "the page has Wagtail's message area"
    return match.group(1)


def test_decision_outcome_shows_beside_the_form(hr_client, open_round, faculty):
    application = make_application(round=open_round, faculty=faculty)
    response = hr_client.post(
        url("status", application.pk), {"status": "under_review"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("#decision")
    html = response.content.decode()
    decision = section(html, "decision")
    result = re.search(
        r"data-mentoring-decision-result>(.*?)</div>\s*<p", decision, re.DOTALL
    )
    assert result and application.reference in result.group(1), decision
    assert "help-info" in result.group(1)
    # Not repeated at the top of the page, where nobody looks after a decision.
    assert application.reference not in top_messages(html)
    # The form shows where the application is now, not a blank "---------".
    assert "---------" not in decision
    current = re.search(r"data-mentoring-current-status>(.*?)</p>", decision, re.DOTALL)
    assert current and "w-status" in current.group(1)
    assert str(Status.UNDER_REVIEW.label) in current.group(1)
    selected = re.search(r'<option value="" selected>([^<]*)</option>', decision)
    assert selected and str(Status.UNDER_REVIEW.label) in selected.group(1), decision


def test_refused_decision_shows_beside_the_form(hr_client, open_round, faculty):
    application = make_application(round=open_round, faculty=faculty)
    response = hr_client.post(
        url("status", application.pk), {"status": ""}, follow=True
    )
    decision = section(response.content.decode(), "decision")
    assert "help-critical" in decision
    assert application.reference in decision
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_other_messages_stay_at_the_top(hr_client, open_round, faculty):
    application = make_application(round=open_round, faculty=faculty)
    response = hr_client.post(
        url("note", application.pk), {"text": "Sterk kandidat."}, follow=True
    )
    html = response.content.decode()
    assert "help-info" not in section(html, "decision")
    assert top_messages(html).strip()


def test_listing_links_the_name_and_shows_status_tags(hr_client, open_round, faculty):
    accepted = make_application(
        round=open_round, faculty=faculty, full_name="Åse Ødegård", status="accepted"
    )
    waiting = make_application(round=open_round, faculty=faculty)
    html = hr_client.get(url("index")).content.decode()
    detail = url("edit", accepted.pk)
    link = re.search(rf'<a [^>]*href="{re.escape(detail)}"[^>]*>(.*?)</a>', html, re.S)
    assert link and "Åse Ødegård" in link.group(1), "the name is the link"
    assert not re.search(rf"<a [^>]*>\s*{re.escape(accepted.reference)}\s*</a>", html)
    # The reference is plain text that does not wrap.
    assert re.search(
        rf'<td class="w-whitespace-nowrap">\s*{re.escape(waiting.reference)}', html
    )
    tags = re.findall(r'<span class="(w-status[^"]*)"[^>]*>\s*([^<]*?)\s*</span>', html)
    assert (("w-status w-status--primary", str(Status.ACCEPTED.label))) in tags, tags
    assert ("w-status", str(Status.SUBMITTED.label)) in tags, tags


def test_tables_scroll_inside_their_wrapper(hr_client, open_round, faculty):
    application = make_application(round=open_round, faculty=faculty)
    hr_client.post(url("note", application.pk), {"text": "Notat."})
    for page in (url("index"), url("summary"), url("edit", application.pk)):
        html = hr_client.get(page).content.decode()
        tables = html.count('<table class="listing')
        wrapped = re.findall(
            r'<div class="mentoring-table-scroll[^"]*" role="region" tabindex="0"'
            r'[^>]*>\s*<table class="listing',
            html,
        )
        assert tables and len(wrapped) == tables, page
        assert "mentoring_cms/css/admin.css" in html, page


def test_download_buttons_use_wagtail_button_markup(
    hr_client, hr_user, open_round, faculty
):
    application = make_application(round=open_round, faculty=faculty)
    application.attachment.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    export = ExportFile.objects.create(requested_by=hr_user, filters={}, language="nb")
    export.file.save("export.xlsx", ContentFile(b"x"), save=False)
    export.mark_ready(export.file.name, 1)
    for page, target in (
        (url("edit", application.pk), url("attachment", application.pk)),
        (url("exports"), url("export_download", export.pk)),
    ):
        html = hr_client.get(page).content.decode()
        button = re.search(
            rf'<a class="([^"]*)" href="{re.escape(target)}">(.*?)</a>', html, re.S
        )
        assert button, page
        classes = button.group(1).split()
        # Wagtail sizes an icon inside a button only with ``button--icon``.
        assert {"button", "button--icon", "bicolor"} <= set(classes), page
        assert '<span class="icon-wrapper"><svg class="icon icon-download' in (
            button.group(2)
        ), page
        label = re.sub(r"<[^>]+>", "", button.group(2)).strip()
        assert label, f"{page}: the button has a visible label"
