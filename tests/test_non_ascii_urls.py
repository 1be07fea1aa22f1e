"""Non-ASCII slugs: Wagtail builds URLs percent-encoded (``/nb/h%C3%B8st/``)
while Django gives ``request.path`` decoded (``/nb/høst/``); every place that
compares the two must treat them as the same path."""

import re

import pytest
from django.http import Http404

from mentoring_cms.models import ProgramPage
from mentoring_cms.page_cache import same_path

from .application_helpers import apply_url
from .utils import make_programme, make_round, translate_page


def test_same_path_compares_decoded_paths():
    assert same_path("/nb/h%C3%B8strunde/", "/nb/høstrunde/")
    assert same_path("/nb/høstrunde/", "/nb/h%C3%B8strunde/")
    assert not same_path("/nb/h%C3%B8strunde/", "/nb/hostrunde/")
    assert not same_path(None, "/nb/")


@pytest.fixture
def nordic_round(home):
    programme = make_programme(
        home, title="Mentorprogram for førsteamanuenser", slug="førsteamanuenser"
    )
    programme_round = make_round(programme, title="Høstrunde", slug="høstrunde")
    translate_page(home, title="Home", slug="home-en")
    translate_page(programme, title="Mentoring programme", slug="programme")
    english = translate_page(programme_round, title="Autumn round", slug="autumn")
    return programme_round, english


@pytest.mark.django_db
def test_switcher_on_a_wizard_step_keeps_the_step_below_a_non_ascii_slug(
    client, nordic_round
):
    programme_round, english = nordic_round
    response = client.get(apply_url(programme_round, "mentee"), follow=True)
    assert response.status_code == 200
    step_path = response.redirect_chain[-1][0] if response.redirect_chain else ""
    html = response.content.decode()
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)"', nav))
    english_link = next(url for url, code in links.items() if code == "en")
    assert english_link.startswith(english.url + "apply/mentee/")
    assert step_path.endswith(english_link[len(english.url) :])


@pytest.mark.django_db
def test_a_page_that_404s_at_its_own_non_ascii_url_is_not_redirected_to_itself(
    client, monkeypatch, nordic_round
):
    programme = ProgramPage.objects.get(slug="førsteamanuenser")

    def not_found(self, request, *args, **kwargs):
        raise Http404

    monkeypatch.setattr(ProgramPage, "serve", not_found)
    response = client.get(programme.url)
    assert response.status_code == 404
