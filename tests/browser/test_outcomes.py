"""Outcomes in the browser (issue 17): HR's programme dashboard across
rounds passes axe (WCAG 2.1 AA) without scrolling sideways at a desktop and
a phone width, in Norwegian and English, with the demo's finished rounds;
a former mentee reports her promotion outcome from her personal page, and
HR sees it in the list of promotion outcomes."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mentoring_cms.models import Application, PromotionOutcome
from tests.participation_helpers import page_url
from tests.utils import set_admin_language

from .admin import sign_in
from .i18n import tr
from .quality import axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser

DASHBOARD = "/admin/mentoring/dashboard/"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_programme_dashboard_passes_axe(demo_site, page, language):
    set_admin_language(get_user_model().objects.get(username="hr"), language)
    sign_in(page, "hr")
    page.goto(DASHBOARD)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        tr("Programme dashboard", language)
    )
    expect(page.locator("[data-mentoring-chart]")).to_have_count(5)
    expect(page.get_by_role("img", name=tr("Completion", language))).to_be_visible()
    # The demo's single promotion within a year is too small a group.
    fewer = tr("fewer than %(threshold)d", language) % {"threshold": 5}
    expect(page.locator("[data-mentoring-suppressed]").first).to_have_text(fewer)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert axe_violations(page) == [], f"{language} at {width}px"
        assert horizontal_overflow(page) == 0, f"{language} at {width}px"


@pytest.mark.browser_context_args(locale="nb-NO")
def test_a_former_mentee_reports_her_promotion(demo_site, page, quality):
    mentee = (
        Application.objects.filter(
            round__slug="2020-2021",
            role=Application.Role.MENTEE,
            status=Application.Status.ACCEPTED,
            promotion_outcome__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    mentee.language = "nb"
    mentee.save(update_fields=["language"])
    page.goto(page_url(mentee))
    page.get_by_role("link", name=tr("Report your promotion outcome", "nb")).click()
    quality.check("promotion report form")
    page.get_by_label(tr("Promoted", "nb"), exact=True).check()
    page.get_by_label(tr("Position applied for", "nb")).select_option("professor")
    page.get_by_label(tr("Year of the application for promotion", "nb")).fill("2019")
    page.get_by_label(tr("Year of the result", "nb")).fill("2023")
    page.get_by_role("button", name=tr("Save", "nb")).click()
    # A year before the round is refused, beside the field.
    expect(page.get_by_text("Året kan ikke være før runden (2020).")).to_be_visible()
    quality.check("promotion report refused")
    assert not PromotionOutcome.objects.filter(application=mentee).exists()
    page.get_by_label(tr("Year of the application for promotion", "nb")).fill("2022")
    page.get_by_role("button", name=tr("Save", "nb")).click()
    expect(page.locator("[data-mentoring-promotion-outcome]")).to_contain_text(
        tr("Promoted", "nb")
    )
    quality.check("personal page with the outcome")
    quality.assert_clean()
    outcome = PromotionOutcome.objects.get(application=mentee)
    assert (outcome.applied_year, outcome.result_year, outcome.source) == (
        2022,
        2023,
        "mentee",
    )

    set_admin_language(get_user_model().objects.get(username="hr"), "nb")
    sign_in(page, "hr")
    page.goto("/admin/mentoring/outcomes/?round=" + str(mentee.round.translation_key))
    row = page.locator(f'[data-mentoring-outcome-row="{mentee.pk}"]')
    expect(row).to_contain_text(tr("The mentee herself", "nb"))
    assert axe_violations(page) == []
