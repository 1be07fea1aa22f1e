"""Quality checks on every step of the wizards in the languages the two
application scenarios do not walk: the mentee's in English and the mentor's
in Norwegian (with an error summary on the first step); and on the wizard's
other pages: a round that is not open, a session lost mid-application."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from mentoring_cms.models import Application, ProgramRoundPage
from mentoring_cms.models.pages import RoundStatus

from .i18n import tr
from .pdf import tiny_pdf
from .wizard import (
    continue_,
    faculties,
    fill_about,
    fill_consent,
    fill_experience,
    fill_matching,
    fill_mentee_position,
    fill_mentor_position,
    fill_motivation,
    fill_promotion,
    open_round,
)

pytestmark = pytest.mark.browser

PDF = {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}


@pytest.mark.parametrize(
    ("role", "language"),
    [(Application.Role.MENTEE, "en"), (Application.Role.MENTOR, "nb")],
)
def test_every_wizard_step_passes_quality_checks(
    demo_site, page, quality, role, language
):
    email = f"{role}.{language}@example.org"
    faculty = faculties(language)[0]
    if role == Application.Role.MENTEE:
        steps = [
            lambda: fill_mentee_position(page, faculty, attachment=PDF),
            lambda: fill_promotion(page),
            lambda: fill_motivation(page),
            lambda: fill_matching(page),
            lambda: fill_consent(page),
        ]
        apply_label = "Apply as mentee"
    else:
        steps = [
            lambda: fill_mentor_position(page, faculty),
            lambda: fill_experience(page),
            lambda: fill_matching(page, role="mentor"),
            lambda: fill_consent(page),
        ]
        apply_label = "Apply as mentor"

    page.goto(open_round(language).url)
    page.get_by_role("link", name=tr(apply_label, language)).first.click()
    quality.check(f"{role} step 1")
    continue_(page, language)
    expect(page.get_by_role("alert"), f"error summary at {page.url}").to_be_visible()
    quality.check(f"{role} step 1 with errors")
    fill_about(page, "Test Testesen", email)
    continue_(page, language)
    for number, fill in enumerate(steps, start=2):
        quality.check(f"{role} step {number}")
        fill()
        continue_(page, language)
    quality.check(f"{role} review")
    page.get_by_role("button", name=tr("Submit application", language)).click()
    expect(
        page.locator(".mcms-reference"), f"confirmation at {page.url}"
    ).to_be_visible()
    quality.check(f"{role} confirmation")

    application = Application.objects.get(email=email)
    assert (application.role, application.language) == (role, language), (
        f"{role} application submitted at {page.url} [{language}]"
    )
    quality.assert_clean()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_wizard_pages_besides_the_steps_pass_quality_checks(
    demo_site, page, quality, language
):
    closed_round = next(
        programme_round
        for programme_round in ProgramRoundPage.objects.live().filter(
            locale__language_code=language
        )
        if programme_round.status != RoundStatus.OPEN
    )
    response = page.goto(f"{closed_round.url}apply/mentee/")
    assert response.status == 200, f"{page.url} [{language}]"
    expect(
        page.get_by_role("heading", level=1), f"{page.url} [{language}]"
    ).to_have_text(tr("Applications are not open", language))
    quality.check("apply to a round that is not open")

    # The session is lost between two steps: the applicant is asked to start
    # again, and nothing is stored.
    page.goto(open_round(language).url)
    page.get_by_role("link", name=tr("Apply as mentor", language)).first.click()
    fill_about(page, "Test Testesen", f"expired.{language}@example.org")
    continue_(page, language)
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    continue_(page, language)
    expect(
        page.get_by_role("heading", level=1), f"{page.url} [{language}]"
    ).to_have_text(tr("Please start again", language))
    quality.check("session expired mid-application")

    assert not Application.objects.filter(
        email=f"expired.{language}@example.org"
    ).exists(), f"nothing stored at {page.url} [{language}]"
    quality.assert_clean()
