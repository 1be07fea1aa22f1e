"""What the participation stage writes out: rich text as plain text in the
calendar feeds, the personal data download (GDPR Art. 15), the personal
page's language switcher, and sentences that end in a time abbreviation
("9 a.m.") with one full stop, not two."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from mentoring_cms.models import (
    Application,
    Match,
    Nomination,
    Review,
    Score,
    SelectionCriterion,
)
from mentoring_cms.plain_text import html_to_text

from .application_helpers import translate_page
from .participation_helpers import (  # noqa: F401
    clear_rate_limits,
    feed_url,
    gathering,
    make_running_round,
    page_url,
    participant,
)
from .utils import get_locale, make_faculty, oslo, set_admin_language, translate_snippet

pytestmark = pytest.mark.django_db

AGENDA = (
    "<p>Welcome and the programme</p><p>Getting to know each other</p>"
    "<ul><li>Roles</li><li>Expectations &amp; <b>goals</b></li></ul>"
    "<h3>Lunch</h3>Coffee<br>Cake"
)
AGENDA_TEXT = (
    "Welcome and the programme\nGetting to know each other\n- Roles\n"
    "- Expectations & goals\nLunch\nCoffee\nCake"
)


@pytest.fixture
def running(programme):
    return make_running_round(programme)


# 4. Rich text as plain text -------------------------------------------------


def test_html_to_text_keeps_blocks_apart():
    assert html_to_text(AGENDA) == AGENDA_TEXT
    assert html_to_text(None) == ""
    assert html_to_text("") == ""
    assert html_to_text("<ul><li><p>Nested</p></li><li></li></ul>") == "- Nested"
    assert html_to_text("<p>a&nbsp;b</p><script>x()</script>") == "a b"


def _description(content, title):
    calendar = Calendar.from_ical(content)
    for event in calendar.walk("VEVENT"):
        if str(event["summary"]) == title:
            return str(event["description"])
    raise AssertionError(title)


def test_feeds_separate_agenda_items(client, running):
    gathering(running, 10, title="Oppstart", agenda=AGENDA)
    mentee = participant(running)
    personal = _description(client.get(feed_url(mentee)).content, "Oppstart")
    public_url = reverse(
        "mentoring_cms:round_calendar",
        kwargs={
            "round_key": running.translation_key,
            "language": "nb",
            "audience": "all",
        },
    )
    public = _description(client.get(public_url).content, "Oppstart")
    for description in (personal, public):
        assert AGENDA_TEXT in description
        assert "programmeGetting" not in description


# 5. The personal data download ---------------------------------------------


def _reviewed_mentee(running, language):
    faculty = make_faculty(name="Fakultet for naturvitenskap")
    translate_snippet(faculty, "en", name="Faculty of Natural Sciences")
    mentee = participant(
        running, faculty=faculty, language=language, full_name="Kari Nordmann"
    )
    mentor = participant(
        running,
        role=Application.Role.MENTOR,
        full_name="Per Mentor",
        email="per.mentor@example.org",
    )
    Match.objects.create(round=running, mentor=mentor, mentee=mentee)
    Nomination.objects.create(
        application=mentee,
        nominated_by=get_user_model().objects.create_user("koordinator"),
        justification="Sterk kandidat.",
    )
    criterion = SelectionCriterion.objects.create(
        round=running, label="Motivasjon", locale=get_locale("nb")
    )
    translate_snippet(criterion, "en", label="Motivation")
    reviewer = get_user_model().objects.create_user("komite-hemmelig")
    review = Review.objects.create(application=mentee, reviewer=reviewer, mean=4)
    Score.objects.create(
        review=review, criterion=criterion, value=4, comment="Godt begrunnet."
    )
    return mentee


def test_the_download_holds_partner_nominations_and_reviews(client, running):
    mentee = _reviewed_mentee(running, "nb")
    response = client.get(page_url(mentee, "data"))
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["partner"] == {
        "full_name": "Per Mentor",
        "role": "mentor",
        "email": "per.mentor@example.org",
    }
    assert [n["justification"] for n in data["nominations"]] == ["Sterk kandidat."]
    assert data["nominations"][0]["withdrawn_at"] is None
    [review] = data["reviews"]
    assert review["mean"] == 4
    assert review["scores"] == [
        {
            "criterion": "Motivasjon",
            "scale": [1, 5],
            "score": 4,
            "comment": "Godt begrunnet.",
        }
    ]
    # Who nominated and who reviewed her is withheld, and the file says so.
    assert "komite-hemmelig" not in raw
    assert "koordinator" not in raw
    assert "15" in data["withheld"]


def test_the_download_is_in_her_language(client, running):
    translate_page(running, "en", title="Round 2026")
    mentee = _reviewed_mentee(running, "en")
    data = json.loads(client.get(page_url(mentee, "data")).content)
    assert data["round"] == "Round 2026"
    assert data["faculty"] == "Faculty of Natural Sciences"
    assert data["reviews"][0]["scores"][0]["criterion"] == "Motivation"
    assert "GDPR Art. 15(4)" in data["withheld"]


def test_the_download_costs_the_same_with_more_rows(
    client, running, django_assert_max_num_queries
):
    mentee = _reviewed_mentee(running, "nb")
    with django_assert_max_num_queries(30):
        client.get(page_url(mentee, "data"))
    reviewer = get_user_model().objects.create_user("komite2")
    criterion = Score.objects.get().criterion
    for _ in range(3):
        review = Review.objects.create(application=mentee, reviewer=reviewer, mean=3)
        Score.objects.create(review=review, criterion=criterion, value=3)
        reviewer = get_user_model().objects.create_user(f"komite-{review.pk}")
    with django_assert_max_num_queries(30):
        client.get(page_url(mentee, "data"))


# 6. The language switcher of the personal page -----------------------------


def test_the_switcher_leads_to_the_same_personal_page(client, running):
    mentee = participant(running, language="nb")
    url = page_url(mentee)
    html = client.get(url).content.decode()
    assert f'href="{url}?lang=en"' in html
    assert 'href="/en/"' not in html
    english = client.get(f"{url}?lang=en")
    assert english.status_code == 200
    text = english.content.decode()
    assert "My page" in text
    assert mentee.reference in text
    assert f'href="{url}?lang=nb"' in text
    # Her actions keep the language she chose.
    action = reverse(
        "mentoring_cms:personal_meeting", kwargs={"token": url.split("/")[-2]}
    )
    assert f'action="{action}?lang=en"' in text
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(f"{action}?lang=en", {"date": day.isoformat()})
    assert response.status_code == 302
    assert "lang=en" in response["Location"]
    assert response["Location"].endswith("#meetings")


def test_the_switcher_of_a_bad_link_stays_on_that_page(client):
    url = reverse("mentoring_cms:personal_page", kwargs={"token": "not-a-token"})
    html = client.get(url).content.decode()
    assert f'href="{url}?lang=en"' in html
    assert client.get(f"{url}?lang=en").status_code == 403


# 7. One full stop after a time abbreviation ----------------------------------

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "mentoring_cms" / "templates", ROOT / "templates"]
BLOCK = re.compile(
    r"\{%\s*blocktranslate\b(?P<head>.*?)%\}(?P<body>.*?)\{%\s*endblocktranslate\s*%\}",
    re.S,
)
BINDING = re.compile(r"(\w+)=(\S+)")
# A value that may end in an abbreviation's full stop ("9 a.m."): a time.
TIME_LIKE = re.compile(r"\|time\b|TIME_FORMAT|_time\b")
DIRECT = re.compile(r"\{\{[^}]*(\|time\b|TIME_FORMAT|_time\b)[^}]*\}\}(</\w+>)*\.")


def double_full_stops(text):
    """[variable] of ``text`` (a template) bound to a time that a literal
    "." follows, without ``sentence_end`` to lend it the abbreviation's."""
    found = [
        m.group(0) for m in DIRECT.finditer(text) if "sentence_end" not in m.group(0)
    ]
    for block in BLOCK.finditer(text):
        for name, expr in BINDING.findall(block["head"]):
            if not TIME_LIKE.search(expr) or "sentence_end" in expr:
                continue
            if re.search(r"\{\{\s*" + name + r"\s*\}\}(</\w+>)*\.", block["body"]):
                found.append(f"{name}={expr}")
    return found


