"""A content editor edits a gathering in Norwegian and publishes it, then
translates the round page to English in wagtail-localize's editor and
publishes the translation; translates a new round with its subtree, moves a
gathering and copies the round to the next year."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils.html import strip_tags
from playwright.sync_api import expect
from wagtail.models import Locale

from mentoring_cms.models import ProgramPage, ProgramRoundPage, SessionPage

from ..utils import oslo
from .admin import sign_in
from .i18n import tr, tr_js

pytestmark = pytest.mark.browser

NEW_PLACE = "Realfagbygget, auditorium R1"
NEW_INTRO = "The 2022–2023 round ran for ten months with seven gatherings."


def first_paragraph(html):
    return strip_tags(html.split("</p>", 1)[0]).strip()


@pytest.mark.browser_context_args(locale="nb-NO")
def test_editor_publishes_a_gathering_and_a_round_translation(demo_site, page):
    programme_round = (
        # The demo's finished rounds of issue 17 are unpublished.
        ProgramRoundPage.objects.live()
        .filter(locale__language_code="nb", numchild__gt=0)
        .order_by("period_start")
        .first()
    )
    session = SessionPage.objects.child_of(programme_round).live().first()
    english = Locale.objects.get(language_code="en")
    round_en = programme_round.get_translation(english)
    sign_in(page, "editor")

    # The gathering, in Norwegian: the admin speaks Norwegian too.
    page.goto(f"/admin/pages/{session.pk}/edit/")
    expect(page.locator("html"), "page editor [nb]").to_have_attribute("lang", "nb")
    place = page.get_by_role(
        "textbox",
        name=tr(SessionPage._meta.get_field("place").verbose_name, "nb").capitalize(),
        exact=True,
    )
    place.fill(NEW_PLACE)
    page.get_by_role("button", name=tr("More actions", "nb")).click()
    page.get_by_role("button", name=tr("Publish", "nb"), exact=True).click()
    expect(page.locator(".messages"), "publish message [nb]").to_contain_text(
        session.title
    )

    where = f"gathering {session.title!r} published in the admin [nb]"
    session.refresh_from_db()
    assert session.place == NEW_PLACE, where
    assert not session.has_unpublished_changes, where
    page.goto(session.url)
    expect(page.get_by_role("main"), f"{session.url} [nb]").to_contain_text(NEW_PLACE)

    # The round page's English translation, in wagtail-localize's editor.
    source_text = first_paragraph(programme_round.intro)
    page.goto(f"/admin/pages/{round_en.pk}/edit/")
    segment = page.get_by_text(source_text, exact=True).locator("xpath=ancestor::li[1]")
    segment.get_by_role("button", name=tr_js("Edit", "nb")).click()
    segment.get_by_role("textbox").fill(NEW_INTRO)
    segment.get_by_role("button", name=tr_js("Save", "nb")).click()
    expect(segment, "localize editor: the string is saved").to_contain_text(NEW_INTRO)
    publish = tr_js("Publish in %s", "nb") % dict(settings.LANGUAGES)["en"]
    page.get_by_role("button", name=publish).click()
    expect(page.locator(".messages"), "translation published [nb]").to_be_visible()

    where = "round page translated in wagtail-localize's editor [en]"
    round_en.refresh_from_db()
    assert NEW_INTRO in round_en.intro, where
    assert not round_en.has_unpublished_changes, where
    page.goto(round_en.url)
    expect(page.locator("html"), f"{round_en.url}").to_have_attribute("lang", "en")
    expect(page.get_by_role("main"), f"{round_en.url} [en]").to_contain_text(NEW_INTRO)


def publish_translation(page, target):
    """ "Publish in English" in wagtail-localize's editor of ``target``."""
    page.goto(f"/admin/pages/{target.pk}/edit/")
    publish = tr_js("Publish in %s", "nb") % dict(settings.LANGUAGES)["en"]
    page.get_by_role("button", name=publish).click()
    expect(page.locator(".messages"), f"{target.title} published [en]").to_be_visible()


