"""Small faults of the application pages: the form's introduction is the
applicant's role's, the commitment step lists the gatherings of the
applicant's group, and a date or time that ends a sentence ends it with one
full stop."""

import datetime
import re

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from .application_helpers import apply_url, mentee_answers, mentor_answers, walk
from .utils import make_round, make_session, oslo, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_round(programme):
    programme_round = make_round(
        programme,
        title="Runde 2031",
        slug="runde-2031",
        application_opens=oslo(2031, 3, 1, 9),
        application_closes=oslo(2031, 4, 1, 23, 59),
        period_start=datetime.date(2031, 8, 15),
        period_end=datetime.date(2032, 6, 15),
        form_intro="<p>Som adept trenger du en motivasjonstekst.</p>",
        mentor_form_intro="<p>Som mentor forteller du om erfaringen din.</p>",
    )
    for day, audience, title in (
        (2, "all", "Oppstart for alle"),
        (9, "mentees", "Samling for adepter"),
        (16, "mentors", "Samling for mentorer"),
    ):
        make_session(
            programme_round,
            title=title,
            slug=f"samling-{day}",
            start=oslo(2031, 9, day, 9),
            end=oslo(2031, 9, day, 15),
            audience=audience,
        )
    return programme_round


@time_machine.travel(datetime.datetime(2031, 3, 15, 12, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    "role, own, other",
    [
        ("mentee", "Som adept trenger du", "Som mentor forteller du"),
        ("mentor", "Som mentor forteller du", "Som adept trenger du"),
    ],
)
def test_the_introduction_is_the_roles_own(client, programme_round, role, own, other):
    html = client.get(apply_url(programme_round, role, "about")).content.decode()
    assert own in html
    assert other not in html


@time_machine.travel(datetime.datetime(2031, 3, 15, 12, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    "role, listed, not_listed",
    [
        ("mentee", "Samling for adepter", "Samling for mentorer"),
        ("mentor", "Samling for mentorer", "Samling for adepter"),
    ],
)
def test_the_commitment_step_lists_the_roles_gatherings(
    client, programme_round, faculty, role, listed, not_listed
):
    answers = (mentee_answers if role == "mentee" else mentor_answers)(faculty)
    answers = {
        step: fields
        for step, fields in answers.items()
        if step not in ("consent", "review")
    }
    walk(client, programme_round, role, answers)
    response = client.get(apply_url(programme_round, role, "consent"))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('class="mcms-gatherings"') :]
    section = section[: section.index("</section>")]
    assert "Oppstart for alle" in section and listed in section
    assert not_listed not in section
    # Their dates, in the reader's language.
    assert "2. september 2031" in section


def render(template, **context):
    return Template("{% load mentoring_cms_tags %}" + template).render(Context(context))


@pytest.mark.parametrize(
    "moment, english",
    [
        (oslo(2031, 4, 1, 23, 59), "11:59 p.m."),
        (oslo(2031, 4, 1, 9, 0), "9 a.m."),
        (oslo(2031, 4, 1, 12, 0), "noon"),
    ],
)
def test_a_time_ending_a_sentence_ends_it_in_one_full_stop(moment, english):
    with translation.override("en"):
        text = render("The deadline is {{ when|sentence_end }}.", when=moment)
    assert text.endswith(f"{english}") or text.endswith(f"{english}.")
    assert ".." not in text
    with translation.override("nb"):
        text = render("Fristen er {{ when|sentence_end }}.", when=moment)
    assert ".." not in text and text.endswith(".")


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2031, 3, 15, 12, tzinfo=datetime.UTC),  # open
        datetime.datetime(2031, 2, 15, 12, tzinfo=datetime.UTC),  # planned
    ],
)
def test_no_page_doubles_a_full_stop_after_a_time(client, home, programme_round, now):
    """Every page that shows a date or time in a sentence: the round, the
    programme, and the application's closed page, in English."""
    translate_page(home, title="Home", slug="home-en")
    programme_en = translate_page(
        programme_round.get_parent(), title="Mentoring programme", slug="mentoring"
    )
    round_en = translate_page(programme_round, title="Round 2031")
    with time_machine.travel(now):
        urls = [
            round_en.url,
            programme_en.url,
            apply_url(round_en, "mentee", "about"),
        ]
        for url in urls:
            response = client.get(url, follow=True)
            html = response.content.decode()
            assert response.status_code == 200, url
            assert not re.search(r"\.\.(?!\.)", html.replace("...", "")), url
            assert re.search(r"(a\.m\.|p\.m\.)\.", html) is None, url
        html = client.get(round_en.url).content.decode()
        assert "11:59 p.m." in html or "9 a.m." in html
