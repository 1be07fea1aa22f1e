"""HR reviews applications in the Wagtail admin (in Norwegian): filters by
faculty, decides on one application, exports the listing and erases another
application. A content editor is refused every HR page."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from mentoring_cms.models import Application, ExportFile
from tests.utils import make_application

from .admin import sign_in
from .i18n import tr
from .quality import SCREENSHOTS, horizontal_overflow
from .wizard import faculties, open_round

pytestmark = pytest.mark.browser

LISTING = "/admin/mentoring/applications/"


@pytest.fixture
def applications(demo_site):
    # HR's listing, filters and exports are checked against exactly these
    # three applications: the demo's past round of matched participants goes.
    Application.objects.all().delete()
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
    # The outcome shows where HR is looking: beside the decision form, which
    # now opens on the new status.
    result = page.locator("[data-mentoring-decision-result]")
    expect(result, f"status {status.value} [nb]").to_contain_text(
        str(tr(status.label, "nb"))
    )
    expect(result, f"status {status.value} [nb]: on screen").to_be_in_viewport()
    expect(
        page.get_by_role("combobox", name=starts_with),
        f"status {status.value} [nb]: the form shows it",
    ).to_contain_text(str(tr(status.label, "nb")))


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

    # The listing: the applicant's name is the link, statuses are tags.
    expect(results.get_by_role("link", name=decided.reference)).to_have_count(0)
    expect(
        results.locator("td .w-status").first, "listing [nb]: status tag"
    ).to_have_text(str(tr(Application.Status.SUBMITTED.label, "nb")))

    # One application: under review, nominated by the faculty, accepted.
    results.get_by_role("link", name=decided.full_name).click()
    expect(page.get_by_role("main"), "application detail [nb]").to_contain_text(
        decided.full_name
    )
    for status in (
        Application.Status.UNDER_REVIEW,
        Application.Status.NOMINATED,
        Application.Status.ACCEPTED,
    ):
        change_status(page, status)
    shoot(page, "after-decision-1280")
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


def visible_label_box(link):
    """The box of a link's own text (not its icon), as the browser draws it."""
    return link.evaluate(
        """(a) => {
            const range = document.createRange();
            const text = [...a.childNodes].find(
                (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()
            );
            if (!text) return null;
            range.selectNodeContents(text);
            const box = range.getBoundingClientRect();
            const link = a.getBoundingClientRect();
            return {width: box.width, height: box.height,
                    inside: box.left >= link.left - 1 && box.right <= link.right + 1
                        && box.top >= link.top - 1 && box.bottom <= link.bottom + 1};
        }"""
    )


def assert_download_button(page, link, where):
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    label = visible_label_box(link)
    icon = link.locator("svg").bounding_box()
    assert label and label["width"] > 20 and label["inside"], f"{where}: {label}"
    assert box["width"] < 300 and box["height"] < 60, f"{where}: {box}"
    assert icon["width"] <= 24 and icon["height"] <= 24, f"{where}: icon {icon}"


def shoot(page, name):
    path = SCREENSHOTS / "test_hr_workspace" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


@pytest.mark.browser_context_args(locale="nb-NO")
def test_hr_workspace_with_64_applications(demo_site, page):
    """The HR workspace as a reviewer sees it with a round's worth of
    applications, on a desktop and on a phone (375 px)."""
    programme_round = open_round("nb")
    choices = faculties("nb")
    applications = [
        make_application(
            round=programme_round,
            faculty=choices[number % len(choices)],
            role=(
                Application.Role.MENTOR if number % 3 == 0 else Application.Role.MENTEE
            ),
            full_name=f"Kari Nordmann-Ødegård {number}",
        )
        for number in range(64)
    ]
    with_file = applications[-1]
    with_file.attachment_name = "cv.pdf"
    with_file.attachment.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    hr = get_user_model().objects.get(username="hr")
    export = ExportFile.objects.create(requested_by=hr, filters={}, language="nb")
    export.mark_ready(export.file.storage.save("exports/x.xlsx", ContentFile(b"x")), 64)

    sign_in(page, "hr")
    # Download buttons: a visible label in a button of its size, a small icon.
    page.goto(f"{LISTING}{with_file.pk}/")
    assert_download_button(
        page,
        page.get_by_role("link", name=tr("Download the PDF", "nb")),
        "the applicant's PDF [nb]",
    )
    shoot(page, "detail-download-1280")
    page.goto(f"{LISTING}exports/")
    assert_download_button(
        page,
        page.get_by_role("link", name=tr("Download", "nb"), exact=True),
        "an export [nb]",
    )
    shoot(page, "exports-1280")

    page.set_viewport_size({"width": 375, "height": 800})
    for path, name in (
        (LISTING, "listing"),
        (f"{LISTING}summary/", "summary"),
        (f"{LISTING}exports/", "exports"),
        (f"{LISTING}{with_file.pk}/", "detail"),
    ):
        page.goto(path)
        where = f"{name} at 375 px [nb]"
        assert horizontal_overflow(page) == 0, where
        wrappers = page.locator("[data-mentoring-table-scroll]")
        tables = page.locator("main table.listing")
        if name != "detail":
            expect(tables.first, where).to_be_attached()
        assert wrappers.count() == tables.count(), where
        for index in range(wrappers.count()):
            wrapper = wrappers.nth(index)
            # Every column can be reached: scrolled to its end, the table's
            # last heading lies inside the window.
            right = wrapper.evaluate(
                """(w) => {
                    w.scrollLeft = w.scrollWidth;
                    const cells = w.querySelectorAll("thead th");
                    return cells[cells.length - 1].getBoundingClientRect().right;
                }"""
            )
            assert right <= 375 + 1, f"{where}: table {index} ends at {right}px"
        shoot(page, f"{name}-375")
    page.goto(LISTING)
    listing = page.locator("[data-mentoring-table-scroll]")
    assert listing.evaluate("(w) => w.scrollWidth > w.clientWidth"), (
        "the listing scrolls sideways inside its wrapper at 375 px"
    )
    assert_download_button(
        page,
        page.goto(f"{LISTING}{with_file.pk}/")
        and page.get_by_role("link", name=tr("Download the PDF", "nb")),
        "the applicant's PDF at 375 px [nb]",
    )

    # The faculty filter's select fits inside the filter drawer.
    page.goto(LISTING)
    page.get_by_role("button", name=tr("Show filters", "nb")).click()
    page.get_by_role("button", name=tr("Faculty", "nb"), exact=False).first.click()
    select = page.get_by_label(tr("Faculty", "nb"), exact=True)
    expect(select).to_be_visible()
    edges = select.evaluate(
        """(s) => [s.getBoundingClientRect().right,
                   s.closest(".w-drilldown__submenu").getBoundingClientRect().right]"""
    )
    assert edges[0] <= edges[1] and edges[0] <= 375, f"faculty select {edges}"
    shoot(page, "faculty-filter-375")
    select.select_option(label=choices[0].name)
    expect(page).to_have_url(re.compile(f"faculty={choices[0].translation_key}"))
