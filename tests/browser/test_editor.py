"""A content editor edits a gathering in Norwegian and publishes it, then
translates the round page to English in wagtail-localize's editor and
publishes the translation."""

import pytest
from django.conf import settings
from django.utils.html import strip_tags
from playwright.sync_api import expect
from wagtail.models import Locale

from mentoring_cms.models import ProgramRoundPage, SessionPage

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
        ProgramRoundPage.objects.filter(locale__language_code="nb", numchild__gt=0)
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
