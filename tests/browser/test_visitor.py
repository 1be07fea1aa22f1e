"""A visitor reads the programme in Norwegian and in English, switching
language on every page; every internal link of the public site works, and
every public page passes the quality checks in both languages."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale, Page

from mentoring_cms.models import ProgramPage, ProgramRoundPage

from .quality import crawl

pytestmark = pytest.mark.browser

OTHER = {"nb": "en", "en": "nb"}


def in_language(page_obj, code):
    return page_obj.get_translation(Locale.objects.get(language_code=code)).specific


def assert_shows(page, title, language, where):
    expect(page.locator("html"), f"{where} [{language}]: lang").to_have_attribute(
        "lang", language
    )
    expect(
        page.get_by_role("heading", level=1), f"{where} [{language}]: heading"
    ).to_have_text(title)


def switch_language_and_back(page, page_obj, language, where):
    """Use the language switcher to read ``page_obj`` in the other language,
    then come back."""
    other = OTHER[language]
    switcher = page.locator("nav.language-switcher")
    switcher.locator(f'a[hreflang="{other}"]').click()
    translation = in_language(page_obj, other)
    expect(page, f"{where} [{language}→{other}]: URL").to_have_url(
        _absolute(page, translation.url)
    )
    assert_shows(page, translation.title, other, f"{where} switched from {language}")
    switcher.locator(f'a[hreflang="{language}"]').click()
    assert_shows(page, page_obj.title, language, f"{where} switched back")


def _absolute(page, path):
    base = page.url.split("/", 3)
    return f"{base[0]}//{base[2]}{path}"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_visitor_walks_home_programme_round_session(demo_site, page, language):
    programme = in_language(
        ProgramPage.objects.get(locale__language_code="nb"), language
    )
    home = programme.get_parent().specific
    programme_round = (
        ProgramRoundPage.objects.child_of(programme)
        .live()
        .filter(numchild__gt=0)
        .order_by("period_start")
        .first()
    )
    programme_round = in_language(programme_round, language)
    session = programme_round.get_sessions().first()
    assert session is not None, f"the demo round {programme_round.title} has sessions"

    page.goto(f"/{language}/")
    assert_shows(page, home.title, language, "home page")
    switch_language_and_back(page, home, language, "home page")

    page.locator("main").get_by_role("link", name=programme.title).first.click()
    assert_shows(page, programme.title, language, "programme page")
    switch_language_and_back(page, programme, language, "programme page")

    page.locator("main").get_by_role("link", name=programme_round.title).first.click()
    assert_shows(page, programme_round.title, language, "round page")
    switch_language_and_back(page, programme_round, language, "round page")

    page.locator("main").get_by_role("link", name=session.title).first.click()
    assert_shows(page, session.title, language, "session page")
    switch_language_and_back(page, session, language, "session page")
    assert page.url == _absolute(page, session.url), f"session page [{language}]"


def test_every_internal_link_answers_200(demo_site):
    pages = crawl(demo_site.url, ["/nb/", "/en/"])

    broken = [
        f"{url} answered {status} (linked from {found_on})"
        for url, (status, _html, found_on) in pages.items()
        if status != 200
    ]
    assert not broken, "Broken internal links:\n" + "\n".join(broken)
    live = {
        demo_site.url + p.url
        for p in Page.objects.live().filter(depth__gt=1).specific()
        if p.url
    }
    unreachable = sorted(live - set(pages))
    assert not unreachable, "Live pages no link leads to:\n" + "\n".join(unreachable)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_public_page_passes_quality_checks(demo_site, page, quality, language):
    urls = sorted(
        url
        for url in crawl(demo_site.url, [f"/{language}/"])
        if url.startswith(f"{demo_site.url}/{language}/")
    )
    assert len(urls) > 5, f"the {language} site has its pages"

    for url in urls:
        response = page.goto(url)
        assert response.status == 200, f"{url} [{language}]"
        quality.check("public page")
    response = page.goto(f"/{language}/finnes-ikke/")
    assert response.status == 404, f"/{language}/finnes-ikke/ [{language}]"
    quality.check("not-found page")
    quality.assert_clean()
