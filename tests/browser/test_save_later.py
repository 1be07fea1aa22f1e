"""A mentee saves her application for later on a phone without JavaScript,
and finishes it from the emailed link in another browser: her answers and
her PDF are there, and exactly one application is stored."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mentoring_cms.forms import AboutYouForm, PositionForm
from mentoring_cms.models import Application, ApplicationDraft
from mentoring_cms.step_forms import default_step_list

from .i18n import tr
from .pdf import tiny_pdf
from .wizard import (
    continue_,
    expect_step,
    faculties,
    fill_about,
    fill_consent,
    fill_matching,
    fill_mentee_position,
    fill_motivation,
    fill_promotion,
    open_round,
)

pytestmark = pytest.mark.browser

EMAIL = "lagre.senere@example.org"
PHONE = {"width": 375, "height": 800}


def test_save_later_and_continue_in_another_browser_without_javascript(
    demo_site, browser, browser_context_args
):
    language = "nb"
    programme_round = open_round(language)
    faculty = faculties(language)[0]
    assert not Application.objects.filter(email=EMAIL).exists()
    first = browser.new_context(
        **{**browser_context_args, "viewport": PHONE}, java_script_enabled=False
    )
    page = first.new_page()
    page.set_default_timeout(15_000)
    page.goto(programme_round.url)
    page.get_by_role("link", name=tr("Apply as mentee", language)).first.click()
    expect_step(page, AboutYouForm.title, language)
    fill_about(page, "Lagre Senere", EMAIL)
    continue_(page, language)
    expect_step(page, PositionForm.title, language)
    fill_mentee_position(
        page,
        faculty,
        attachment={
            "name": "cv.pdf",
            "mimeType": "application/pdf",
            "buffer": tiny_pdf(),
        },
    )
    page.get_by_role(
        "button", name=tr("Save and continue later", language), exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Your application is saved", language)
    )
    expect(page.locator("main")).to_contain_text(EMAIL)
    first.close()

    message = next(m for m in mail.outbox if m.to == [EMAIL])
    link = re.search(r"https?://\S+/application/resume/\S+", message.body).group(0)
    second = browser.new_context(
        **{**browser_context_args, "viewport": PHONE}, java_script_enabled=False
    )
    page = second.new_page()
    page.set_default_timeout(15_000)
    # The site's host in the demo is "localhost"; the live server's port is
    # the test's own.
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name=tr("Continue the application", language)).click()
    # She left on the position step: it opens there, with her PDF.
    expect_step(page, PositionForm.title, language)
    expect(page.locator("main")).to_contain_text("cv.pdf")
    continue_(page, language)
    fill_promotion(page)
    continue_(page, language)
    motivation = dict(default_step_list("mentee", language))["motivation"]
    expect_step(page, motivation.title, language)
    fill_motivation(page)
    continue_(page, language)
    fill_matching(page)
    continue_(page, language)
    fill_consent(page)
    continue_(page, language)
    # The review on a phone: each "Change" link on its heading's first
    # line, on one line of its own.
    headers = page.locator(".mcms-review__header").all()
    assert headers
    for header in headers:
        title, link = header.locator("h3"), header.locator("a")
        heading, box = title.bounding_box(), link.bounding_box()
        title_size = float(title.evaluate("e => getComputedStyle(e).fontSize")[:-2])
        link_size = float(link.evaluate("e => getComputedStyle(e).fontSize")[:-2])
        assert box["y"] < heading["y"] + 1.5 * title_size, header.inner_text()
        assert box["height"] < 2 * link_size, header.inner_text()
        assert box["x"] + box["width"] <= PHONE["width"], header.inner_text()
    page.get_by_role("button", name=tr("Submit application", language)).click()
    expect(page.locator(".mcms-reference strong")).to_have_text(
        re.compile(r"^MP-\d{4}-\d{4,}$")
    )
    second.close()

    application = Application.objects.get(email=EMAIL)
    assert application.full_name == "Lagre Senere"
    assert application.attachment_name == "cv.pdf"
    assert application.attachment.read().startswith(b"%PDF-")
    # Her draft (the demo has none of its own) keeps nothing more.
    drafts = ApplicationDraft.objects.filter(
        round__translation_key=programme_round.translation_key
    )
    assert [(d.state, d.email, bool(d.submitted_at)) for d in drafts] == [
        ({}, "", True)
    ]


def test_the_save_later_pages_pass_the_quality_checks(demo_site, page, quality):
    language = "en"
    programme_round = open_round(language)
    email = "save.later.quality@example.org"
    page.goto(programme_round.url)
    page.get_by_role("link", name=tr("Apply as mentee", language)).first.click()
    expect_step(page, AboutYouForm.title, language)
    fill_about(page, "Quality Check", "")
    page.get_by_role(
        "button", name=tr("Save and continue later", language), exact=True
    ).click()
    # No address yet: she is asked for one.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Save and continue later", language)
    )
    quality.check("save later: asks for the address")
    page.get_by_role("button", name=tr("Send me the link", language)).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("There is a problem", language)
    )
    quality.check("save later: the address is missing")
    page.get_by_label(tr("Your work email", language), exact=True).fill(email)
    page.get_by_role("button", name=tr("Send me the link", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Your application is saved", language)
    )
    quality.check("save later: saved")

    message = next(m for m in mail.outbox if m.to == [email])
    link = re.search(r"https?://\S+/application/resume/\S+", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.goto(path)
    quality.check("save later: the link's page")
    page.goto(path.replace("/resume/", "/resume/x") + "")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("This link no longer works", language)
    )
    quality.check("save later: an altered link")
    page.goto(path)
    page.get_by_role("button", name=tr("Continue the application", language)).click()
    expect_step(page, AboutYouForm.title, language)
    quality.assert_clean()
