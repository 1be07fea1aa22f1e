"""Helpers for walking the application wizards with Django's test client."""

import io

import pikepdf
import pytest
from django.core.cache import cache

from .utils import get_locale, make_faculty

PDF_NAME = "cv.pdf"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """The rate limiter counts in the cache; every test starts afresh."""
    cache.clear()
    yield
    cache.clear()


def make_pdf_bytes(pages=1):
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def translate_page(page, language_code, **changes):
    """Publish an English (or other) translation of ``page`` and its parents."""
    locale = get_locale(language_code)
    translation = page.get_translation_or_none(locale)
    if translation is None:
        parent = page.get_parent().specific
        if parent.depth > 1 and parent.get_translation_or_none(locale) is None:
            translate_page(parent, language_code)
        translation = page.copy_for_translation(locale)
    for name, value in changes.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation.specific


def make_faculty_pair(nb_name, en_name):
    """A faculty in Norwegian with its English translation."""
    nb = make_faculty(name=nb_name)
    en = nb.copy_for_translation(get_locale("en"))
    en.name = en_name
    en.save()
    return nb, en


def wizard_prefix(programme_round, role):
    return f"mentoring_cms_{programme_round.translation_key.hex}_{role}"


def apply_url(programme_round, role, step=None):
    url = programme_round.url + f"apply/{role}/"
    return url + f"{step}/" if step else url


def post_step(client, programme_round, role, step, fields=None, files=None, **extra):
    """POST one step: ``fields`` without the step prefix."""
    data = {f"{wizard_prefix(programme_round, role)}-current_step": step}
    for name, value in (fields or {}).items():
        data[f"{step}-{name}"] = value
    for name, upload in (files or {}).items():
        data[f"{step}-{name}"] = upload
    data.update(extra)
    return client.post(apply_url(programme_round, role, step), data)


def mentee_answers(faculty, **overrides):
    answers = {
        "about": {
            "full_name": "Kari Nordmann",
            "email": "Kari.Nordmann@example.org",
            "phone": "+47 73 59 50 00",
            "language": "nb",
        },
        "position": {
            "position": "associate_professor",
            "permanently_employed": "yes",
            "faculty": str(faculty.pk) if faculty else "",
            "department": "Institutt for kjemi",
            "academic_field": "Beregningsorientert kjemi",
        },
        "promotion": {
            "promotion_target": "professor",
            "promotion_progress": "under_way",
            "planned_application": "1_2_years",
            "progress_summary": "Tre av fem artikler er publisert.",
        },
        "motivation": {
            "motivation": "Jeg vil bli professor.",
            "justification": "Tiden er inne.",
            "expectations": "Råd om søknaden.",
        },
        "matching": {
            # No track: a mentee's follows her promotion target.
            "matching_topics": ["networking", "promotion_application"],
            "matching_languages": ["nb"],
            "matching_wishes": "Gjerne noen fra humaniora.",
        },
        "consent": {
            "confirm_gatherings": "on",
            "confirm_meetings": "on",
            "accept_privacy": "on",
        },
        "review": {},
    }
    for step, fields in overrides.items():
        answers[step] = {**answers[step], **fields}
    return answers


def mentor_answers(faculty, **overrides):
    answers = {
        "about": {
            "full_name": "Ola Nordmann",
            "email": "ola.nordmann@example.org",
            "phone": "",
            "language": "en",
        },
        "position": {
            "position": "professor",
            "faculty": str(faculty.pk) if faculty else "",
            "department": "Department of Physics",
            "academic_field": "",
        },
        "experience": {
            "earlier_mentoring": "yes",
            "mentoring_experience": "Mentor for PhD candidates.",
            "offer": "Experience with promotion committees.",
        },
        "matching": {
            "matching_track": "professor",
            "matching_topics": ["networking"],
            "matching_languages": ["en", "nb"],
        },
        "consent": {
            "confirm_gatherings": "on",
            "confirm_meetings": "on",
            "accept_privacy": "on",
        },
        "review": {},
    }
    for step, fields in overrides.items():
        answers[step] = {**answers[step], **fields}
    return answers


def consent_fields(client, programme_round, role, fields):
    """The consent step's answers plus the notice version the page shows."""
    from mentoring_cms.forms import privacy_notice_version

    return {
        **fields,
        "notice_version": privacy_notice_version(programme_round.privacy_notice),
    }


def walk(client, programme_round, role, answers, until=None):
    """Answer the steps in order (up to and including ``until``); returns the
    last response."""
    response = client.get(apply_url(programme_round, role))
    assert response.status_code == 302, response
    response = None
    for step, fields in answers.items():
        files = fields.pop("_files", None) if isinstance(fields, dict) else None
        if step == "consent":
            fields = consent_fields(client, programme_round, role, fields)
        response = post_step(client, programme_round, role, step, fields, files)
        assert response.status_code == 302, (
            step,
            response.status_code,
            response.context and response.context["form"].errors,
        )
        if step == until:
            break
    return response
