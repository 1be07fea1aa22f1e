"""A mentee applies in Norwegian: an error, a PDF, the review, a changed
answer, and exactly one stored application."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mentoring_cms.forms import AboutYouForm, PositionForm
from mentoring_cms.models import Application

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

EMAIL = "kari.nordmann@example.org"


def test_mentee_applies_in_norwegian(demo_site, page, quality):
    language = "nb"
    programme_round = open_round(language)
    first, second = faculties(language)[:2]
    where = "mentee application [nb]: database before applying"
    assert not Application.objects.filter(email=EMAIL).exists(), where

    page.goto(programme_round.url)
    page.get_by_role("link", name=tr("Apply as mentee", language)).first.click()
    expect_step(page, AboutYouForm.title, language)
    quality.check("mentee step 1")

    # The work email is required: leaving it empty shows the error summary,
    # which links to the field, and stores nothing.
    fill_about(page, "Kari Nordmann", "")
    continue_(page, language)
    summary = page.get_by_role("alert")
    expect(summary, f"error summary at {page.url} [nb]").to_contain_text(
        tr("There is a problem", language)
    )
    email_label = str(tr(AboutYouForm.base_fields["email"].label, language))
    summary_link = summary.get_by_role("link", name=re.compile(re.escape(email_label)))
    expect(summary_link, f"error summary link at {page.url} [nb]").to_be_visible()
    target = summary_link.get_attribute("href")
    expect(
        page.locator(target), "the error summary links to the email field"
    ).to_be_editable()
    quality.check("mentee step 1 with an error")
    where = f"nothing stored after the error at {page.url} [nb]"
    assert not Application.objects.filter(email=EMAIL).exists(), where

    page.get_by_label(email_label, exact=True).fill(EMAIL)
    continue_(page, language)
    expect_step(page, PositionForm.title, language)
    quality.check("mentee step 2")
    fill_mentee_position(
        page,
        first,
        attachment={
            "name": "cv.pdf",
            "mimeType": "application/pdf",
            "buffer": tiny_pdf(),
        },
    )
    continue_(page, language)
    quality.check("mentee step 3")
    fill_promotion(page)
    continue_(page, language)
    quality.check("mentee step 4")
    fill_motivation(page)
    continue_(page, language)
    quality.check("mentee step 5")
    fill_matching(page)
    continue_(page, language)
    quality.check("mentee step 6")
    fill_consent(page)
    continue_(page, language)

    position_section = page.get_by_role("region", name=tr(PositionForm.title, language))
    expect(position_section, "review [nb]: faculty").to_contain_text(first.name)
    expect(position_section, "review [nb]: the PDF").to_contain_text("cv.pdf")
    quality.check("mentee review")

    # Back to the position step to change the faculty; the PDF stays.
    position_section.get_by_role("link", name=tr("Change", language)).click()
    expect_step(page, PositionForm.title, language)
    expect(page.locator("main"), "position step [nb]: the kept PDF").to_contain_text(
        "cv.pdf"
    )
    quality.check("mentee step 2 again")
    page.get_by_label(tr("Faculty", language), exact=True).select_option(
        label=second.name
    )
    continue_(page, language)
    position_section = page.get_by_role("region", name=tr(PositionForm.title, language))
    expect(position_section, "review [nb]: the new faculty").to_contain_text(
        second.name
    )
    page.get_by_role("button", name=tr("Submit application", language)).click()

    reference_text = page.locator(".mcms-reference strong")
    expect(reference_text, f"confirmation at {page.url} [nb]").to_have_text(
        re.compile(r"^MP-\d{4}-\d{4,}$")
    )
    reference = reference_text.inner_text()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Thank you – your application has been received", language)
    )
    quality.check("mentee confirmation")

    where = f"mentee application submitted at {page.url} [nb]"
    application = Application.objects.get(email=EMAIL)
    assert application.reference == reference, where
    assert application.role == Application.Role.MENTEE, where
    assert application.language == "nb", where
    assert application.faculty.translation_key == second.translation_key, where
    assert application.attachment_name == "cv.pdf", where
    assert application.attachment.read().startswith(b"%PDF-"), where
    assert application.round.translation_key == programme_round.translation_key, where
    assert Application.objects.filter(email=EMAIL).count() == 1, where
    assert any(
        EMAIL in message.to and reference in message.body for message in mail.outbox
    ), "the mentee got a confirmation email with the reference"
    quality.assert_clean()
