"""Both languages: every page type renders with the right lang, hreflang
alternates and language switcher; untranslated pages fall back sensibly."""

import datetime
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from mentoring_cms.models.pages import ContactPersonLink

from .utils import (
    make_contact_page,
    make_contact_person,
    make_programme,
    make_round,
    make_session,
    oslo,
    translate_page,
    translate_snippet,
)


@pytest.fixture
def tree(home):
    """Every page type in Norwegian with its English translation."""
    person = make_contact_person(job_title="seniorrådgiver")
    translate_snippet(person, job_title="Senior Adviser", unit="HR and HSE Division")
    programme = make_programme(
        home,
        purpose="<p>Målsettingen med programmet.</p>",
        contact_person_links=[ContactPersonLink(person=person)],
    )
    programme_round = make_round(
        programme,
        title="Runde 2027",
        slug="runde-2027",
        application_opens=oslo(2027, 3, 1, 9),
        application_closes=oslo(2027, 4, 1, 12),
        period_start=datetime.date(2027, 8, 15),
        period_end=datetime.date(2028, 6, 15),
    )
    session = make_session(
        programme_round,
        title="Oppstartssamling",
        slug="oppstart",
        start=oslo(2027, 9, 2, 9),
        end=oslo(2027, 9, 2, 16),
        place="Gløshaugen",
        audience="mentees",
    )
    contact = make_contact_page(home, unit_name="HR- og HMS-avdelingen")
    pages = {"home": home, "programme": programme}
    pages.update(round=programme_round, session=session, contact=contact)
    english = {
        "home": translate_page(home, title="Home", slug="home-en"),
    }
    english["programme"] = translate_page(
        programme,
        title="Mentoring programme",
        slug="mentoring-programme",
        purpose="<p>The aim of the programme.</p>",
    )
    english["round"] = translate_page(programme_round, title="Round 2027")
    english["session"] = translate_page(
        session, title="Opening gathering", slug="opening"
    )
    english["contact"] = translate_page(
        contact, title="Contact", slug="contact", unit_name="HR and HSE Division"
    )
    return pages, english


def alternates(html):
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html)
    )


def switcher_links(html):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"', nav))


KEY_TEXTS = {
    "home": ("Hjem", "Home"),
    "programme": ("Målsettingen med programmet.", "The aim of the programme."),
    "round": ("Søknadsperiode", "Application period"),
    "session": ("Bare adepter", "Mentees only"),
    "contact": ("HR- og HMS-avdelingen", "HR and HSE Division"),
}


