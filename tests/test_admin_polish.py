"""The QA pass on the programme's admin: rounds, gatherings and faculties in
the reader's admin language (falling back to the source), headers that name
the page, unknown rounds refused, namesakes told apart on the matching page,
proposals numbered per round and empty proposals refused."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from mentoring_cms.models import Attendance, Match, MatchingRun, SessionPage

from .application_helpers import translate_page
from .matching_helpers import mentee, mentor
from .participation_helpers import gathering, make_running_round
from .utils import make_faculty, set_admin_language, translate_snippet


@pytest.fixture
def world(programme):
    running = make_running_round(programme, title="Programrunde 2027", slug="r27")
    translate_page(running, "en", title="Programme round 2027")
    # Past, so that the absence counts as a missed mandatory gathering.
    session = gathering(running, -10, title="Oppstartssamling", mandatory=True)
    translate_page(session, "en", title="Kick-off gathering")
    medicine = make_faculty(name="Fakultet for medisin og helsevitenskap")
    translate_snippet(medicine, "en", name="Faculty of Medicine and Health Sciences")
    other = make_faculty(name="Det humanistiske fakultet")
    people = [
        mentor(running, medicine, full_name="Nina Ødegård", reference="M-1"),
        mentor(running, other, full_name="Nina Ødegård", reference="M-2"),
        mentee(
            running,
            other,
            full_name="Kari Adept",
            reference="A-1",
            wishes="Fakultet for medisin og helsevitenskap",
        ),
    ]
    Attendance.objects.create(
        application=people[2], session=session, status=Attendance.Status.ABSENT
    )
    return running, session, people


def matching_url(running):
    return reverse("mentoring_matching:round", args=[running.pk])


def header(html):
    start = html.index("<header")
    return html[start : html.index("</header>", start)]


@pytest.mark.parametrize(
    "language, round_title, gathering_title, faculty",
    [
        ("en", "Programme round 2027", "Kick-off gathering", "Faculty of Medicine"),
        ("nb", "Programrunde 2027", "Oppstartssamling", "Fakultet for medisin"),
    ],
)
def test_admin_pages_speak_the_readers_language(
    hr_client, hr_user, world, language, round_title, gathering_title, faculty
):
    running, session, _people = world
    set_admin_language(hr_user, language)
    hr_client.post(
        reverse("mentoring_matching:run", args=[running.pk]),
        {"same_track": 3, "topic": 2, "language": 1, "wish": 2, "avoidance": 5},
    )
    pages = {
        "matching": matching_url(running),
        "participation": reverse("mentoring_participation_overview")
        + f"?round={running.translation_key}",
        "email": reverse("mentoring_participation_email")
        + f"?round={running.translation_key}",
        "summary": reverse("mentoring_applications:summary")
        + f"?round={running.translation_key}",
    }
    for name, url in pages.items():
        html = hr_client.get(url).content.decode()
        assert round_title in html, name
        other = "Programrunde 2027" if language == "en" else "Programme round 2027"
        assert other not in html, name
    participation = hr_client.get(pages["participation"]).content.decode()
    assert gathering_title in participation
    summary = hr_client.get(pages["summary"]).content.decode()
    assert gathering_title in summary
    email = hr_client.get(pages["email"]).content.decode()
    assert gathering_title in email
    matching = hr_client.get(pages["matching"]).content.decode()
    assert f"Nina Ødegård ({faculty}" in matching
    # The wish quoted a faculty's name: it shows in the reader's language.
    assert f"“{faculty}" in matching


@pytest.mark.parametrize(
    "name, title",
    [
        ("matching", "Matching"),
        ("participation", "Participation"),
        ("email", "Email a group"),
    ],
)
def test_headers_name_the_page(hr_client, hr_user, world, name, title):
    running, _session, _people = world
    set_admin_language(hr_user, "en")
    url = {
        "matching": matching_url(running),
        "participation": reverse("mentoring_participation_overview"),
        "email": reverse("mentoring_participation_email"),
    }[name]
    html = hr_client.get(url).content.decode()
    assert title in header(html)
    set_admin_language(hr_user, "nb")
    html = hr_client.get(url).content.decode()
    assert "Hjem" not in header(html).split("</ol>")[-1]


def test_unknown_round_is_refused_never_replaced(
    hr_client, hr_user, world, django_capture_on_commit_callbacks
):
    set_admin_language(hr_user, "en")
    data = {
        "round": str(uuid.uuid4()),
        "group": "all",
        "subject_nb": "Hei",
        "body_nb": "Hei",
        "subject_en": "Hi",
        "body_en": "Hi",
    }
    url = reverse("mentoring_participation_email")
    # (Django's LocaleMiddleware answers an admin 404 with a redirect to the
    # language-prefixed path, which is not found either.)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = hr_client.post(url, data, follow=True)
    assert response.status_code == 404
    assert not callbacks
    assert not mail.outbox
    for url in (
        reverse("mentoring_participation_overview"),
        reverse("mentoring_participation_email"),
        reverse("mentoring_applications:summary"),
    ):
        response = hr_client.get(url, {"round": str(uuid.uuid4())}, follow=True)
        assert response.status_code == 404


def test_proposals_are_numbered_per_round_and_empty_ones_refused(
    hr_client, hr_user, programme, world
):
    set_admin_language(hr_user, "en")
    running, _session, _people = world
    weights = {"same_track": 3, "topic": 2, "language": 1, "wish": 2, "avoidance": 5}
    empty_round = make_running_round(programme, title="Tom runde", slug="tom")
    # Other rounds' runs come first: the 2027 round's first is still 1.
    mentor(empty_round, make_faculty(name="F"), full_name="Alone")
    hr_client.post(reverse("mentoring_matching:run", args=[empty_round.pk]), weights)
    hr_client.post(reverse("mentoring_matching:run", args=[empty_round.pk]), weights)
    hr_client.post(reverse("mentoring_matching:run", args=[running.pk]), weights)
    html = hr_client.get(matching_url(running)).content.decode()
    assert "Proposal 1" in html
    assert "Proposal 3" not in html
    run = MatchingRun.objects.get(round=running)
    confirm = hr_client.get(
        reverse("mentoring_matching:publish", args=[running.pk, run.pk])
    ).content.decode()
    assert "Publish proposal 1 with" in confirm
    empty = MatchingRun.objects.filter(round=empty_round).first()
    assert not empty.pairs.exists()
    page = hr_client.get(matching_url(empty_round)).content.decode()
    assert "Proposal 2" in page
    assert "data-matching-empty" in page
    assert "data-matching-publish" not in page
    response = hr_client.post(
        reverse("mentoring_matching:publish", args=[empty_round.pk, empty.pk]),
        {"confirm": "1"},
        follow=True,
    )
    assert "This proposal has no pairs" in response.content.decode()
    empty.refresh_from_db()
    assert empty.published_at is None
    assert not Match.objects.exists()
    assert SessionPage.objects.exists()


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("mentoring_evaluation_results", []),
        ("mentoring_evaluation_export", ["csv"]),
        ("mentoring_selection:ranking", []),
        ("mentoring_selection:dashboard", []),
    ],
)
def test_other_round_choosing_pages_refuse_an_unknown_round(
    hr_client, hr_user, world, url_name, args
):
    set_admin_language(hr_user, "en")
    url = reverse(url_name, args=args)
    response = hr_client.get(url, {"round": str(uuid.uuid4())}, follow=True)
    assert response.status_code == 404
    running = world[0]
    response = hr_client.get(url, {"round": str(running.translation_key)})
    assert response.status_code == 200


def test_evaluation_results_name_the_round_in_english(hr_client, hr_user, world):
    set_admin_language(hr_user, "en")
    running = world[0]
    html = hr_client.get(
        reverse("mentoring_evaluation_results"),
        {"round": str(running.translation_key)},
    ).content.decode()
    assert "Programme round 2027" in html
    assert "Programrunde 2027" not in html
    assert "Evaluation results" in header(html)
