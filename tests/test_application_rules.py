"""The rules of applying, and bad input: refused with a clear message in the
applicant's language, nothing stored."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from mentoring_cms.models import Application

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    consent_fields,
    mentee_answers,
    mentor_answers,
    post_step,
    walk,
    wizard_prefix,
)
from .utils import make_faculty, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def faculty():
    return make_faculty()


def text(response):
    return response.content.decode()


def start(client, programme_round, role="mentee"):
    client.get(apply_url(programme_round, role))


def errors_of(response):
    assert response.status_code == 200
    return response.context["form"].errors


# Who may apply ------------------------------------------------------------


def test_mentee_must_hold_a_mentee_position(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="about")
    fields = {**mentee_answers(faculty)["position"], "position": "professor"}
    response = post_step(client, open_round, "mentee", "position", fields)
    assert errors_of(response)["position"] == [
        "Bare disse stillingene kan søke som adept: Førsteamanuensis, Førstelektor."
    ]
    assert "Noe må rettes" in text(response)


def test_mentee_must_be_permanently_employed(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="about")
    fields = {**mentee_answers(faculty)["position"], "permanently_employed": "no"}
    response = post_step(client, open_round, "mentee", "position", fields)
    assert errors_of(response)["permanently_employed"] == [
        "Bare fast ansatte førsteamanuenser og førstelektorer kan søke som adept."
    ]


def test_mentor_must_be_professor_or_docent(client, open_round, faculty):
    walk(client, open_round, "mentor", mentor_answers(faculty), until="about")
    fields = {**mentor_answers(faculty)["position"], "position": "senior_lecturer"}
    response = post_step(client, open_round, "mentor", "position", fields)
    assert errors_of(response)["position"] == [
        "Bare disse stillingene kan søke som mentor: Professor, Dosent."
    ]


@override_settings(
    MENTORING_CMS_MENTEE_POSITIONS=[("lecturer", "Lecturer")],
)
def test_qualifying_positions_come_from_settings(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="about")
    fields = mentee_answers(faculty)["position"]
    response = post_step(client, open_round, "mentee", "position", fields)
    assert "position" in errors_of(response)
    response = post_step(
        client, open_round, "mentee", "position", {**fields, "position": "lecturer"}
    )
    assert response.status_code == 302


def test_second_application_with_the_same_email_is_refused(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty))
    assert Application.objects.count() == 1
    other = Client()
    start(other, open_round)
    fields = {**mentee_answers(faculty)["about"], "email": "KARI.nordmann@example.org"}
    response = post_step(other, open_round, "mentee", "about", fields)
    assert errors_of(response)["email"] == [
        "Vi har allerede mottatt en søknad som adept med denne e-postadressen til "
        "denne runden. Kontakt HR hvis du må endre den."
    ]
    assert Application.objects.count() == 1


def test_same_email_may_apply_in_the_other_role_and_to_another_round(
    client, programme, open_round, faculty
):
    walk(client, open_round, "mentee", mentee_answers(faculty))
    answers = mentor_answers(faculty)
    answers["about"]["email"] = "kari.nordmann@example.org"
    walk(Client(), open_round, "mentor", answers)
    later = make_round(programme, title="Neste runde", slug="neste")
    walk(Client(), later, "mentee", mentee_answers(faculty))
    assert Application.objects.count() == 3


def test_duplicate_arriving_while_applying_is_refused_at_submission(
    client, open_round, faculty
):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    walk(Client(), open_round, "mentee", mentee_answers(faculty))
    response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 409
    assert "Du har allerede søkt" in text(response)
    assert Application.objects.count() == 1


def test_deadline_passing_mid_application_stores_nothing(
    client, open_round, faculty, django_capture_on_commit_callbacks
):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    after_deadline = open_round.application_closes + datetime.timedelta(minutes=1)
    with time_machine.travel(after_deadline, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 200
    assert "Søknadsfristen har gått ut" in text(response)
    assert "ikke mottatt" in text(response)
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_submission_rechecks_the_deadline(open_round, faculty):
    """The operation itself refuses a closed round, whatever the view did."""
    from mentoring_cms.operations import RoundNotOpen, submit_application

    answers = {**mentee_answers(faculty)["about"]}
    with pytest.raises(RoundNotOpen):
        submit_application(
            programme_round=open_round,
            role="mentee",
            answers=answers,
            language="nb",
            form_language="nb",
            privacy_notice_version="x",
            now=open_round.application_closes,
        )
    assert Application.objects.count() == 0


def test_round_not_yet_open_shows_when_it_opens(client, programme):
    now = timezone.now()
    planned = make_round(
        programme,
        application_opens=now + datetime.timedelta(days=3),
        application_closes=now + datetime.timedelta(days=10),
    )
    response = client.get(apply_url(planned, "mentee", "about"))
    assert "Det er ikke mulig å søke nå" in text(response)
    assert "Søknadsperioden for denne runden åpner" in text(response)


def test_double_submit_gives_one_application(
    client, open_round, faculty, django_capture_on_commit_callbacks
):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    # Two clicks on Submit: both requests carry the same wizard state.
    session = client.session
    state = session[f"wizard_{wizard_prefix(open_round, 'mentee')}"]
    with django_capture_on_commit_callbacks(execute=True):
        first = post_step(client, open_round, "mentee", "review")
    session = client.session
    session[f"wizard_{wizard_prefix(open_round, 'mentee')}"] = state
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = post_step(client, open_round, "mentee", "review")
    assert Application.objects.count() == 1
    assert first.status_code == 302
    # The second click lands on the same confirmation.
    assert second["Location"] == first["Location"]
    assert len(mail.outbox) == 2


def test_replayed_final_post_gives_one_application(client, open_round, faculty):
    """A repeat after the application is stored shows its confirmation
    (issue 11: it used to say "start again")."""
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    first = post_step(client, open_round, "mentee", "review")
    replay = post_step(client, open_round, "mentee", "review")
    assert replay.status_code == 302
    assert replay["Location"] == first["Location"]
    assert "Start på nytt" not in text(client.get(replay["Location"]))
    assert Application.objects.count() == 1


# Bad input ----------------------------------------------------------------


def test_missing_fields_are_refused(client, open_round):
    start(client, open_round)
    response = post_step(client, open_round, "mentee", "about", {})
    errors = errors_of(response)
    assert set(errors) == {"full_name", "email", "language"}
    assert "Noe må rettes" in text(response)
    assert Application.objects.count() == 0


def test_invalid_email_is_refused(client, open_round):
    start(client, open_round)
    fields = {**mentee_answers(None)["about"], "email": "ikke-en-adresse"}
    response = post_step(client, open_round, "mentee", "about", fields)
    assert "email" in errors_of(response)


@pytest.mark.parametrize(
    ("step", "field", "value"),
    [
        ("about", "language", "de"),
        ("position", "faculty", "999999"),
        ("position", "position", "rector"),
        ("promotion", "promotion_target", "king"),
        ("promotion", "planned_application", "never"),
    ],
)
def test_choices_not_on_the_list_are_refused(
    client, open_round, faculty, step, field, value
):
    answers = mentee_answers(faculty)
    previous = {"about": None, "position": "about", "promotion": "position"}[step]
    if previous:
        walk(client, open_round, "mentee", answers, until=previous)
    else:
        start(client, open_round)
    response = post_step(
        client, open_round, "mentee", step, {**answers[step], field: value}
    )
    assert field in errors_of(response)


@pytest.mark.parametrize(
    ("step", "field", "length"),
    [
        ("about", "full_name", 201),
        ("position", "department", 256),
        ("promotion", "progress_summary", 2001),
        ("motivation", "motivation", 3001),
    ],
)
def test_overlong_text_is_refused(client, open_round, faculty, step, field, length):
    answers = mentee_answers(faculty)
    steps = list(answers)
    if steps.index(step):
        walk(client, open_round, "mentee", answers, until=steps[steps.index(step) - 1])
    else:
        start(client, open_round)
    response = post_step(
        client, open_round, "mentee", step, {**answers[step], field: "x" * length}
    )
    assert field in errors_of(response)


@pytest.mark.parametrize(
    "value",
    ["Kari\x07Nordmann", "Kari\x1b[31m", "Kari\u202eNordmann", "Kari\x00Nordmann"],
)
def test_control_characters_are_refused(client, open_round, value):
    start(client, open_round)
    fields = {**mentee_answers(None)["about"], "full_name": value}
    response = post_step(client, open_round, "mentee", "about", fields)
    assert errors_of(response)["full_name"] == ["Fjern kontrolltegnene fra teksten."]


def test_line_breaks_are_allowed_in_long_answers(client, open_round, faculty):
    answers = mentee_answers(faculty)
    walk(client, open_round, "mentee", answers, until="promotion")
    fields = {**answers["motivation"], "motivation": "Første linje.\r\nAndre linje."}
    response = post_step(client, open_round, "mentee", "motivation", fields)
    assert response.status_code == 302


def test_a_long_answer_at_the_browsers_limit_counts_line_breaks_once(
    client, open_round, faculty
):
    # 60 lines of 49 characters and 60 CRLF line breaks: the browser counts
    # 3000 (the field's maxlength) and sends 3060 characters.
    answers = mentee_answers(faculty)
    walk(client, open_round, "mentee", answers, until="promotion")
    text = "\r\n".join(["x" * 49] * 60) + "\r\n"
    fields = {**answers["motivation"], "motivation": text}
    response = post_step(client, open_round, "mentee", "motivation", fields)
    assert response.status_code == 302


def test_html_in_free_text_is_stored_as_text_and_shown_escaped(
    client, open_round, faculty, django_capture_on_commit_callbacks
):
    script = '<script>alert("x")</script><b>fet</b>'
    answers = mentee_answers(
        faculty,
        about={"full_name": f"Kari {script}"},
        position={"department": script, "academic_field": script},
        promotion={"progress_summary": script},
        motivation={
            "motivation": script,
            "justification": script,
            "expectations": script,
        },
    )
    walk(client, open_round, "mentee", answers, until="consent")
    review = text(client.get(apply_url(open_round, "mentee", "review")))
    assert "<script>" not in review
    assert "<b>fet</b>" not in review
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in review
    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, open_round, "mentee", "review")
    application = Application.objects.get()
    assert application.full_name == f"Kari {script}"
    assert application.department == script
    assert application.answers["motivation"] == script
    # Plain-text emails carry the text as typed (nothing is interpreted).
    to_applicant = next(m for m in mail.outbox if m.to == [application.email])
    assert script in to_applicant.body
    assert to_applicant.content_subtype == "plain"
    assert not getattr(to_applicant, "alternatives", None)


def test_unknown_step_in_the_url_redirects(client, open_round):
    response = client.get(apply_url(open_round, "mentee", "hacked"))
    assert response.status_code == 302
    assert response["Location"] == apply_url(open_round, "mentee", "about")


def test_tampered_step_name_is_not_an_error(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="about")
    response = client.post(
        apply_url(open_round, "mentee", "position"),
        {f"{wizard_prefix(open_round, 'mentee')}-current_step": "../../admin"},
    )
    assert response.status_code == 302
    assert response["Location"] == apply_url(open_round, "mentee", "position")


def test_missing_management_form_is_not_an_error(client, open_round):
    start(client, open_round)
    response = client.post(apply_url(open_round, "mentee", "about"), {})
    assert response.status_code == 200
    assert "Start på nytt" in text(response)


def test_post_straight_to_the_last_step_stores_nothing(client, open_round):
    response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 200
    assert "Start på nytt" in text(response)
    assert Application.objects.count() == 0


def test_jump_past_unfinished_steps_is_sent_back(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="position")
    response = client.get(apply_url(open_round, "mentee", "review"))
    assert response["Location"] == apply_url(open_round, "mentee", "promotion")
    response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 302
    assert response["Location"] == apply_url(open_round, "mentee", "promotion")
    response = post_step(
        client,
        open_round,
        "mentee",
        "consent",
        consent_fields(
            client, open_round, "mentee", mentee_answers(faculty)["consent"]
        ),
    )
    assert response["Location"] == apply_url(open_round, "mentee", "promotion")
    assert Application.objects.count() == 0


def test_steps_made_invalid_later_are_revalidated_at_submission(
    client, open_round, faculty
):
    """render_done validates every step again: a step whose stored answer
    no longer passes sends the applicant back to it."""
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    faculty.delete()
    response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 200
    assert "Steg 2 av 7 – Stilling" in text(response)
    assert "faculty" in response.context["form"].errors
    assert Application.objects.count() == 0
    # The review is out of reach until the step is answered again.
    response = client.get(apply_url(open_round, "mentee", "review"))
    assert response["Location"] == apply_url(open_round, "mentee", "position")


def test_post_without_csrf_token_is_refused(open_round):
    client = Client(enforce_csrf_checks=True)
    client.get(apply_url(open_round, "mentee", "about"))
    response = post_step(
        client, open_round, "mentee", "about", mentee_answers(None)["about"]
    )
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_expired_session_asks_to_start_again(client, open_round, faculty):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="promotion")
    client.cookies.clear()
    response = post_step(
        client,
        open_round,
        "mentee",
        "motivation",
        mentee_answers(faculty)["motivation"],
    )
    assert response.status_code == 200
    assert "Start på nytt" in text(response)
    assert "Ingenting er sendt inn" in text(response)
    assert f'href="{apply_url(open_round, "mentee", "about")}"' in text(response)
    assert Application.objects.count() == 0


def test_privacy_notice_changed_mid_application_must_be_accepted_again(
    client, open_round, faculty
):
    walk(client, open_round, "mentee", mentee_answers(faculty), until="consent")
    open_round.privacy_notice = "<p>Ny erklæring.</p>"
    open_round.save()
    response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 200
    assert response.context["form"].errors["accept_privacy"] == [
        "Personvernerklæringen er endret siden du godtok den. Les den på nytt og "
        "godta den for å søke."
    ]
    assert "Ny erklæring." in text(response)
    assert Application.objects.count() == 0
    # The page carries the version of the notice it shows.
    from mentoring_cms.forms import privacy_notice_version

    new_version = privacy_notice_version(open_round.privacy_notice)
    assert f'value="{new_version}"' in text(response)
    fields = consent_fields(
        client, open_round, "mentee", mentee_answers(faculty)["consent"]
    )
    assert fields["notice_version"] == new_version
    post_step(client, open_round, "mentee", "consent", fields)
    post_step(client, open_round, "mentee", "review")
    assert Application.objects.get().privacy_notice_version.endswith(new_version)


# Abuse ----------------------------------------------------------------------


@override_settings(MENTORING_CMS_STEP_RATE_LIMIT="3/h")
def test_many_posts_from_one_address_get_429(client, open_round):
    start(client, open_round)
    for _ in range(3):
        assert post_step(client, open_round, "mentee", "about", {}).status_code == 200
    response = post_step(client, open_round, "mentee", "about", {})
    assert response.status_code == 429
    assert "Prøv igjen senere" in text(response)
    assert int(response["Retry-After"]) > 0
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    start(other, open_round)
    assert post_step(other, open_round, "mentee", "about", {}).status_code == 200


@override_settings(MENTORING_CMS_RATE_LIMIT="1/h")
def test_many_submissions_from_one_address_get_429(open_round, faculty):
    walk(Client(), open_round, "mentee", mentee_answers(faculty))
    client = Client()
    answers = mentee_answers(faculty, about={"email": "nummer.to@example.org"})
    walk(client, open_round, "mentee", answers, until="consent")
    response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 429
    assert "For mange forsøk" in text(response)
    assert Application.objects.count() == 1


@override_settings(MENTORING_CMS_RATE_LIMIT="1/h", LANGUAGE_CODE="nb")
def test_rate_limit_page_speaks_english_in_english(open_round, faculty):
    from .application_helpers import translate_page

    english = translate_page(open_round, "en", title="Round")
    client = Client()
    walk(client, english, "mentor", mentor_answers(faculty))
    client = Client()
    answers = mentor_answers(faculty, about={"email": "other@example.org"})
    walk(client, english, "mentor", answers, until="consent")
    response = post_step(client, english, "mentor", "review")
    assert response.status_code == 429
    assert "Please try again later." in text(response)


def test_honeypot_silently_discards_bots(
    client, open_round, faculty, django_capture_on_commit_callbacks
):
    answers = mentee_answers(faculty, about={"website": "http://spam.example"})
    with django_capture_on_commit_callbacks(execute=True):
        response = walk(client, open_round, "mentee", answers)
    assert "/apply/mentee/done/MP-" in response["Location"]
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert "Takk – søknaden din er mottatt" in text(confirmation)
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_field_is_hidden_from_people(client, open_round):
    page = text(client.get(apply_url(open_round, "mentee", "about")))
    assert '<div class="mcms-honeypot" hidden>' in page
    assert 'name="about-website"' in page