@pytest.mark.parametrize("kind", ["home", "programme", "round", "session", "contact"])
def test_every_page_type_renders_in_both_languages(client, tree, kind):
    pages, english = tree
    nb_page, en_page = pages[kind], english[kind]
    nb_url, en_url = nb_page.url, en_page.url
    assert nb_url.startswith("/nb/") and en_url.startswith("/en/")
    for url, other_url, lang, text in (
        (nb_url, en_url, "nb", KEY_TEXTS[kind][0]),
        (en_url, nb_url, "en", KEY_TEXTS[kind][1]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert alternates(html) == {
            "nb": f"http://testserver{nb_url}",
            "en": f"http://testserver{en_url}",
            "x-default": f"http://testserver{nb_url}",
        }
        other = "en" if lang == "nb" else "nb"
        assert switcher_links(html) == {other_url: other}
        assert text in html
        assert html.count("<h1>") == 1


def test_contact_person_shows_in_the_pages_language(client, tree):
    pages, english = tree
    assert "seniorrådgiver ved HR- og HMS-avdelingen" in (
        client.get(pages["programme"].url).content.decode()
    )
    assert "Senior Adviser, HR and HSE Division" in (
        client.get(english["programme"].url).content.decode()
    )


def test_dates_are_written_the_norwegian_and_the_english_way(client, tree):
    pages, english = tree
    nb_html = client.get(pages["round"].url).content.decode()
    en_html = client.get(english["round"].url).content.decode()
    assert "15. august 2027" in nb_html
    assert "1. mars 2027 09:00" in nb_html
    assert "torsdag 2. september 2027, 09:00" in nb_html
    assert "Aug. 15, 2027" in en_html
    assert "March 1, 2027, 9 a.m." in en_html
    assert "Thursday Sept. 2, 2027, 9 a.m." in en_html


def test_switcher_leads_to_the_other_home_page_when_untranslated(client, home):
    translate_page(home, title="Home", slug="home-en")
    programme = make_programme(home)
    html = client.get(programme.url).content.decode()
    assert switcher_links(html) == {"/en/": "en"}
    assert set(alternates(html)) == {"nb", "x-default"}


def test_untranslated_page_in_the_other_language_redirects_to_the_original(
    client, home
):
    translate_page(home, title="Home", slug="home-en")
    programme = make_programme(home)
    response = client.get("/en/mentorprogram/")
    assert response.status_code == 302
    assert response["Location"] == programme.url == "/nb/mentorprogram/"


def test_translated_page_under_its_source_slug_redirects_to_its_own_slug(client, tree):
    response = client.get("/en/mentorprogram/")
    assert response.status_code == 302
    assert response["Location"] == "/en/mentoring-programme/"


def test_language_without_a_home_page_redirects_to_the_source(client, home):
    programme = make_programme(home)
    response = client.get("/en/")
    assert response.status_code == 302
    assert response["Location"] == "/nb/"
    response = client.get("/en/mentorprogram/")
    assert response.status_code == 302
    assert response["Location"] == programme.url


def test_unknown_page_is_a_404_in_the_requested_language(client, tree):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html and "Page not found" in html
    response = client.get("/nb/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="nb">' in html and "Fant ikke siden" in html


def test_root_redirects_to_norwegian(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/nb/"


@pytest.mark.parametrize(
    ("template", "nb_text", "en_text"),
    [
        ("403.html", "Ingen tilgang", "Access denied"),
        ("500.html", "Noe gikk galt", "Something went wrong"),
    ],
)
def test_error_pages_speak_the_readers_language(template, nb_text, en_text):
    for language, text in (("nb", nb_text), ("en", en_text)):
        with translation.override(language):
            html = render_to_string(template)
        assert f'<html lang="{language}">' in html
        assert text in html


def test_draft_translation_falls_back_to_the_published_original(client, home):
    english_home = translate_page(home, title="Home", slug="home-en")
    programme = make_programme(home)
    draft = programme.copy_for_translation(english_home.locale)
    assert not draft.live
    for url in (f"/en/{draft.slug}/", "/en/mentorprogram/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == programme.url
    html = client.get(programme.url).content.decode()
    assert switcher_links(html) == {"/en/": "en"}


@pytest.mark.parametrize("path", ["/de/mentorprogram/", "/en/mentorprogram/x/y/"])
def test_unknown_languages_and_paths_never_fail(client, tree, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404


def test_application_deadline_is_written_the_norwegian_and_the_english_way(
    programme, rf
):
    programme_round = make_round(
        programme,
        period_start=datetime.date(2027, 1, 26),
        period_end=datetime.date(2027, 10, 23),
        application_opens=oslo(2026, 11, 1, 9),
        application_closes=oslo(2026, 12, 27, 23, 59),
    )
    with time_machine.travel(oslo(2026, 12, 1, 12), tick=False):
        with translation.override("nb"):
            nb = render_to_string(
                "mentoring_cms/includes/apply_links.html",
                {"round": programme_round, "request": rf.get("/")},
            )
        with translation.override("en"):
            en = render_to_string(
                "mentoring_cms/includes/apply_links.html",
                {"round": programme_round, "request": rf.get("/")},
            )
    assert "27. desember 2026 23:59" in nb
    assert "Dec. 27, 2026" in en
