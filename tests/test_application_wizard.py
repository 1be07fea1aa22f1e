"""The application wizards walked step by step with Django's test client."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentoring_cms.models import Application
from mentoring_cms.storage import private_storage

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    consent_fields,
    make_faculty_pair,
    make_pdf_bytes,
    mentee_answers,
    mentor_answers,
    post_step,
    translate_page,
    walk,
)
from .utils import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def faculties():
    return make_faculty_pair(
        "Fakultet for naturvitenskap", "Faculty of Natural Sciences"
    )


@pytest.fixture
def round_with_texts(programme):
    programme.notification_email = "hr@example.org"
    programme.save()
    return make_round(
        programme,
        form_intro="<p>Les dette før du søker.</p>",
        privacy_notice="<p>Vi behandler opplysningene dine etter personvernloven.</p>",
        confirmation_text="<p>Du hører fra oss innen fire uker.</p>",
    )


def text(response):
    return response.content.decode()


def test_mentee_applies_in_norwegian_step_by_step(
    client, round_with_texts, faculties, django_capture_on_commit_callbacks
):
    programme_round = round_with_texts
    faculty_nb, _faculty_en = faculties
    answers = mentee_answers(faculty_nb)

    response = client.get(apply_url(programme_round, "mentee"))
    assert response.status_code == 302
    assert response["Location"] == apply_url(programme_round, "mentee", "about")

    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    assert '<html lang="nb">' in page
    assert "Søk som adept" in page
    assert "Steg 1 av 7 – Om deg" in page
    assert "Les dette før du søker." in page
    assert 'autocomplete="email"' in page

    steps = [
        ("about", "position", "Steg 2 av 7 – Stilling"),
        ("position", "promotion", "Steg 3 av 7 – Mot opprykk"),
        ("promotion", "motivation", "Steg 4 av 7 – Motivasjon"),
        ("motivation", "matching", "Steg 5 av 7 – Matching"),
        ("matching", "consent", "Steg 6 av 7 – Forpliktelse og samtykke"),
        ("consent", "review", "Steg 7 av 7 – Se over"),
    ]
    for step, next_step, progress in steps:
        fields = answers[step]
        files = None
        if step == "position":
            files = {"attachment": SimpleUploadedFile("cv.pdf", make_pdf_bytes())}
        if step == "consent":
            fields = consent_fields(client, programme_round, "mentee", fields)
        response = post_step(client, programme_round, "mentee", step, fields, files)
        assert response.status_code == 302, response.context["form"].errors
        assert response["Location"] == apply_url(programme_round, "mentee", next_step)
        response = client.get(response["Location"])
        assert response.status_code == 200
        assert progress in text(response)
        if next_step == "position":
            assert "Fakultet for naturvitenskap" in text(response)
            assert "Førsteamanuensis" in text(response)
        if next_step == "consent":
            assert "etter personvernloven" in text(response)

    review = text(response)
    for shown in (
        "Kari Nordmann",
        "kari.nordmann@example.org",
        "Førsteamanuensis",
        "Fakultet for naturvitenskap",
        "Institutt for kjemi",
        "cv.pdf",
        "Jeg er godt i gang",
        "Om ett til to år",
        "Tre av fem artikler er publisert.",
        "Råd om søknaden.",
        "Send inn søknaden",
    ):
        assert shown in review, shown
    assert review.count(">Endre<") == 6

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, programme_round, "mentee", "review", {})
    assert response.status_code == 302
    application = Application.objects.get()
    assert re.fullmatch(
        rf"MP-{application.submitted_at.year}-\d{{6}}", application.reference
    )
    assert response["Location"].endswith(f"/apply/mentee/done/{application.reference}/")

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert "no-store" in confirmation["Cache-Control"]
    assert application.reference in text(confirmation)
    assert "Takk – søknaden din er mottatt" in text(confirmation)
    assert "Du hører fra oss innen fire uker." in text(confirmation)

    assert application.round_id == programme_round.pk
    assert application.role == Application.Role.MENTEE
    assert application.status == Application.Status.SUBMITTED
    assert application.email == "kari.nordmann@example.org"
    assert application.full_name == "Kari Nordmann"
    assert application.phone == "+47 73 59 50 00"
    assert application.language == "nb"
    assert application.position == "associate_professor"
    assert application.permanently_employed is True
    assert application.faculty == faculty_nb
    assert application.department == "Institutt for kjemi"
    assert application.academic_field == "Beregningsorientert kjemi"
    assert application.answers["promotion_target"] == "professor"
    assert application.answers["motivation"] == "Jeg vil bli professor."
    assert application.answers["form_language"] == "nb"
    assert application.answers["accept_privacy"] is True
    assert "website" not in application.answers
    assert application.privacy_notice_version.startswith("nb-")
    assert application.attachment_name == "cv.pdf"
    assert re.fullmatch(r"applications/[0-9a-f]{32}\.pdf", application.attachment.name)
    assert private_storage.exists(application.attachment.name)

    assert len(mail.outbox) == 2
    to_applicant, to_hr = sorted(mail.outbox, key=lambda m: m.to != [application.email])
    assert to_applicant.to == ["kari.nordmann@example.org"]
    assert to_applicant.subject == (
        f"Vi har mottatt søknaden din ({application.reference})"
    )
    assert "Hei, Kari Nordmann!" in to_applicant.body
    assert "Institutt for kjemi" in to_applicant.body
    assert "Fakultet for naturvitenskap" in to_applicant.body
    assert to_hr.to == ["hr@example.org"]
    assert application.reference in to_hr.subject
    application.refresh_from_db()
    assert application.confirmation_sent_at and application.notification_sent_at


def test_mentor_applies_in_english_step_by_step(
    client, round_with_texts, faculties, django_capture_on_commit_callbacks
):
    faculty_nb, _faculty_en = faculties
    english_round = translate_page(
        round_with_texts,
        "en",
        title="Round 2026",
        privacy_notice="<p>We process your data under the Personal Data Act.</p>",
        confirmation_text="<p>You will hear from us within four weeks.</p>",
    )
    assert english_round.url.startswith("/en/")
    answers = mentor_answers(faculty_nb)

    response = client.get(apply_url(english_round, "mentor", "about"))
    assert response.status_code == 200
    assert '<html lang="en">' in text(response)
    assert "Step 1 of 6 – About you" in text(response)
    steps = [
        ("about", "position", "Step 2 of 6 – Position"),
        ("position", "experience", "Step 3 of 6 – Experience"),
        ("experience", "matching", "Step 4 of 6 – Matching"),
        ("matching", "consent", "Step 5 of 6 – Commitment and consent"),
        ("consent", "review", "Step 6 of 6 – Review"),
    ]
    for step, next_step, progress in steps:
        fields = answers[step]
        if step == "consent":
            fields = consent_fields(client, english_round, "mentor", fields)
        response = post_step(client, english_round, "mentor", step, fields)
        assert response.status_code == 302, response.context["form"].errors
        response = client.get(response["Location"])
        assert progress in text(response)
        if next_step == "position":
            assert "Faculty of Natural Sciences" in text(response)
            assert "Fakultet for naturvitenskap" not in text(response)
            assert "Professor" in text(response)
            assert "Associate professor" not in text(response)
        if next_step == "consent":
            assert "under the Personal Data Act" in text(response)

    assert "Experience with promotion committees." in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, english_round, "mentor", "review", {})
    assert response.status_code == 302
    confirmation = client.get(response["Location"])
    assert "Thank you – your application has been received" in text(confirmation)
    assert "within four weeks" in text(confirmation)

    application = Application.objects.get()
    # One table for both languages: the application belongs to the source
    # round and the Norwegian faculty, whatever language was used.
    assert application.round_id == round_with_texts.pk
    assert application.faculty == faculty_nb
    assert application.role == Application.Role.MENTOR
    assert application.language == "en"
    assert application.answers["form_language"] == "en"
    assert application.answers["offer"] == "Experience with promotion committees."
    assert application.permanently_employed is None
    assert application.privacy_notice_version.startswith("en-")

    assert len(mail.outbox) == 2
    to_applicant = next(m for m in mail.outbox if m.to == [application.email])
    assert to_applicant.subject == (
        f"We have received your application ({application.reference})"
    )
    assert "Dear Ola Nordmann," in to_applicant.body
    assert "Faculty of Natural Sciences" in to_applicant.body
    assert "Thank you for applying as a mentor to Round 2026" in to_applicant.body
    to_hr = next(m for m in mail.outbox if m.to == ["hr@example.org"])
    # HR reads Norwegian, the default language.
    assert to_hr.subject.startswith(f"Ny søknad {application.reference}")


def test_back_keeps_what_was_typed_without_validating_it(client, open_round, faculties):
    answers = mentee_answers(faculties[0])
    walk(client, open_round, "mentee", answers, until="promotion")
    # Half a step, with an overlong answer: Back must not demand it be valid.
    response = post_step(
        client,
        open_round,
        "mentee",
        "motivation",
        {"motivation": "Halvferdig svar", "justification": "x" * 4000},
        wizard_back="1",
    )
    assert response.status_code == 302
    assert response["Location"] == apply_url(open_round, "mentee", "promotion")

    response = client.get(response["Location"])
    assert "Tre av fem artikler er publisert." in text(response)
    response = post_step(
        client, open_round, "mentee", "promotion", answers["promotion"]
    )
    assert response["Location"] == apply_url(open_round, "mentee", "motivation")
    response = client.get(response["Location"])
    page = text(response)
    assert "Halvferdig svar" in page
    # Shown as typed, not as errors.
    assert "Noe må rettes" not in page
    assert Application.objects.count() == 0


def test_progress_lists_step_names_and_links_only_reachable_steps(
    client, open_round, faculties
):
    walk(client, open_round, "mentee", mentee_answers(faculties[0]), until="about")
    page = text(client.get(apply_url(open_round, "mentee", "position")))
    assert f'href="{apply_url(open_round, "mentee", "about")}"' in page
    assert 'aria-current="step"' in page
    for name in ("Om deg", "Stilling", "Mot opprykk", "Motivasjon", "Se over"):
        assert name in page
    assert f'href="{apply_url(open_round, "mentee", "review")}"' not in page


def test_error_summary_links_to_the_fields(client, open_round):
    client.get(apply_url(open_round, "mentee"))
    response = post_step(
        client, open_round, "mentee", "about", {"full_name": "", "email": "nei"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Noe må rettes" in page
    assert 'href="#id_about-full_name"' in page
    assert 'href="#id_about-email"' in page
    assert 'href="#id_about-language_0"' in page
    assert 'aria-describedby="id_about-email-hint id_about-email-error"' in page
    assert 'aria-invalid="true"' in page
    assert "<legend>Foretrukket språk for korrespondanse</legend>" in page
    assert "no-store" in response["Cache-Control"]


def test_every_field_has_a_label(client, open_round, faculties):
    walk(client, open_round, "mentee", mentee_answers(faculties[0]), until="matching")
    for step in ("about", "position", "promotion", "motivation", "matching", "consent"):
        page = text(client.get(apply_url(open_round, "mentee", step)))
        ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page))
        ids = {
            i
            for i in ids
            if "current_step" not in i and not i.endswith("notice_version")
        }
        assert ids, step
        for field_id in ids:
            assert f'for="{field_id}"' in page, (step, field_id)
        assert "style=" not in page
        assert "<script" not in page
        assert "<style" not in page


def test_change_link_on_review_returns_to_review(client, open_round, faculties):
    walk(client, open_round, "mentee", mentee_answers(faculties[0]), until="consent")
    review = text(client.get(apply_url(open_round, "mentee", "review")))
    change_url = apply_url(open_round, "mentee", "motivation") + "?return=review"
    assert f'href="{change_url}"' in review
    page = text(client.get(change_url))
    assert 'name="wizard_return" value="review"' in page
    response = post_step(
        client,
        open_round,
        "mentee",
        "motivation",
        {**mentee_answers(faculties[0])["motivation"], "motivation": "Ny tekst."},
        wizard_return="review",
    )
    assert response["Location"] == apply_url(open_round, "mentee", "review")
    assert "Ny tekst." in text(client.get(response["Location"]))


def test_confirmation_is_shown_only_to_the_session_that_applied(
    client, open_round, faculties
):
    response = walk(client, open_round, "mentee", mentee_answers(faculties[0]))
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 404


def test_two_roles_in_two_tabs_do_not_mix(client, open_round, faculties):
    client.get(apply_url(open_round, "mentee"))
    post_step(
        client, open_round, "mentee", "about", mentee_answers(faculties[0])["about"]
    )
    client.get(apply_url(open_round, "mentor"))
    page = text(client.get(apply_url(open_round, "mentor", "about")))
    assert "Kari Nordmann" not in page
    post_step(
        client, open_round, "mentor", "about", mentor_answers(faculties[0])["about"]
    )
    assert "Kari Nordmann" in text(client.get(apply_url(open_round, "mentee", "about")))
    assert "Ola Nordmann" in text(client.get(apply_url(open_round, "mentor", "about")))
    # The mentee tab carries on where it was.
    response = client.get(apply_url(open_round, "mentee"))
    assert response["Location"] == apply_url(open_round, "mentee", "position")


def test_two_rounds_in_two_tabs_do_not_mix(client, programme, faculties):
    first = make_round(programme)
    second = make_round(programme, title="Runde 2", slug="runde-2")
    client.get(apply_url(first, "mentee"))
    post_step(client, first, "mentee", "about", mentee_answers(faculties[0])["about"])
    assert "Kari Nordmann" not in text(client.get(apply_url(second, "mentee", "about")))
    assert "Kari Nordmann" in text(client.get(apply_url(first, "mentee", "about")))


def test_apply_links_show_while_the_round_is_open(client, programme, open_round):
    round_page = text(client.get(open_round.url))
    assert f'href="{apply_url(open_round, "mentee")}"' in round_page
    assert f'href="{apply_url(open_round, "mentor")}"' in round_page
    assert "Søk som adept" in round_page
    programme_page = text(client.get(programme.url))
    assert f'href="{apply_url(open_round, "mentee")}"' in programme_page


def test_apply_links_are_hidden_when_the_round_is_closed(client, programme):
    from django.utils import timezone

    now = timezone.now()
    closed = make_round(
        programme,
        application_opens=now - timezone.timedelta(days=20),
        application_closes=now - timezone.timedelta(days=1),
    )
    page = text(client.get(closed.url))
    assert "apply/mentee" not in page
    assert "Søknadsfristen for denne runden har gått ut." in page
    response = client.get(apply_url(closed, "mentee", "about"))
    assert "Det er ikke mulig å søke nå" in text(response)


def test_unknown_role_is_not_found(client, open_round):
    assert client.get(open_round.url + "apply/boss/").status_code == 404


# As pytest-django counts: every statement Django sends, the transaction
# control of the writes included (SAVEPOINT and RELEASE in the test's
# transaction, BEGIN and COMMIT outside it), on SQLite and PostgreSQL alike.
QUERY_BUDGET = 12


def add_rounds_faculties_and_applications(programme_round, rounds, faculties, apps):
    programme = programme_round.get_parent().specific
    for number in range(rounds):
        make_round(programme, title=f"Runde {number}", slug=f"runde-x{number}")
    made = [
        make_faculty_pair(f"Fakultet {n}", f"Faculty {n}")[0] for n in range(faculties)
    ]
    for number in range(apps):
        Application.objects.create(
            round=programme_round,
            role="mentee",
            full_name="Søker",
            email=f"soker{number}@example.org",
            reference=f"EARLIER-{number}",
            position="senior_lecturer",
            faculty=made[number % len(made)],
        )
    return made


def walk_counting_queries(assert_max_num_queries, programme_round, faculty, email):
    """Walk the whole mentee application in a new session, every request
    within its query budget as pytest-django counts queries (every statement
    Django sends, savepoints included). Returns the number of queries of
    each request."""
    client = Client()
    cache.clear()  # the rate limits
    answers = mentee_answers(faculty, about={"email": email})
    counts = []

    def counted(send):
        with assert_max_num_queries(QUERY_BUDGET) as captured:
            response = send()
        counts.append(len(captured))
        return response

    response = counted(lambda: client.get(apply_url(programme_round, "mentee")))
    assert response.status_code == 302
    for step, fields in answers.items():
        response = counted(
            lambda: client.get(apply_url(programme_round, "mentee", step))  # noqa: B023
        )
        assert response.status_code == 200
        if step == "consent":
            fields = consent_fields(client, programme_round, "mentee", fields)
        response = counted(
            lambda: post_step(client, programme_round, "mentee", step, fields)  # noqa: B023
        )
        assert response.status_code == 302
    assert Application.objects.filter(email=email).count() == 1
    return counts


def test_queries_per_step_stay_within_budget_and_do_not_grow(
    open_round, django_assert_max_num_queries
):
    """With one round, one faculty and no applications, and again with many
    of each, every request of the mentee application (each step shown and
    posted, the submission included) takes at most 12 queries, and each
    request the same number both times."""
    faculty = add_rounds_faculties_and_applications(open_round, 0, 1, 0)[0]
    few = walk_counting_queries(
        django_assert_max_num_queries, open_round, faculty, "first@example.org"
    )
    add_rounds_faculties_and_applications(open_round, 12, 20, 30)
    many = walk_counting_queries(
        django_assert_max_num_queries, open_round, faculty, "second@example.org"
    )
    assert few == many
    assert max(few) <= QUERY_BUDGET


def test_switching_language_keeps_the_answers(client, open_round, faculties):
    english = translate_page(open_round, "en", title="Round 2026")
    walk(client, open_round, "mentee", mentee_answers(faculties[0]), until="about")
    response = client.get(apply_url(english, "mentee"))
    assert response["Location"] == apply_url(english, "mentee", "position")
    page = text(client.get(apply_url(english, "mentee", "about")))
    assert "Kari Nordmann" in page
    assert "Step 1 of 7 – About you" in page


def test_a_get_never_submits(client, open_round, faculties):
    walk(client, open_round, "mentee", mentee_answers(faculties[0]), until="consent")
    for step in ("done", "review"):
        client.get(apply_url(open_round, "mentee", step))
    assert Application.objects.count() == 0


def test_programme_routes_to_rounds_and_its_other_pages(client, programme, open_round):
    from .utils import make_contact_page

    contact = make_contact_page(programme)
    assert client.get(contact.url).status_code == 200
    assert client.get(open_round.url).status_code == 200
    assert client.get(programme.url + "no-such-page/").status_code == 404
    open_round.unpublish()
    assert client.get(apply_url(open_round, "mentee", "about")).status_code == 404


def test_a_reference_already_taken_is_drawn_again(
    client, open_round, faculties, monkeypatch
):
    Application.objects.create(
        round=open_round,
        role="mentor",
        full_name="Tidligere søker",
        email="tidligere@example.org",
        reference="MP-2026-111111",
        position="professor",
    )
    drawn = iter(["MP-2026-111111", "MP-2026-222222"])
    monkeypatch.setattr(
        Application, "new_reference", staticmethod(lambda moment: next(drawn))
    )
    walk(client, open_round, "mentee", mentee_answers(faculties[0]))
    application = Application.objects.get(role="mentee")
    assert application.reference == "MP-2026-222222"
    assert Application.objects.count() == 2


def test_language_switcher_leads_to_the_same_step(client, open_round, faculties):
    english = translate_page(open_round, "en", title="Round 2026")
    walk(client, open_round, "mentee", mentee_answers(faculties[0]), until="about")
    page = text(client.get(apply_url(open_round, "mentee", "position")))
    english_step = apply_url(english, "mentee", "position")
    assert f'href="{english_step}" lang="en"' in page
    # The round page itself still switches to the round page.
    assert f'href="{english.url}" lang="en"' in text(client.get(open_round.url))
    # The same application, in English, with the answers kept.
    page = text(client.get(english_step))
    assert "Step 2 of 7 – Position" in page
    page = text(client.get(apply_url(english, "mentee", "about")))
    assert "Kari Nordmann" in page
