"""Selection in the admin (in Norwegian), with the demo users: the faculty
coordinator nominates a mentee of her faculty, two committee members score
her (the second sees the first's scores only after submitting her own), HR
accepts her from the ranking; the selection dashboard passes axe at a
desktop and a phone width."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mentoring_cms.models import Application, Faculty, Review
from mentoring_cms.selection.operations import criteria_for
from tests.utils import make_application, set_admin_language

from .admin import sign_in
from .quality import axe_violations, horizontal_overflow
from .wizard import open_round

pytestmark = pytest.mark.browser

SELECTION = "/admin/mentoring/selection/"


@pytest.fixture
def mentee(demo_site):
    # The admin in Norwegian for the demo users of this test.
    for username in ("koordinator", "komite1", "komite2", "hr"):
        set_admin_language(get_user_model().objects.get(username=username), "nb")
    programme_round = open_round("nb")
    # One of the demo coordinator's two faculties (NV and IE).
    faculty = Faculty.objects.get(locale__language_code="nb", short_name="NV")
    return make_application(
        round=programme_round,
        faculty=faculty,
        full_name="Åse Ørnulfsdóttir",
        email="ase@example.org",
    )


def switch_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def score(page, application, value):
    for criterion in criteria_for(application.round):
        page.locator(f'input[name="score_{criterion.pk}"][value="{value}"]').check()
    page.get_by_role("button", name="Send inn vurdering").click()
    page.wait_for_load_state("load")


def test_nominate_score_and_accept_from_the_ranking(page, mentee):
    switch_user(page, "koordinator")
    page.goto(SELECTION + "applications/")
    expect(page.locator("[data-mentoring-nominations-left]")).to_contain_text(
        "0 av 4 nominert, 4 igjen"
    )
    page.get_by_role("link", name=mentee.full_name).click()
    page.get_by_label("Begrunnelse").fill("Langt på vei mot opprykk.")
    page.get_by_role("button", name="Nominer", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator("[data-mentoring-nominations-left]")).to_contain_text(
        "1 av 4 nominert, 3 igjen"
    )
    mentee.refresh_from_db()
    assert mentee.status == Application.Status.NOMINATED

    switch_user(page, "komite1")
    page.goto(SELECTION + "reviews/")
    page.get_by_role("link", name=mentee.full_name).click()
    score(page, mentee, 3)

    switch_user(page, "komite2")
    page.goto(SELECTION + f"reviews/{mentee.pk}/")
    expect(page.locator("[data-mentoring-scores-hidden]")).to_be_visible()
    expect(page.get_by_text("Kjersti Komité")).to_have_count(0)
    score(page, mentee, 5)
    expect(page.locator("[data-mentoring-scores-hidden]")).to_have_count(0)
    expect(page.get_by_role("heading", name="Kjersti Komité")).to_be_visible()
    assert Review.objects.filter(application=mentee).count() == 2

    switch_user(page, "hr")
    page.goto(SELECTION + "ranking/?role=mentee")
    row = page.locator(f'[data-mentoring-ranking-row="{mentee.reference}"]')
    expect(row).to_contain_text("4,00")
    row.get_by_role("combobox").select_option("accepted")
    row.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("load")
    expect(page.locator("[data-mentoring-places-left]")).to_contain_text(
        re.compile(r"1 av \d+ plasser fylt")
    )
    mentee.refresh_from_db()
    assert mentee.status == Application.Status.ACCEPTED


@pytest.mark.parametrize("width", [1280, 375])
def test_the_selection_dashboard_passes_axe(page, mentee, width):
    switch_user(page, "hr")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(SELECTION + "dashboard/")
    expect(page.locator("[data-mentoring-chart]")).to_have_count(3)
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0
