"""Small builders for page trees and snippets used across the tests."""

import datetime
import itertools

from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from home.models import HomePage
from mentoring_cms.models import (
    Application,
    ApplicationForm,
    ContactPage,
    ContactPerson,
    Faculty,
    ProgramPage,
    ProgramRoundPage,
    SessionPage,
)

OSLO = timezone.get_default_timezone


def oslo(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO())


def get_locale(code):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    return locale


def make_site(**kwargs):
    """A site whose root is a Norwegian HomePage (replacing Wagtail's welcome page)."""
    nb = get_locale("nb")
    get_locale("en")
    root = Page.get_first_root_node()
    kwargs.setdefault("title", "Hjem")
    kwargs.setdefault("slug", "hjem")
    home = HomePage(locale=nb, **kwargs)
    root.add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    return home


def make_application_form(role="mentee", body=None, translate=True, **kwargs):
    """An application form in Norwegian (the seed's questions unless
    ``body`` is given) with its English translation."""
    from mentoring_cms.questions import defaults

    kwargs.setdefault("name", defaults.default_name(role))
    form = ApplicationForm.objects.create(
        locale=get_locale("nb"),
        role=role,
        body=body if body is not None else defaults.default_body(role, "nb"),
        **kwargs,
    )
    if translate:
        english = form.copy_for_translation(get_locale("en"))
        english.name = defaults.default_name(role, "en")
        if body is None:
            english.body = defaults.default_body(role, "en")
        english.save()
    return form


def make_programme(parent, **kwargs):
    """A programme whose rounds ask the default forms (as migration 0012
    and the demo content leave every programme)."""
    kwargs.setdefault("title", "Mentorprogram")
    kwargs.setdefault("slug", "mentorprogram")
    kwargs.setdefault("intro", "<p>Mentorprogram for kvinner.</p>")
    if "default_mentee_form" not in kwargs:
        kwargs["default_mentee_form"] = make_application_form("mentee")
    if "default_mentor_form" not in kwargs:
        kwargs["default_mentor_form"] = make_application_form("mentor")
    page = ProgramPage(**kwargs)
    parent.add_child(instance=page)
    return page


def make_round(parent, **kwargs):
    """A round whose application window is open now unless dates are given."""
    today = timezone.localdate()
    kwargs.setdefault("title", f"Runde {today.year}")
    kwargs.setdefault("slug", f"runde-{today.year}")
    kwargs.setdefault("application_opens", timezone.now() - datetime.timedelta(days=7))
    kwargs.setdefault(
        "application_closes", timezone.now() + datetime.timedelta(days=14)
    )
    kwargs.setdefault("period_start", today + datetime.timedelta(days=30))
    kwargs.setdefault("period_end", today + datetime.timedelta(days=400))
    page = ProgramRoundPage(**kwargs)
    parent.add_child(instance=page)
    return page


def make_session(parent, **kwargs):
    start = kwargs.pop("start", parent.starts_at + datetime.timedelta(days=1, hours=9))
    kwargs.setdefault("title", "Samling")
    kwargs.setdefault("slug", f"samling-{start:%Y%m%d%H%M}")
    kwargs.setdefault("end", start + datetime.timedelta(hours=6))
    page = SessionPage(start=start, **kwargs)
    parent.add_child(instance=page)
    return page


def make_contact_page(parent, **kwargs):
    kwargs.setdefault("title", "Kontakt")
    kwargs.setdefault("slug", "kontakt")
    page = ContactPage(**kwargs)
    parent.add_child(instance=page)
    return page


def make_faculty(**kwargs):
    kwargs.setdefault("name", "Fakultet for naturvitenskap")
    kwargs.setdefault("locale", get_locale("nb"))
    return Faculty.objects.create(**kwargs)


def make_contact_person(**kwargs):
    kwargs.setdefault("name", "Solveig Eksempelsen")
    kwargs.setdefault("job_title", "Seniorrådgiver")
    kwargs.setdefault("unit", "HR- og HMS-avdelingen")
    kwargs.setdefault("locale", get_locale("nb"))
    return ContactPerson.objects.create(**kwargs)


def translate_page(page, language_code="en", **fields):
    """Publish ``page``'s translation into ``language_code`` with ``fields``;
    its parent must be translated already."""
    locale = get_locale(language_code)
    translation = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def translate_snippet(snippet, language_code="en", **fields):
    translation = snippet.copy_for_translation(get_locale(language_code))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


_application_numbers = itertools.count(1)


def make_application(**kwargs):
    """An application as the wizard would store it; ``round`` is required
    unless a round page exists already."""
    if "round" not in kwargs:
        kwargs["round"] = ProgramRoundPage.objects.order_by("pk").first()
    kwargs.setdefault("role", Application.Role.MENTEE)
    number = next(_application_numbers)
    kwargs.setdefault("reference", f"MP-TEST-{number:05d}")
    kwargs.setdefault("full_name", f"Søker Ærlighetsdøttir {number}")
    kwargs.setdefault("email", f"soker{number}@example.org")
    kwargs.setdefault("phone", "")
    kwargs.setdefault("language", "nb")
    if kwargs["role"] == Application.Role.MENTEE:
        kwargs.setdefault("position", "associate_professor")
        kwargs.setdefault("permanently_employed", True)
    else:
        kwargs.setdefault("position", "professor")
    kwargs.setdefault("department", "Institutt for fysikk")
    kwargs.setdefault("academic_field", "Fysikk")
    kwargs.setdefault("privacy_notice_version", "2026-01")
    kwargs.setdefault(
        "answers",
        {
            "motivation": "Jeg vil bli professor.",
            "confirm_gatherings": True,
            "confirm_meetings": True,
            "accept_privacy": True,
        },
    )
    return Application.objects.create(**kwargs)


def set_admin_language(user, language):
    """Choose the language of the Wagtail admin for ``user``."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
