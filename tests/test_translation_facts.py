"""Facts (dates, times, audience, place, places…) follow the source page into
every translation the moment the source is published; texts stay
translated."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail_localize.fields import get_translatable_fields

from mentoring_cms.models import ProgramRoundPage, SessionPage

from .utils import make_round, make_session, oslo, translate_page


@pytest.fixture
def tree(home, programme):
    programme_round = make_round(
        programme,
        title="Runde 2031",
        slug="runde-2031",
        application_opens=oslo(2031, 3, 1, 9),
        application_closes=oslo(2031, 4, 1, 12),
        period_start=datetime.date(2031, 8, 15),
        period_end=datetime.date(2032, 6, 15),
    )
    session = make_session(
        programme_round,
        title="Oppstartssamling",
        slug="oppstart",
        start=oslo(2031, 9, 2, 9),
        end=oslo(2031, 9, 2, 15),
        place="Gløshaugen",
    )
    translate_page(home, title="Home", slug="home-en")
    translate_page(programme, title="Mentoring programme", slug="mentoring")
    round_en = translate_page(programme_round, title="Round 2031")
    session_en = translate_page(session, title="Opening gathering", slug="opening")
    return programme_round, session, round_en, session_en


def move_to_ten(session):
    session.start = oslo(2031, 9, 2, 10)
    session.end = oslo(2031, 9, 2, 16)
    session.place = "Dragvoll"
    session.audience = SessionPage.Audience.MENTEES
    session.save_revision().publish()


def test_a_changed_time_is_shown_in_english_at_once(client, tree):
    _round, session, round_en, session_en = tree
    move_to_ten(session)
    session_en.refresh_from_db()
    assert session_en.start == oslo(2031, 9, 2, 10)
    assert session_en.place == "Dragvoll"
    assert session_en.audience == "mentees"
    assert session_en.title == "Opening gathering"
    assert session_en.live and not session_en.has_unpublished_changes
    # The translation's editor starts from the new facts too.
    assert session_en.get_latest_revision_as_object().start == oslo(2031, 9, 2, 10)
    for url in (session_en.url, round_en.url):
        html = client.get(url).content.decode()
        assert "10:00" in html and "9:00 a.m." not in html, url
        assert "Opening gathering" in html
    assert "Dragvoll" in client.get(session_en.url).content.decode()


def test_a_pending_english_draft_gets_the_facts_but_stays_a_draft(tree):
    _round, session, _round_en, session_en = tree
    draft = session_en.get_latest_revision_as_object()
    draft.title = "Opening gathering (draft)"
    draft.save_revision()
    move_to_ten(session)
    session_en.refresh_from_db()
    # Live at once …
    assert session_en.start == oslo(2031, 9, 2, 10)
    assert session_en.title == "Opening gathering"
    # … and the draft keeps its text, with the new facts, unpublished.
    assert session_en.has_unpublished_changes
    draft = session_en.get_latest_revision_as_object()
    assert draft.title == "Opening gathering (draft)"
    assert draft.start == oslo(2031, 9, 2, 10)


def test_round_facts_follow_the_source(tree):
    programme_round, _session, round_en, _session_en = tree
    programme_round.mentee_places = 24
    programme_round.application_closes = oslo(2031, 4, 2, 12)
    programme_round.nomination_deadline = datetime.date(2031, 5, 2)
    programme_round.save_revision().publish()
    round_en.refresh_from_db()
    assert round_en.mentee_places == 24
    assert round_en.nomination_deadline == datetime.date(2031, 5, 2)
    assert round_en.application_closes == oslo(2031, 4, 2, 12)
    assert round_en.title == "Round 2031"


def test_publishing_a_translation_changes_nothing_in_the_source(tree):
    _round, session, _round_en, session_en = tree
    session_en.start = oslo(2031, 9, 2, 11)
    session_en.save_revision().publish()
    session.refresh_from_db()
    assert session.start == oslo(2031, 9, 2, 9)


@pytest.mark.parametrize(
    "model, fields",
    [
        (SessionPage, {"start", "end", "place", "format", "audience", "mandatory"}),
        (
            ProgramRoundPage,
            {
                "period_start",
                "period_end",
                "application_opens",
                "application_closes",
                "decisions_by",
                "nomination_deadline",
                "mentee_places",
                "mentor_places",
                "faculty_quota",
                "meetings_min",
                "meetings_max",
                "gathering_language",
            },
        ),
    ],
)
def test_facts_are_synchronised_and_not_overridable(model, fields):
    by_name = {field.field_name: field for field in get_translatable_fields(model)}
    instance = model()
    for name in fields:
        assert by_name[name].is_synchronized(instance), name
        assert not by_name[name].is_overridable(instance), name
        assert not by_name[name].is_translated(instance), name
    assert by_name["title"].is_translated(instance)


def test_the_english_page_editor_shows_the_facts_read_only(client, superuser, tree):
    _round, session, _round_en, session_en = tree
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:edit", args=[session_en.pk])
    # A page made outside wagtail-localize opens in Wagtail's page editor.
    with translation.override("en"):
        html = client.get(url).content.decode()
    assert 'name="place"' in html
    place_input = html[
        html.index('name="place"') - 300 : html.index('name="place"') + 300
    ]
    assert "disabled" in place_input
    # The Norwegian page's own editor leaves them editable.
    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[session.pk])
    ).content.decode()
    place_input = html[
        html.index('name="place"') - 300 : html.index('name="place"') + 300
    ]
    assert "disabled" not in place_input


def test_the_cached_english_pages_show_the_new_time(client, settings, tree):
    from django.core.cache import cache

    settings.MENTORING_CMS_PAGE_CACHE_TIMEOUT = 300
    cache.clear()
    _round, session, round_en, session_en = tree
    for url in (session_en.url, round_en.url):
        assert (
            'datetime="2031-09-02T09:00:00+02:00"' in client.get(url).content.decode()
        )
    move_to_ten(session)
    for url in (session_en.url, round_en.url):
        html = client.get(url).content.decode()
        assert 'datetime="2031-09-02T10:00:00+02:00"' in html, url
    cache.clear()


def test_translations_start_as_drafts_is_checked(settings):
    from mentoring_cms.checks import check_translations_start_as_drafts

    assert check_translations_start_as_drafts() == []
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = True
    assert [w.id for w in check_translations_start_as_drafts()] == [
        "mentoring_cms.W005"
    ]


def test_an_english_page_without_a_source_keeps_its_facts_editable(
    client, superuser, tree
):
    _round, _session, round_en, _session_en = tree
    english_only = make_session(
        round_en, title="Extra gathering", slug="extra", locale=round_en.locale
    )
    english_only.save_revision()
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:edit", args=[english_only.pk])
    html = client.get(url).content.decode()
    place_input = html[
        html.index('name="place"') - 300 : html.index('name="place"') + 300
    ]
    assert "disabled" not in place_input
