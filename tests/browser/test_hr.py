"""HR reviews applications in the Wagtail admin (in Norwegian): filters by
faculty, decides on one application, exports the listing and erases another
application. A content editor is refused every HR page."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from mentoring_cms.models import Application
from tests.utils import make_application

from .admin import sign_in
from .i18n import tr
from .wizard import faculties, open_round

pytestmark = pytest.mark.browser

LISTING = "/admin/mentoring/applications/"


@pytest.fixture
def applications(demo_site):
    programme_round = open_round("nb")
    chosen, other = faculties("nb")[:2]
    return {
        "chosen": chosen,
        "other": other,
        "decided": make_application(
            round=programme_round,
            faculty=chosen,
            full_name="Åse Ørnulfsdóttir",
            email="ase@example.org",
        ),
        "waiting": make_application(
            round=programme_round,
            faculty=chosen,
            full_name="Bjørn Æsgard",
            email="bjorn@example.org",
        ),
        "erased": make_application(
            round=programme_round,
            faculty=other,
            full_name="Cecilie Ås",
            email="cecilie@example.org",
        ),
    }


def change_status(page, status):
    starts_with = re.compile("^" + re.escape(tr("New status", "nb")))
    page.get_by_role("combobox", name=starts_with).select_option(status.value)
    if status == Application.Status.ACCEPTED:
        page.get_by_role("checkbox", name=tr("Notify the applicant", "nb")).check()
    page.get_by_role("button", name=tr("Change status", "nb")).click()
    expect(page.locator(".messages"), f"status {status.value} [nb]").to_contain_text(
        str(tr(status.label, "nb"))
    )


@pytest.mark.browser_context_args(locale="nb-NO")
def test_hr_filters_decides_exports_and_erases(demo_site, page, applications):
    decided, waiting, erased = (
        applications["decided"],
        applications["waiting"],
        applications["erased"],
    )
    chosen = applications["chosen"]
    sign_in(page, "hr")
    page.goto(LISTING)
    listing = page.get_by_role("main")
    expect(listing, "listing [nb]: every application").to_contain_text(erased.full_name)

    # Filter by faculty: the drawer's faculty filter applies at once.
    page.get_by_role("button", name=tr("Show filters", "nb")).click()
    page.get_by_role("button", name=tr("Faculty", "nb"), exact=False).first.click()
    page.get_by_label(tr("Faculty", "nb"), exact=True).select_option(label=chosen.name)
    expect(page, "listing [nb]: the filter is in the URL").to_have_url(
        f"{demo_site.url}{LISTING}?faculty={chosen.translation_key}"
    )
    results = page.locator("table.listing")
    expect(results, "filtered listing [nb]").to_contain_text(decided.full_name)
    expect(results, "filtered listing [nb]").to_contain_text(waiting.full_name)
    expect(results, "filtered listing [nb]").not_to_contain_text(erased.full_name)

    # One application: under review, nominated by the faculty, accepted.
    results.get_by_role("link", name=decided.reference).click()
    expect(page.get_by_role("main"), "application detail [nb]").to_contain_text(
        decided.full_name
    )
    for status in (
        Application.Status.UNDER_REVIEW,
        Application.Status.NOMINATED,
        Application.Status.ACCEPTED,
    ):
        change_status(page, status)
    where = f"decision on {decided.reference} at {page.url} [nb]"
    decided.refresh_from_db()
    assert decided.status == Application.Status.ACCEPTED, where
    assert any(decided.email in message.to for message in mail.outbox), (
        "the accepted applicant was notified"
    )

    # The CSV export of the filtered listing.
    page.goto(f"{LISTING}?faculty={chosen.translation_key}")
    page.get_by_role("button", name=tr("Actions", "nb"), exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Download CSV", "nb")).click()
    download = download_info.value
    where = f"CSV export from {page.url} [nb]"
    assert download.suggested_filename.endswith(".csv"), where
    with open(download.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    body = {row[0]: row for row in rows[1:] if row}
    assert set(body) == {decided.reference, waiting.reference}, f"{where}: {rows}"
    assert decided.full_name in body[decided.reference], where
    assert (
        str(tr(Application.Status.ACCEPTED.label, "nb")) in body[decided.reference]
    ), where
    assert waiting.full_name in body[waiting.reference], where

    # Another application, erased on request after the confirmation step.
    page.goto(f"{LISTING}{erased.pk}/")
    page.get_by_role("link", name=tr("Erase application", "nb")).click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=tr("Yes, erase it", "nb")).click()
    where = f"erasure of {erased.reference} at {page.url} [nb]"
    expect(page.locator(".messages"), "erased [nb]").to_contain_text(erased.reference)
    erased_rows = Application.objects.filter(pk=erased.pk, full_name=erased.full_name)
    assert not erased_rows.exists(), where
    assert not Application.objects.filter(email=erased.email).exists(), where
    assert Application.objects.filter(pk=waiting.pk).exists(), where
    page.goto(LISTING)
    expect(page.get_by_role("main"), "listing after erasure [nb]").not_to_contain_text(
        erased.full_name
    )


@pytest.mark.browser_context_args(locale="nb-NO")
def test_content_editor_gets_403_on_hr_pages(demo_site, page, applications):
    application = applications["decided"]
    sign_in(page, "editor")
    for url in (
        LISTING,
        f"{LISTING}{application.pk}/",
        f"{LISTING}export/csv/",
        f"{LISTING}{application.pk}/erase/",
    ):
        response = page.goto(url)
        assert response.status == 403, f"{url} [nb] answered {response.status}"
        expect(page.get_by_role("main"), f"403 page at {url} [nb]").to_contain_text(
            tr(
                "Only HR reviewers of the mentoring programme can see applications.",
                "nb",
            )
        )
        expect(page.get_by_role("main"), f"403 page at {url} [nb]").not_to_contain_text(
            application.full_name
        )
    where = "HR pages refused to the content editor [nb]: database"
    editor = get_user_model().objects.get(username="editor")
    assert not editor.has_perm("mentoring_cms.review_application"), where
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED, where
    assert Application.objects.count() == 3, where
