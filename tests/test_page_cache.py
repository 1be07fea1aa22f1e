"""The anonymous page cache: served without queries, emptied by publishing."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from mentoring_cms import page_cache

from .utils import get_locale, make_round, make_session


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MENTORING_CMS_PAGE_CACHE_TIMEOUT = 300
    cache.clear()
    yield
    cache.clear()


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured.captured_queries)


@pytest.mark.django_db
def test_second_anonymous_request_is_served_from_the_cache(client, open_round):
    first, first_queries = _get(client, open_round.url)
    second, second_queries = _get(client, open_round.url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


@pytest.mark.django_db
def test_publishing_the_page_empties_the_cache(client, open_round):
    _get(client, open_round.url)
    open_round.title = "Runde med ny tittel"
    revision = open_round.save_revision()
    revision.publish()
    response, queries = _get(client, open_round.url)
    assert queries > 0
    assert "Runde med ny tittel" in response.content.decode()


@pytest.mark.django_db
def test_publishing_a_child_session_empties_the_cache_of_the_round(client, open_round):
    session = make_session(open_round, title="Første samling")
    _get(client, open_round.url)
    session.title = "Flyttet samling"
    session.save_revision().publish()
    _response, queries = _get(client, open_round.url)
    assert queries > 0


@pytest.mark.django_db
def test_unpublishing_empties_the_cache(client, open_round):
    url = open_round.url
    _get(client, url)
    open_round.unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_each_language_has_its_own_entry(client, home, programme, open_round):
    en = get_locale("en")
    for page in (home, programme):
        page.copy_for_translation(en).save_revision().publish()
    english = open_round.copy_for_translation(en)
    english.title = "Round in English"
    english.save_revision().publish()
    _get(client, open_round.url)
    _get(client, english.url)
    nb_response, nb_queries = _get(client, open_round.url)
    en_response, en_queries = _get(client, english.url)
    assert nb_queries == en_queries == 0
    assert 'lang="nb"' in nb_response.content.decode()
    assert "Round in English" in en_response.content.decode()
    assert 'lang="en"' in en_response.content.decode()


@pytest.mark.django_db
def test_visitors_with_a_session_are_never_served_from_the_cache(
    client, admin_user, open_round
):
    _get(client, open_round.url)
    client.force_login(admin_user)
    response, queries = _get(client, open_round.url)
    assert response.status_code == 200
    assert queries > 0
    # …and what they see is not stored for anonymous visitors.
    client.logout()
    client.cookies.clear()
    _get(client, open_round.url)
    _response, anonymous_queries = _get(client, open_round.url)
    assert anonymous_queries == 0


@pytest.mark.django_db
def test_query_strings_and_unknown_urls_are_not_cached(client, programme, open_round):
    _get(client, open_round.url + "?utm=x")
    _response, queries = _get(client, open_round.url + "?utm=x")
    assert queries > 0
    missing = programme.url + "finnes-ikke/"
    client.get(missing)
    response, queries = _get(client, missing)
    assert response.status_code == 404
    assert queries > 0


@pytest.mark.django_db
def test_cache_off_when_timeout_is_zero(client, settings, open_round):
    settings.MENTORING_CMS_PAGE_CACHE_TIMEOUT = 0
    _get(client, open_round.url)
    _response, queries = _get(client, open_round.url)
    assert queries > 0


@pytest.mark.django_db
def test_cached_round_page_expires_when_applications_close(programme):
    closes = timezone.now() + datetime.timedelta(seconds=90)
    programme_round = make_round(
        programme,
        application_opens=timezone.now() - datetime.timedelta(days=1),
        application_closes=closes,
    )
    assert 1 <= programme_round.get_page_cache_timeout() <= 91
    programme.get_context(None)
    assert programme.get_page_cache_timeout() <= 91


@pytest.mark.django_db
def test_saving_a_faculty_empties_the_cache(open_round):
    from .utils import make_faculty

    generation = page_cache.current_generation(cache)
    make_faculty()
    assert page_cache.current_generation(cache) != generation


@pytest.mark.django_db
def test_responses_that_forbid_storing_are_not_cached(rf, open_round):
    from django.http import HttpResponse

    def view(request):
        request.mentoring_cms_page = open_round
        response = HttpResponse("personal")
        response["Cache-Control"] = "no-store"
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    request = rf.get(open_round.url)
    middleware(request)
    assert (
        cache.get(page_cache.cache_key(request, page_cache.current_generation(cache)))
        is None
    )


@pytest.mark.django_db
def test_application_wizard_pages_are_never_cached(client, open_round):
    from .application_helpers import apply_url

    start = apply_url(open_round, "mentee")
    first = client.get(start, follow=True)
    assert first.status_code == 200
    # A fresh anonymous visitor asks for the same step: rendered, not replayed.
    client.cookies.clear()
    step_url = first.redirect_chain[-1][0] if first.redirect_chain else start
    for _attempt in range(2):
        client.cookies.clear()
        response, queries = _get(client, step_url)
        assert response.status_code == 200
        assert queries > 0


# Non-ASCII slugs: Wagtail's URLs are percent-encoded, request.path is not.


@pytest.mark.django_db
def test_pages_with_non_ascii_slugs_are_served_from_the_cache(client, home):
    from .utils import make_programme

    programme = make_programme(
        home, title="Mentorprogram for førsteamanuenser", slug="førsteamanuenser"
    )
    programme_round = make_round(programme, title="Høstrunde", slug="høstrunde")
    session = make_session(programme_round, title="Første samling", slug="første")
    for page in (programme, programme_round, session):
        url = page.url
        assert "%C3%B8" in url
        first, first_queries = _get(client, url)
        second, second_queries = _get(client, url)
        assert first.status_code == second.status_code == 200
        assert first_queries > 0
        assert second_queries == 0, url
        assert second.content == first.content


@pytest.mark.django_db
def test_listed_children_with_non_ascii_slugs_link_percent_encoded(client, programme):
    programme_round = make_round(programme, title="Høstrunde", slug="høstrunde")
    session = make_session(programme_round, title="Første samling", slug="første")
    html = client.get(programme_round.url).content.decode()
    assert f'href="{session.url}"' in html
    assert session.url.endswith("/h%C3%B8strunde/f%C3%B8rste/")


# Deploys: the key prefix is the plugin's version or a setting.


@pytest.mark.django_db
def test_a_new_plugin_version_starts_with_an_empty_cache(
    client, monkeypatch, open_round
):
    _get(client, open_round.url)
    _response, queries = _get(client, open_round.url)
    assert queries == 0
    monkeypatch.setattr(page_cache, "package_version", lambda: "99.0.0")
    _response, queries = _get(client, open_round.url)
    assert queries > 0
    _response, queries = _get(client, open_round.url)
    assert queries == 0


@pytest.mark.django_db
def test_the_key_prefix_setting_starts_a_new_cache(client, settings, open_round):
    settings.MENTORING_CMS_PAGE_CACHE_KEY_PREFIX = "deploy-1"
    _get(client, open_round.url)
    _response, queries = _get(client, open_round.url)
    assert queries == 0
    settings.MENTORING_CMS_PAGE_CACHE_KEY_PREFIX = "deploy-2"
    _response, queries = _get(client, open_round.url)
    assert queries > 0


def test_the_default_prefix_is_the_installed_version():
    import importlib.metadata

    assert page_cache.package_version() == importlib.metadata.version("mentoring-cms")
    assert page_cache.key_prefix() == f"mentoring_cms:{page_cache.package_version()}"


@pytest.mark.django_db
def test_clear_page_cache_command_empties_the_cache(client, open_round):
    from django.core.management import call_command

    _get(client, open_round.url)
    call_command("clear_page_cache", stdout=io.StringIO())
    _response, queries = _get(client, open_round.url)
    assert queries > 0


# Who may see a page: restrictions on the page or an ancestor, added, changed
# or removed, purge the cache; a restricted page is never stored.

RESTRICTIONS = [
    PageViewRestriction.PASSWORD,
    PageViewRestriction.LOGIN,
    PageViewRestriction.GROUPS,
]


def _restrict(page, restriction_type):
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password="hemmelig" if restriction_type == PageViewRestriction.PASSWORD else "",
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.get_or_create(name="Styret")[0])
    return restriction


@pytest.fixture(params=["page", "ancestor"])
def restricted_target(request, programme, open_round):
    return open_round if request.param == "page" else programme


@pytest.mark.django_db
@pytest.mark.parametrize("restriction_type", RESTRICTIONS)
def test_adding_a_restriction_stops_anonymous_visitors_at_once(
    client, open_round, restricted_target, restriction_type
):
    _get(client, open_round.url)
    _response, queries = _get(client, open_round.url)
    assert queries == 0
    _restrict(restricted_target, restriction_type)
    for _attempt in range(2):
        response = client.get(open_round.url)
        assert open_round.title not in response.content.decode()
        if restriction_type == PageViewRestriction.PASSWORD:
            assert response.status_code == 200
            assert 'name="password"' in response.content.decode()
        else:
            assert response.status_code == 302
            assert "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("restriction_type", RESTRICTIONS)
def test_removing_a_restriction_shows_the_page_at_once(
    client, open_round, restricted_target, restriction_type
):
    restriction = _restrict(restricted_target, restriction_type)
    assert open_round.title not in client.get(open_round.url).content.decode()
    generation = page_cache.current_generation(cache)
    restriction.delete()
    assert page_cache.current_generation(cache) != generation
    response = client.get(open_round.url)
    assert response.status_code == 200
    assert open_round.title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("restriction_type", "change"),
    [
        (PageViewRestriction.PASSWORD, "password"),
        (PageViewRestriction.PASSWORD, "type"),
        (PageViewRestriction.LOGIN, "type"),
        (PageViewRestriction.GROUPS, "add group"),
        (PageViewRestriction.GROUPS, "remove group"),
        (PageViewRestriction.GROUPS, "clear groups"),
    ],
)
def test_changing_a_restriction_empties_the_cache(
    open_round, restricted_target, restriction_type, change
):
    restriction = _restrict(restricted_target, restriction_type)
    generation = page_cache.current_generation(cache)
    if change == "password":
        restriction.password = "nytt-passord"
        restriction.save()
    elif change == "type":
        restriction.restriction_type = (
            PageViewRestriction.LOGIN
            if restriction_type == PageViewRestriction.PASSWORD
            else PageViewRestriction.PASSWORD
        )
        restriction.password = "hemmelig"
        restriction.save()
    elif change == "add group":
        restriction.groups.add(Group.objects.create(name="Ledelsen"))
    elif change == "remove group":
        restriction.groups.remove(restriction.groups.get())
    else:
        restriction.groups.clear()
    assert page_cache.current_generation(cache) != generation


@pytest.mark.django_db
@pytest.mark.parametrize("restriction_type", RESTRICTIONS)
def test_a_restricted_page_is_never_stored(
    rf, admin_user, open_round, restricted_target, restriction_type
):
    """Even a request without cookies that passes the restriction (a site
    that authenticates each request itself), answered without Wagtail's
    ``Cache-Control: private`` (a site's middleware that sets its own),
    leaves nothing for the next anonymous visitor."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import resolve
    from django.utils import translation

    restriction = _restrict(restricted_target, restriction_type)
    session = SessionStore()
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]

    def serve(request):
        request.user = admin_user
        request.session = session
        match = resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
        del response["Cache-Control"]
        return response.render() if hasattr(response, "render") else response

    middleware = page_cache.PageCacheMiddleware(serve)
    with translation.override("nb"):
        request = rf.get(open_round.url)
        response = middleware(request)
        assert response.status_code == 200
        assert open_round.title in response.content.decode()
        key = page_cache.cache_key(request, page_cache.current_generation(cache))
    assert cache.get(key) is None


@pytest.mark.django_db
def test_making_a_round_private_in_the_admin_reaches_anonymous_visitors_at_once(
    client, admin_user, open_round
):
    from django.test import Client
    from django.urls import reverse

    _get(client, open_round.url)
    _response, queries = _get(client, open_round.url)
    assert queries == 0
    editor = Client()
    editor.force_login(admin_user)
    privacy_url = reverse("wagtailadmin_pages:set_privacy", args=[open_round.pk])
    response = editor.post(
        privacy_url, {"restriction_type": "password", "password": "hemmelig"}
    )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=open_round).exists()
    response = client.get(open_round.url)
    assert 'name="password"' in response.content.decode()
    assert open_round.title not in response.content.decode()
    # …and public again when the restriction is removed.
    editor.post(privacy_url, {"restriction_type": "none"})
    assert not PageViewRestriction.objects.filter(page=open_round).exists()
    response = client.get(open_round.url)
    assert open_round.title in response.content.decode()