@pytest.mark.browser_context_args(locale="nb-NO")
def test_editor_translates_a_new_round_keeps_facts_in_step_and_copies_it(
    demo_site, page
):
    english = Locale.objects.get(language_code="en")
    programme = ProgramPage.objects.get(locale__language_code="nb")
    new_round = ProgramRoundPage(
        title="Programrunde 2031–2032",
        slug="2031-2032",
        period_start=datetime.date(2031, 8, 15),
        period_end=datetime.date(2032, 6, 15),
        application_opens=oslo(2031, 3, 1, 9),
        application_closes=oslo(2031, 4, 1, 23, 59),
    )
    programme.add_child(instance=new_round)
    for day, slug in ((2, "oppstart"), (30, "samling-2")):
        new_round.add_child(
            instance=SessionPage(
                title=f"Samling {slug}",
                slug=slug,
                start=oslo(2031, 9, day, 9),
                end=oslo(2031, 9, day, 15),
            )
        )
    new_round.save_revision().publish()
    sign_in(page, "editor")

    # Translate with its subtree in wagtail-localize's own form.
    page.goto(f"/admin/localize/submit/page/{new_round.pk}/")
    page.locator(f"input[name=locales][value='{english.pk}']").check()
    page.locator("#id_include_subtree").check()
    page.locator("input[type=submit]").click()
    expect(page.locator(".messages"), "submitted for translation").to_be_visible()
    round_en = new_round.get_translation(english)
    sessions_en = list(SessionPage.objects.child_of(round_en))
    assert len(sessions_en) == 2
    assert not round_en.live, "a submitted translation stays a draft"

    # The gathering's facts are shown read-only beside the strings to translate.
    page.goto(f"/admin/pages/{sessions_en[0].pk}/edit/")
    facts = page.locator(".mcms-translation-facts")
    expect(facts, "facts read-only in the translation editor").to_be_visible()
    expect(facts.locator("input, textarea, select")).to_have_count(0)
    for target in [round_en, *sessions_en]:
        publish_translation(page, target)
    round_en.refresh_from_db()
    assert round_en.numchild == 2
    for session_en in sessions_en:
        session_en.refresh_from_db()
        response = page.goto(session_en.url)
        assert response.status == 200, session_en.url
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/admin/pages/{round_en.pk}/")
    for session_en in sessions_en:
        expect(
            page.locator(f"a[href='/admin/pages/{session_en.pk}/edit/']").first,
            "English gathering in the explorer",
        ).to_be_attached()

    # Move the first gathering to 10:00 in Norwegian: English shows it at once.
    session = SessionPage.objects.child_of(new_round).get(slug="oppstart")
    page.goto(f"/admin/pages/{session.pk}/edit/")
    page.locator("#id_start").fill("2031-09-02 10:00")
    page.get_by_role("button", name=tr("More actions", "nb")).click()
    page.get_by_role("button", name=tr("Publish", "nb"), exact=True).click()
    expect(page.locator(".messages"), "gathering published [nb]").to_contain_text(
        session.title
    )
    session_en = session.get_translation(english)
    page.goto(session_en.url)
    expect(page.get_by_role("main"), "new time [en]").to_contain_text("10 a.m.")

    # Copy to next round, from the round's header menu.
    page.goto(f"/admin/pages/{new_round.pk}/edit/")
    copy_url = f"/admin/mentoring/rounds/{new_round.pk}/copy/"
    link = page.locator(f"a[href='{copy_url}']").first
    if not link.is_visible():
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
    link.click()
    expect(page.locator("#id_days")).to_have_value("364")
    page.get_by_role("button", name=tr("Copy to next round", "nb")).click()
    expect(page.locator(".messages"), "copied").to_be_visible()
    copy = ProgramRoundPage.objects.get(
        locale__language_code="nb", period_start=datetime.date(2032, 8, 13)
    )
    expect(page, "lands on the copy's edit page").to_have_url(
        re.compile(rf"/admin/pages/{copy.pk}/edit/$")
    )
    assert not copy.live
    assert SessionPage.objects.child_of(copy).count() == 2
    assert SessionPage.objects.child_of(copy.get_translation(english)).count() == 2
