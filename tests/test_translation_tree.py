"""Translating a round with its subtree through wagtail-localize's own admin
views gives a whole English tree, and stays a draft until it is published."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Page
from wagtail_localize.models import Translation

from mentoring_cms.models import ProgramRoundPage, SessionPage

from .utils import get_locale, make_round, make_session, oslo, translate_page


@pytest.fixture
def english_programme(home, programme):
    translate_page(home, title="Home", slug="home-en")
    return translate_page(programme, title="Mentoring programme", slug="mentoring")


@pytest.fixture
def new_round(programme):
    programme_round = make_round(
        programme,
        title="Runde 2031",
        slug="runde-2031",
        application_opens=oslo(2031, 3, 1, 9),
        application_closes=oslo(2031, 4, 1, 12),
        period_start=datetime.date(2031, 8, 15),
        period_end=datetime.date(2032, 6, 15),
    )
    for day, slug in ((2, "oppstart"), (30, "samling-2")):
        start = oslo(2031, 9, day, 9)
        make_session(
            programme_round,
            title=f"Samling {slug}",
            slug=slug,
            start=start,
            end=start + datetime.timedelta(hours=6),
        )
    programme_round.save_revision().publish()
    return programme_round


def submit_with_subtree(client, page, capture):
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    with capture(execute=True):
        return client.post(
            url, {"locales": [get_locale("en").pk], "include_subtree": "on"}
        )


def english_tree(programme_round):
    english = programme_round.get_translation(get_locale("en"))
    english.refresh_from_db()
    return english, list(SessionPage.objects.filter(locale__language_code="en"))


def publish_in_localize_editor(client, page, capture):
    """The translator's "Publish in English" in wagtail-localize's editor,
    which takes the place of the page editor for a translation."""
    target = page.get_translation(get_locale("en"))
    url = reverse("wagtailadmin_pages:edit", args=[target.pk])
    with capture(execute=True):
        response = client.post(url, {"action": "publish"})
    assert response.status_code == 302


@override_settings(WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE=True)
def test_subtree_published_on_submission_keeps_its_children(
    client, superuser, english_programme, new_round, django_capture_on_commit_callbacks
):
    """wagtail-localize's own behaviour (translations published on
    submission): without the plugin's repair the English round says it has
    no children (#773) and its gatherings answer 404."""
    client.force_login(superuser)
    response = submit_with_subtree(
        client, new_round, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    round_en, sessions_en = english_tree(new_round)
    assert len(sessions_en) == 2
    assert round_en.live
    assert round_en.numchild == 2 == round_en.get_children().count()
    client.logout()
    for session in sessions_en:
        assert session.live
        assert client.get(session.url).status_code == 200, session.url


def test_subtree_translated_in_the_admin_routes_and_lists_its_gatherings(
    client, superuser, english_programme, new_round, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    submit_with_subtree(client, new_round, django_capture_on_commit_callbacks)
    round_en, sessions_en = english_tree(new_round)
    assert {s.get_parent().pk for s in sessions_en} == {round_en.pk}

    # Submitted, not translated: nothing is live in English yet.
    assert not round_en.live
    assert not any(session.live for session in sessions_en)

    publish_in_localize_editor(client, new_round, django_capture_on_commit_callbacks)
    for source in new_round.get_children():
        publish_in_localize_editor(client, source, django_capture_on_commit_callbacks)

    round_en, sessions_en = english_tree(new_round)
    assert round_en.live and all(s.live for s in sessions_en)
    assert round_en.numchild == 2 == round_en.get_children().count()
    explorer = client.get(reverse("wagtailadmin_explore", args=[round_en.pk]))
    for session in sessions_en:
        assert f'href="/admin/pages/{session.pk}/edit/"' in explorer.content.decode()
    client.logout()
    for session in sessions_en:
        assert session.url.startswith("/en/")
        response = client.get(session.url)
        assert response.status_code == 200, session.url
        assert '<html lang="en">' in response.content.decode()
    assert client.get(round_en.url).status_code == 200


def test_nothing_untranslated_is_served_as_english(
    client, superuser, english_programme, new_round, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    submit_with_subtree(client, new_round, django_capture_on_commit_callbacks)
    round_en, sessions_en = english_tree(new_round)
    client.logout()
    for page in [round_en, *sessions_en]:
        source = page.get_translation(get_locale("nb"))
        response = client.get(page.get_url())
        # The visitor is sent to the Norwegian page, under its Norwegian URL.
        assert response.status_code == 302, page.get_url()
        assert response["Location"] == source.url
    # The English programme page neither lists nor links the draft round.
    html = client.get(english_programme.url).content.decode()
    assert round_en.get_url() not in html
    assert "Runde 2031" not in html
    # The Norwegian round offers no English alternative but the home page.
    html = client.get(new_round.url).content.decode()
    assert f'hreflang="en" href="http://testserver{round_en.get_url()}"' not in html


def test_the_page_tree_is_repaired_and_the_repair_can_run_again(new_round, capsys):
    ProgramRoundPage.objects.filter(pk=new_round.pk).update(numchild=0)
    assert not Page.objects.get(pk=new_round.pk).get_children().exists()
    call_command("repair_page_tree")
    assert "1 page(s) repaired" in capsys.readouterr().out
    repaired = Page.objects.get(pk=new_round.pk)
    assert repaired.numchild == 2 == repaired.get_children().count()
    call_command("repair_page_tree")
    assert "0 page(s) repaired" in capsys.readouterr().out


def test_translating_a_page_whose_parent_is_untranslated_says_what_to_do(
    client, superuser, new_round, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    response = submit_with_subtree(
        client, new_round, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302, response
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("nb"):
        expected = gettext(
            "“%(page)s” cannot be translated into %(languages)s yet: the page "
            "above it, “%(parent)s”, has no translation in that language. "
            "Translate “%(parent)s” first, or translate it with its subtree."
        ) % {
            "page": new_round.title,
            "parent": new_round.get_parent().title,
            "languages": get_locale("en").get_display_name(),
        }
    assert escape(expected) in html
    assert not Page.objects.filter(locale__language_code="en").exists()
    assert not Translation.objects.exists()


def test_the_translation_editor_offers_no_way_to_change_a_fact(
    client, superuser, english_programme, new_round, django_capture_on_commit_callbacks
):
    """In wagtail-localize's editor the gathering's texts are there to
    translate; its facts are neither strings to translate nor values to
    override."""
    import json

    client.force_login(superuser)
    session = new_round.get_children().first().specific
    session.place = "Gløshaugen"
    session.save_revision().publish()
    submit_with_subtree(client, new_round, django_capture_on_commit_callbacks)
    session_en = session.get_translation(get_locale("en"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[session_en.pk]))
    props = json.loads(response.context["props"])
    paths = {segment["contentPath"] for segment in props["segments"]}
    assert "title" in paths
    for fact in SessionPage.fact_fields:
        assert fact not in paths, fact
    # They are shown read-only below the editor, with the source's values.
    html = response.content.decode()
    facts = html[html.index('class="mcms-translation-facts') :]
    facts = facts[: facts.index("</section>")]
    assert "Gløshaugen" in facts
    assert "<input" not in facts and "<textarea" not in facts
    with translation.override("nb"):
        assert str(SessionPage._meta.get_field("place").verbose_name).capitalize() in (
            facts
        )
