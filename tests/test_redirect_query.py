"""Every redirect of the plugin and the demo site keeps the query string the
request came with (a newsletter's ``?utm_source=…``): the wizard's step
redirects (start link, unknown step, skipping ahead, next, back, the final
submission), the language redirects of the demo site, the fallback to a
translation and Wagtail's configured redirects."""

from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.contrib.redirects.models import Redirect

from mentoring_cms.models import Application

from .application_helpers import (
    apply_url,
    clear_rate_limits,  # noqa: F401
    consent_fields,
    mentee_answers,
    post_step,
    walk,
)
from .utils import make_programme, translate_page

pytestmark = pytest.mark.django_db

QUERY = "utm_source=newsletter&utm_campaign=h%C3%B8st"
EXPECTED = {"utm_source": ["newsletter"], "utm_campaign": ["høst"]}


def assert_keeps_query(response, path=None):
    assert response.status_code in (301, 302), response.status_code
    location = urlsplit(response["Location"])
    assert parse_qs(location.query) == EXPECTED, response["Location"]
    if path is not None:
        assert location.path == path


def with_query(url):
    return f"{url}?{QUERY}"


def test_the_wizard_redirects_keep_the_query(client, open_round, faculty):
    answers = mentee_answers(faculty)
    role = "mentee"
    # The start link and an unknown step lead to the first step.
    first = apply_url(open_round, role, "about")
    assert_keeps_query(client.get(with_query(apply_url(open_round, role))), first)
    assert_keeps_query(
        client.get(with_query(apply_url(open_round, role, "nowhere"))), first
    )
    # Skipping ahead leads back to the first unanswered step.
    assert_keeps_query(
        client.get(with_query(apply_url(open_round, role, "consent"))), first
    )
    # Each valid step leads to the next; Back to the one before.
    steps = list(answers)
    for index, step in enumerate(steps[:-1]):
        fields = answers[step]
        if step == "consent":
            fields = consent_fields(client, open_round, role, fields)
        data = {
            f"mentoring_cms_{open_round.translation_key.hex}_{role}-current_step": step
        }
        data.update({f"{step}-{name}": value for name, value in fields.items()})
        response = client.post(with_query(apply_url(open_round, role, step)), data)
        assert_keeps_query(response, apply_url(open_round, role, steps[index + 1]))
    back = {
        f"mentoring_cms_{open_round.translation_key.hex}_{role}-current_step": "review",
        "wizard_back": "1",
    }
    response = client.post(with_query(apply_url(open_round, role, "review")), back)
    assert_keeps_query(response, apply_url(open_round, role, "consent"))
    # The final submission leads to the confirmation.
    submit = {
        f"mentoring_cms_{open_round.translation_key.hex}_{role}-current_step": "review"
    }
    response = client.post(with_query(apply_url(open_round, role, "review")), submit)
    assert_keeps_query(response)
    reference = Application.objects.get().reference
    assert urlsplit(response["Location"]).path.endswith(f"/done/{reference}/")


def test_the_wizards_own_parameters_do_not_follow_to_the_next_step(
    client, open_round, faculty
):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    response = post_step(
        client, open_round, "mentee", "about", mentee_answers(faculty)["about"]
    )
    assert response.status_code == 302
    url = apply_url(open_round, "mentee", "about") + "?return=review&utm_source=x"
    data = {
        f"mentoring_cms_{open_round.translation_key.hex}_mentee-current_step": "about",
        "wizard_return": "review",
        **{f"about-{k}": v for k, v in mentee_answers(faculty)["about"].items()},
    }
    response = client.post(url, data)
    assert response["Location"] == (
        apply_url(open_round, "mentee", "review") + "?utm_source=x"
    )


def test_the_demo_sites_language_redirects_keep_the_query(client, home):
    programme = make_programme(home)
    assert_keeps_query(client.get(with_query("/")), "/nb/")
    # No language prefix: Django's LocaleMiddleware adds it.
    assert_keeps_query(client.get(with_query("/mentorprogram/")), programme.url)
    # No English home page: Wagtail serves the Norwegian tree, and the
    # plugin sends the reader to the Norwegian URL.
    assert_keeps_query(client.get(with_query("/en/")), "/nb/")
    assert_keeps_query(client.get(with_query("/en/mentorprogram/")), programme.url)
    # A page not translated to English: the Norwegian page.
    translate_page(home, title="Home", slug="home-en")
    assert_keeps_query(client.get(with_query("/en/mentorprogram/")), programme.url)
    # A page without its trailing slash.
    assert_keeps_query(client.get(with_query("/nb/mentorprogram")), programme.url)


def test_wagtails_configured_redirects_keep_the_query(client, home):
    programme = make_programme(home)
    Redirect.objects.create(old_path="/nb/gammel", redirect_page=programme)
    assert_keeps_query(client.get(with_query("/nb/gammel/")), programme.url)
    Redirect.objects.create(
        old_path="/nb/kampanje", redirect_link="https://example.org/?ref=mail"
    )
    response = client.get(with_query("/nb/kampanje/"))
    assert response["Location"] == "https://example.org/?ref=mail"