def test_the_check_finds_the_kind():
    bad = (
        '{% blocktranslate with date=x|date:"DATETIME_FORMAT" %}On {{ date }}.'
        "{% endblocktranslate %}"
        "{% blocktranslate with time=when.start_time %}<time>{{ time }}</time>."
        "{% endblocktranslate %}"
        '{{ moment|time:"TIME_FORMAT" }}.'
    )
    assert len(double_full_stops(bad)) == 3
    good = bad.replace("x|date", "x|sentence_end").replace(
        "when.start_time", "when.start_time|sentence_end"
    )
    assert len(double_full_stops(good.replace('|time:"TIME_FORMAT"', ""))) == 0


def test_no_template_puts_a_full_stop_after_a_time():
    offenders = {}
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*"):
            if path.suffix in (".html", ".txt"):
                found = double_full_stops(path.read_text())
                if found:
                    offenders[str(path)] = found
    assert offenders == {}


def test_sentence_end_lends_the_abbreviations_full_stop():
    moment = oslo(2026, 12, 1, 5, 21)
    template = Template(
        "{% load mentoring_cms_tags %}{{ moment|sentence_end }}."
        '|{{ moment|sentence_end:"TIME_FORMAT" }}.|{{ text|sentence_end }}.'
    )
    with translation.override("en"), timezone.override("Europe/Oslo"):
        rendered = template.render(Context({"moment": moment, "text": "9 a.m."}))
    assert rendered == "Dec. 1, 2026, 5:21 a.m.|5:21 a.m.|9 a.m."
    with translation.override("nb"):
        rendered = template.render(Context({"moment": moment, "text": "09:00"}))
    assert ".." not in rendered


def test_hrs_application_page_has_one_full_stop(hr_client, hr_user, running):
    set_admin_language(hr_user, "en")
    mentee = participant(running, status=Application.Status.UNDER_REVIEW)
    Nomination.objects.create(
        application=mentee,
        justification="Strong.",
        created_at=oslo(2026, 12, 1, 5, 21),
    )
    url = reverse("mentoring_applications:edit", args=[mentee.pk])
    html = hr_client.get(url).content.decode()
    assert "Nominated on Dec. 1, 2026, 5:21 a.m." in html
    assert "a.m.." not in html


def test_the_gathering_reminder_has_one_full_stop(running, mailoutbox):
    participant(running, language="en")
    gathering(running, 5)
    call_command("send_participation_reminders")
    [message] = [m for m in mailoutbox if "Samling 5" in m.body]
    assert "at 9 a.m." in message.body
    assert "a.m.." not in message.body
