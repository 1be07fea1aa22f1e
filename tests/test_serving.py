"""Routing and view restrictions of the plugin's pages (one query per level)."""

import pytest
from wagtail.models import PageViewRestriction

from mentoring_cms.models import ProgramRoundPage, SessionPage

from .utils import make_contact_page, make_session


@pytest.mark.django_db
def test_route_returns_the_specific_child(rf, programme, open_round):
    session = make_session(open_round)
    result = programme.route(rf.get("/"), [open_round.slug, session.slug])
    page = result.page
    assert type(page) is SessionPage
    assert page.pk == session.pk
    assert page.start == session.start
    round_result = programme.route(rf.get("/"), [open_round.slug])
    assert type(round_result.page) is ProgramRoundPage
    assert round_result.page.faculty_quota == open_round.faculty_quota


@pytest.mark.django_db
def test_route_reaches_other_child_types_and_404s_unknown_slugs(client, programme):
    contact = make_contact_page(programme, email="hr@example.org")
    response = client.get(contact.url)
    assert response.status_code == 200
    assert client.get(programme.url + "finnes-ikke/").status_code == 404


@pytest.mark.django_db
def test_unpublished_child_is_not_served(client, open_round):
    session = make_session(open_round)
    url = session.url
    session.unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_view_restriction_on_an_ancestor_still_applies(client, programme, open_round):
    PageViewRestriction.objects.create(
        page=programme,
        restriction_type=PageViewRestriction.PASSWORD,
        password="hemmelig",
    )
    response = client.get(open_round.url)
    assert response.status_code == 200
    assert open_round.title not in response.content.decode()
    assert 'name="password"' in response.content.decode()


@pytest.mark.django_db
def test_view_restriction_on_an_alias_source_applies_to_the_alias(
    client, home, programme, open_round
):
    other = programme.create_alias(update_slug="alias-av-program")
    PageViewRestriction.objects.create(
        page=programme,
        restriction_type=PageViewRestriction.PASSWORD,
        password="hemmelig",
    )
    assert other.specific.get_view_restrictions().count() == 1
    assert open_round.get_view_restrictions().count() == 1
    assert home.specific.get_view_restrictions().count() == 0


@pytest.mark.django_db
def test_listed_children_link_to_the_urls_wagtail_gives_them(
    client, rf, programme, open_round
):
    from mentoring_cms.models import ProgramRoundPage

    sessions = [
        make_session(open_round, title=f"Samling {n}", slug=f"samling-{n}")
        for n in range(3)
    ]
    fresh = ProgramRoundPage.objects.get(pk=open_round.pk)
    request = rf.get(fresh.url)
    fresh.get_context(request)
    for listed, session in zip(fresh.sessions, sessions, strict=True):
        assert listed._parent_url_parts is not None
        assert listed.get_url(request) == session.get_url(request)
        assert listed.full_url == session.full_url
    programme_context = programme.get_context(request)
    assert [r.get_url(request) for r in programme_context["rounds"]] == [
        open_round.get_url(request)
    ]
    response = client.get(open_round.url)
    for session in sessions:
        assert f'href="{session.url}"' in response.content.decode()


FILTERED_WHEN = (
    '<p><time datetime="{{ session.start|date:\'c\' }}">{{ session.start|date:"l" }} '
    '{{ session.start|date:"DATE_FORMAT" }}, {{ session.start|date:"TIME_FORMAT" }}'
    "</time>–<time datetime=\"{{ session.end|date:'c' }}\">"
    '{% if session.start|date:"Ymd" != session.end|date:"Ymd" %}'
    '{{ session.end|date:"DATE_FORMAT" }}, {% endif %}'
    '{{ session.end|date:"TIME_FORMAT" }}</time></p>'
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((2027, 1, 5, 7, 30), (2027, 1, 5, 15, 0)),
        # 22:00 UTC is the next day in Oslo: days compare in local time.
        ((2027, 6, 30, 22, 0), (2027, 7, 2, 10, 0)),
    ],
)
def test_session_times_read_as_django_date_filters_would_show_them(
    language, start, end
):
    import datetime

    from django.template import engines
    from django.template.loader import render_to_string
    from django.utils import translation

    utc = datetime.UTC
    session = SessionPage(
        start=datetime.datetime(*start, tzinfo=utc),
        end=datetime.datetime(*end, tzinfo=utc),
    )
    with translation.override(language):
        expected = (
            engines["django"].from_string(FILTERED_WHEN).render({"session": session})
        )
        shown = render_to_string(
            "mentoring_cms/includes/session_when.html", {"session": session}
        )
    assert shown.strip() == expected.strip()
