"""Text is stored and compared in one form: invisible format characters are
removed from every text field, email addresses are canonical (IDNA domain,
NFC, case) before the one-application rule and in storage, and HR's search
ignores case for every letter (æøå, accents) on SQLite as on PostgreSQL."""

import unicodedata

import pytest
from django import forms as django_forms
from django.apps import apps
from django.urls import reverse

from mentoring_cms.admin.forms import NoteForm
from mentoring_cms.forms import faculty_choices
from mentoring_cms.identifiers import canonical_email
from mentoring_cms.models import Application
from mentoring_cms.step_forms import default_step_list

from .application_helpers import (
    clear_rate_limits,  # noqa: F401
    consent_fields,
    mentee_answers,
    mentor_answers,
    walk,
)
from .utils import make_application

pytestmark = pytest.mark.django_db

# Zero-width space, soft hyphen, BOM, zero-width joiner and non-joiner,
# left-to-right and right-to-left marks, word joiner, Arabic letter mark.
INVISIBLE = "\u200b\u00ad\ufeff\u200d\u200c\u200e\u200f\u2060\u061c"


def taint(value):
    """``value`` with invisible characters before, inside and after it."""
    value = str(value)
    return f"{INVISIBLE}{value[:1]}{INVISIBLE}{value[1:]}{INVISIBLE}"


def has_invisible(value):
    return any(unicodedata.category(char) == "Cf" for char in str(value))


def step_data(role, faculty, open_round):
    answers = (mentee_answers if role == "mentee" else mentor_answers)(faculty)
    answers["consent"] = consent_fields(None, open_round, role, answers["consent"])
    return answers


def step_form(role, step):
    """The form class of ``step`` in a round without a form of its own
    (the seed's default form)."""
    return dict(default_step_list(role))[step]


def text_fields_of_every_step():
    cases = []
    for role in ("mentee", "mentor"):
        for step, form_class in default_step_list(role):
            for name, field in form_class().fields.items():
                if isinstance(field, django_forms.CharField):
                    cases.append((role, step, name))
    return cases


TEXT_FIELDS = text_fields_of_every_step()


def is_typed_text(role, step, name):
    """Fields a person types text into: not hidden, not the honeypot, and
    not the email address (whose syntax refuses overrides anyway)."""
    field = step_form(role, step)().fields[name]
    return not field.widget.is_hidden and name not in ("website", "email")


TYPED_TEXT_FIELDS = [case for case in TEXT_FIELDS if is_typed_text(*case)]


def test_every_step_has_text_fields_in_the_list():
    steps = {(role, step) for role, step, _name in TEXT_FIELDS}
    assert len(TEXT_FIELDS) > 20
    assert ("mentee", "about") in steps and ("mentor", "experience") in steps


@pytest.mark.parametrize(("role", "step", "name"), TEXT_FIELDS)
def test_every_text_field_drops_invisible_characters(
    role, step, name, open_round, faculty
):
    form_class = step_form(role, step)
    kwargs = {"round": open_round, "role": role, "faculties": faculty_choices()}
    answers = step_data(role, faculty, open_round)[step]
    clean = form_class(data=dict(answers), **kwargs)
    clean_valid = clean.is_valid()
    tainted_data = {**answers, name: taint(answers.get(name, ""))}
    tainted = form_class(data=tainted_data, **kwargs)
    assert tainted.is_valid() == clean_valid, tainted.errors
    if clean_valid:
        assert tainted.cleaned_data[name] == clean.cleaned_data[name]
        assert not has_invisible(tainted.cleaned_data[name])
    # What the wizard keeps in the session is the form's data.
    assert not has_invisible(tainted.data[name])


@pytest.mark.parametrize(("role", "step", "name"), TYPED_TEXT_FIELDS)
def test_direction_overrides_are_still_refused(role, step, name, open_round, faculty):
    form_class = step_form(role, step)
    kwargs = {"round": open_round, "role": role, "faculties": faculty_choices()}
    answers = step_data(role, faculty, open_round)[step]
    data = {**answers, name: "Kari \u202eNordmann"}
    form = form_class(data=data, **kwargs)
    assert not form.is_valid()
    assert name in form.errors


def test_a_name_with_a_zero_width_space_is_stored_and_found_as_seen(
    client, hr_client, open_round, faculty
):
    answers = mentee_answers(faculty)
    answers["about"]["full_name"] = "Ing\u200brid Ber\u00adg"
    walk(client, open_round, "mentee", answers)
    application = Application.objects.get()
    assert application.full_name == "Ingrid Berg"
    response = hr_client.get(
        reverse("mentoring_applications:index"), {"q": "Ingrid Berg"}
    )
    assert application.reference in response.content.decode()


def test_hrs_note_drops_invisible_characters_and_refuses_overrides():
    form = NoteForm(data={"text": taint("Ring søkeren")})
    assert form.is_valid()
    assert form.cleaned_data["text"] == "Ring søkeren"
    assert not NoteForm(data={"text": "Ring \u202esøkeren"}).is_valid()


# --------------------------------------------------------------------------
# Canonical email addresses
# --------------------------------------------------------------------------

