"""A mentor applies in English with the keyboard alone: Tab, Space, the
arrow keys inside radio groups, Enter, and typing."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mentoring_cms.forms import (
    AboutYouForm,
    ConsentForm,
    PositionForm,
    ReviewForm,
)
from mentoring_cms.matching_step import MatchingForm
from mentoring_cms.models import Application
from mentoring_cms.step_forms import default_step_list

from .i18n import tr
from .wizard import (
    choose_by_keyboard,
    expect_step,
    faculties,
    open_round,
    press_button,
    tab_to,
    tab_to_field,
    tick_by_keyboard,
    type_into,
)

pytestmark = pytest.mark.browser

EMAIL = "ola.nordmann@example.org"


def test_mentor_applies_in_english_with_the_keyboard(demo_site, page, quality):
    language = "en"
    programme_round = open_round(language)
    faculty = faculties(language)[-1]
    continue_label = tr("Continue", language)

    page.goto(programme_round.url)
    apply_label = tr("Apply as mentor", language)
    tab_to(
        page,
        f"(el) => el.tagName === 'A' && el.textContent.trim() === {apply_label!r}",
        "the apply-as-mentor link",
    )
    page.keyboard.press("Enter")
    expect_step(page, AboutYouForm.title, language)
    quality.check("mentor step 1")
    type_into(page, "about", "full_name", "Ola Nordmann")
    type_into(page, "about", "email", EMAIL)
    type_into(page, "about", "phone", "+47 73 59 50 00")
    choose_by_keyboard(page, "about", "language", "en")
    press_button(page, continue_label)

    expect_step(page, PositionForm.title, language)
    quality.check("mentor step 2")
    choose_by_keyboard(page, "position", "position", "dosent")
    tab_to(page, "(el) => el.name === 'position-faculty'", "the faculty list")
    page.keyboard.type(faculty.name)
    expect(
        page.locator('[name="position-faculty"] option:checked'),
        "faculty chosen by typing [en]",
    ).to_have_text(faculty.name)
    type_into(page, "position", "department", "Department of Physics")
    type_into(page, "position", "academic_field", "Condensed matter physics")
    press_button(page, continue_label)

    experience = dict(default_step_list("mentor", language))["experience"]
    expect_step(page, experience.title, language)
    quality.check("mentor step 3")
    choose_by_keyboard(page, "experience", "earlier_mentoring", "no")
    type_into(page, "experience", "offer", "Twenty years on promotion committees.")
    press_button(page, continue_label)

    expect_step(page, MatchingForm.title, language)
    quality.check("mentor matching step")
    choose_by_keyboard(page, "matching", "matching_track", "dosent")
    for name in ("matching_topics", "matching_languages"):
        # The first checkbox of the group, ticked with Space.
        tab_to_field(page, "matching", name)
        page.keyboard.press("Space")
        expect(page.locator(f'input[name="matching-{name}"]').first).to_be_checked()
    press_button(page, continue_label)

    expect_step(page, ConsentForm.title, language)
    quality.check("mentor step 4")
    for name in ("confirm_gatherings", "confirm_meetings", "accept_privacy"):
        tick_by_keyboard(page, "consent", name)
    press_button(page, continue_label)

    expect_step(page, ReviewForm.title, language)
    expect(page.get_by_role("main"), "review [en]").to_contain_text(faculty.name)
    quality.check("mentor review")
    press_button(page, tr("Submit application", language))

    reference_text = page.locator(".mcms-reference strong")
    expect(reference_text, f"confirmation at {page.url} [en]").to_have_text(
        re.compile(r"^MP-\d{4}-\d{4,}$")
    )
    reference = reference_text.inner_text()
    quality.check("mentor confirmation")

    where = f"mentor application submitted at {page.url} [en]"
    application = Application.objects.get(email=EMAIL)
    assert application.reference == reference, where
    assert application.role == Application.Role.MENTOR, where
    assert application.position == "dosent", where
    assert application.language == "en", where
    assert application.faculty.translation_key == faculty.translation_key, where
    assert application.answers["earlier_mentoring"] == "no", where
    assert any(
        EMAIL in message.to and reference in message.body for message in mail.outbox
    ), "the mentor got a confirmation email with the reference"
    quality.assert_clean()
