"""The seed's questions become the default application forms.

For a database with programmes: one mentee and one mentor form in the
default language with their English translation (``questions.defaults``),
named as every programme's defaults (in the programme page's language, its
revisions included so the next edit keeps them), and the answers of every
application already in kept with the questions as they were asked
(``questions.snapshot``). A new site gets its forms from the demo content.
"""

import functools
import uuid

from django.conf import settings
from django.db import migrations

from mentoring_cms.questions import core, defaults, schema, snapshot

ROLES = (defaults.MENTEE, defaults.MENTOR)
FIELDS = {defaults.MENTEE: "default_mentee_form", defaults.MENTOR: "default_mentor_form"}


def _locales(apps):
    Locale = apps.get_model("wagtailcore", "Locale")
    codes = [settings.LANGUAGE_CODE] + [
        code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in codes
    }


def _stored_values(role, answers):
    values = {}
    for identifier, (kind, *_rest) in defaults.QUESTIONS.items():
        if identifier not in answers:
            continue
        value = answers[identifier]
        if kind == "yes_no" and isinstance(value, str):
            value = {"yes": True, "no": False}.get(value)
        values[identifier] = value
    return values


def create_default_forms(apps, schema_editor):
    ProgramPage = apps.get_model("mentoring_cms", "ProgramPage")
    if not ProgramPage.objects.exists():
        return
    ApplicationForm = apps.get_model("mentoring_cms", "ApplicationForm")
    Application = apps.get_model("mentoring_cms", "Application")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    locales = _locales(apps)
    forms = {}
    for role in ROLES:
        key = uuid.uuid4()
        for code, locale in locales.items():
            forms[role, locale.pk] = ApplicationForm.objects.create(
                translation_key=key,
                locale=locale,
                name=defaults.default_name(role, code),
                role=role,
                body=defaults.default_body(role, code),
            )
    source_locale = locales[settings.LANGUAGE_CODE].pk
    page_type = ContentType.objects.filter(
        app_label="mentoring_cms", model="programpage"
    ).first()
    for programme in ProgramPage.objects.all():
        chosen = {
            FIELDS[role]: forms.get((role, programme.locale_id))
            or forms[role, source_locale]
            for role in ROLES
        }
        for name, form in chosen.items():
            setattr(programme, name, form)
        programme.save(update_fields=list(chosen))
        if page_type is None:
            continue
        for revision in Revision.objects.filter(
            content_type=page_type, object_id=str(programme.pk)
        ):
            content = dict(revision.content or {})
            for name, form in chosen.items():
                if content.get(name) is None:
                    content[name] = form.pk
            revision.content = content
            revision.save(update_fields=["content"])

    schemas = {
        role: {
            code: schema.schema_from_raw(defaults.default_body(role, code))
            for code in locales
        }
        for role in ROLES
    }
    for application in Application.objects.filter(anonymised_at__isnull=True):
        if application.answer_snapshot or application.role not in schemas:
            continue
        application.answer_snapshot = snapshot.take_snapshot(
            schemas[application.role],
            _stored_values(application.role, application.answers or {}),
            settings.LANGUAGE_CODE,
            core_label=functools.partial(core.question_label, application.role),
        )
        application.form_translation_key = forms[
            application.role, source_locale
        ].translation_key
        application.save(update_fields=["answer_snapshot", "form_translation_key"])


def remove_default_forms(apps, schema_editor):
    ProgramPage = apps.get_model("mentoring_cms", "ProgramPage")
    ProgramRoundPage = apps.get_model("mentoring_cms", "ProgramRoundPage")
    Application = apps.get_model("mentoring_cms", "Application")
    ApplicationForm = apps.get_model("mentoring_cms", "ApplicationForm")
    ProgramPage.objects.update(default_mentee_form=None, default_mentor_form=None)
    ProgramRoundPage.objects.update(mentee_form=None, mentor_form=None)
    Application.objects.update(answer_snapshot=[], form_translation_key=None)
    ApplicationForm.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentoring_cms", "0011_application_forms"),
    ]

    operations = [migrations.RunPython(create_default_forms, remove_default_forms)]