SAME_MAILBOX = [
    "kari@ødegård.no",
    "Kari@ØDEGÅRD.NO",
    "kari@xn--degrd-ora3k.no",
    "KARI@XN--DEGRD-ORA3K.NO",
    # "å" written as "a" + combining ring (NFD).
    "kari@ødega\u030ard.no",
    " kari@\u200bødegård.no ",
]


@pytest.mark.parametrize("typed", SAME_MAILBOX)
def test_every_spelling_of_a_mailbox_has_one_canonical_form(typed):
    assert canonical_email(typed) == "kari@ødegård.no"


@pytest.mark.parametrize("second", SAME_MAILBOX[1:])
def test_the_same_mailbox_cannot_apply_twice(client, open_round, faculty, second):
    first = mentee_answers(faculty, about={"email": SAME_MAILBOX[0]})
    walk(client, open_round, "mentee", first)
    assert Application.objects.get().email == "kari@ødegård.no"
    client.cookies.clear()
    again = mentee_answers(faculty, about={"email": second})
    response = client.get(f"{open_round.url}apply/mentee/", follow=True)
    data = {
        f"mentoring_cms_{open_round.translation_key.hex}_mentee-current_step": "about",
        **{f"about-{k}": v for k, v in again["about"].items()},
    }
    response = client.post(f"{open_round.url}apply/mentee/about/", data)
    assert response.status_code == 200
    assert "already been received" in str(response.context["form"].errors) or (
        "allerede" in str(response.context["form"].errors)
    )
    assert Application.objects.count() == 1


def test_saving_an_application_stores_the_canonical_email(open_round):
    application = make_application(round=open_round, email="Kari@XN--DEGRD-ORA3K.NO")
    application.refresh_from_db()
    assert application.email == "kari@ødegård.no"


def test_hr_finds_an_application_by_either_form_of_the_domain(hr_client, open_round):
    application = make_application(round=open_round, email="kari@ødegård.no")
    for query in ("kari@xn--degrd-ora3k.no", "KARI@ØDEGÅRD.NO", "ØDEGÅRD"):
        response = hr_client.get(reverse("mentoring_applications:index"), {"q": query})
        assert application.reference in response.content.decode(), query


def test_the_migration_canonicalises_stored_addresses_without_crashing(open_round):
    from importlib import import_module

    migration = import_module(
        "mentoring_cms.migrations.0008_application_search_text_canonical_email"
    )
    earlier = make_application(round=open_round, email="a@example.org")
    later = make_application(round=open_round, email="b@example.org")
    other = make_application(round=open_round, email="c@example.org")
    # Stored before addresses were canonical: the same mailbox twice.
    Application.objects.filter(pk=earlier.pk).update(
        email="Kari@XN--DEGRD-ORA3K.NO", search_text=""
    )
    Application.objects.filter(pk=later.pk).update(
        email="kari@xn--degrd-ora3k.no", search_text=""
    )
    Application.objects.filter(pk=other.pk).update(
        email="Ola@Example.ORG", full_name="ÅSE ØDEGÅRD", search_text=""
    )
    migration.canonicalise(apps, None)
    emails = dict(Application.objects.values_list("pk", "email"))
    assert emails[earlier.pk] == "kari@ødegård.no"
    # The later one keeps its address as typed: nothing merged or lost.
    assert emails[later.pk] == "kari@xn--degrd-ora3k.no"
    assert emails[other.pk] == "ola@example.org"
    other.refresh_from_db()
    assert "åse ødegård" in other.search_text


# --------------------------------------------------------------------------
# Search beyond ASCII
# --------------------------------------------------------------------------

NAMES = ["Åse Ødegård", "ÆRLIG ØSTBØ", "André Søreide", "Ingrid Berg"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ødegård", {"Åse Ødegård"}),
        ("ØDEGÅRD", {"Åse Ødegård"}),
        ("åse", {"Åse Ødegård"}),
        ("ærlig østbø", {"ÆRLIG ØSTBØ"}),
        ("andré", {"André Søreide"}),
        ("ANDRÉ SØREIDE", {"André Søreide"}),
        # "é" typed as "e" + combining accent (NFD).
        ("andre\u0301", {"André Søreide"}),
        ("ø", {"Åse Ødegård", "ÆRLIG ØSTBØ", "André Søreide"}),
        ("ingrid berg", {"Ingrid Berg"}),
        # An invisible character in the query is ignored too.
        ("ødeg\u200bård", {"Åse Ødegård"}),
    ],
)
def test_hr_search_ignores_case_for_every_letter(
    hr_client, open_round, query, expected
):
    """Runs on the database of the test run: SQLite and PostgreSQL in CI."""
    for name in NAMES:
        make_application(round=open_round, full_name=name)
    response = hr_client.get(reverse("mentoring_applications:index"), {"q": query})
    found = {name for name in NAMES if name in response.content.decode()}
    assert found == expected


def test_on_postgresql_the_search_column_has_a_trigram_index():
    """PostgreSQL only (skipped on SQLite, whose covering index on the
    column serves the same search): the GIN trigram index of migration 0008."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the trigram index of pg_trgm")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["mentoring_cms_application_search_trgm"],
        )
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]
