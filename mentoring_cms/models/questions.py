"""Application forms editors own, and which form a round asks.

``ApplicationForm`` is a translatable snippet: editors build it from the
blocks of ``questions.blocks`` in the source language, and wagtail-localize
translates its titles, labels, help texts and choices like the pages. A
programme names the default form of each role (``ProgrammeFormsMixin``),
a round may override it (``RoundFormsMixin``); both follow into the pages'
translations.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import StreamBlockValidationError
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from ..questions import changes, schema, snapshot
from ..questions.blocks import ApplicationFormBlock
from .applications import Application


class QuestionFormMixin:
    """What a form of question blocks (``body``, a StreamField of
    ``ApplicationFormBlock``) gives: its schema in its language and in every
    translation. Shared by application and evaluation forms."""

    @property
    def schema(self):
        """The form as ``questions.schema.FormSchema`` in its language."""
        return schema.schema_of(self.body)

    def schemas_by_language(self):
        """``{language code: FormSchema}`` of this form and its translations
        (one query)."""
        rows = (
            type(self)
            .objects.filter(translation_key=self.translation_key)
            .values_list("locale__language_code", "body")
        )
        schemas = {code: schema.schema_of(body) for code, body in rows}
        schemas.setdefault(self.locale.language_code, self.schema)
        return schemas


class ApplicationForm(
    QuestionFormMixin, TranslatableMixin, index.Indexed, models.Model
):
    """The questions of one role's application, step by step.

    Core questions (``questions.schema.CORE_QUESTIONS``) keep their type
    and rules in code; a form must place those its role requires. Once a
    round open for applications has answers to a question, the question
    can be reworded but not removed, retyped or made required
    (``questions.changes``).
    """

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("For editors, e.g. “Mentee application 2026”."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Application.Role.choices)
    body = StreamField(ApplicationFormBlock(), verbose_name=_("steps"))

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("body")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def answered_identifiers(self, moment=None):
        """The identifiers of this form's questions that have answers in
        applications to rounds open for applications at ``moment``
        (default now), in any language."""
        moment = moment or timezone.now()
        entries = Application.objects.filter(
            form_translation_key=self.translation_key,
            round__application_opens__lte=moment,
            round__application_closes__gt=moment,
        ).values_list("answer_snapshot", flat=True)
        answered = set()
        for snapshot_entries in entries.iterator():
            answered |= snapshot.answered_identifiers(snapshot_entries)
        return answered

    def clean(self):
        super().clean()
        form_schema = self.schema
        identifiers = [question.id for question in form_schema.questions()]
        messages = []
        missing = schema.missing_core_questions(self.role, identifiers)
        if missing:
            messages.append(
                ngettext(
                    "The form must ask the core question %(questions)s.",
                    "The form must ask the core questions %(questions)s.",
                    len(missing),
                )
                % {"questions": ", ".join(f"“{q.name}”" for q in missing)}
            )
        for question in schema.core_questions_not_for(self.role, identifiers):
            messages.append(
                gettext("“%(question)s” is not asked in this role's form.")
                % {"question": question.name}
            )
        if self.pk and not messages:
            messages = self._refused_changes(form_schema)
        if messages:
            raise ValidationError(
                {"body": StreamBlockValidationError(non_block_errors=messages)}
            )

    def _refused_changes(self, form_schema):
        stored = (
            ApplicationForm.objects.filter(pk=self.pk)
            .values_list("body", flat=True)
            .first()
        )
        if stored is None:
            return []
        answered = self.answered_identifiers()
        if not answered:
            return []
        return changes.refused_changes(schema.schema_of(stored), form_schema, answered)


def _form_field(role, verbose_name, help_text, related_name="+"):
    return models.ForeignKey(
        ApplicationForm,
        verbose_name=verbose_name,
        help_text=help_text,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"role": role},
    )


def _check_roles(page, names):
    errors = {}
    for name, role in names:
        form = getattr(page, name)
        if form is not None and form.role != role:
            errors[name] = gettext("Choose a form for the %(role)s application.") % {
                "role": Application.Role(role).label.lower()
            }
    if errors:
        raise ValidationError(errors)


class ProgrammeFormsMixin(models.Model):
    """The default application forms of a programme's rounds."""

    default_mentee_form = _form_field(
        Application.Role.MENTEE,
        _("mentee application form"),
        _("Asked in every round that does not choose its own."),
        related_name="programmes_asking_mentees",
    )
    default_mentor_form = _form_field(
        Application.Role.MENTOR,
        _("mentor application form"),
        _("Asked in every round that does not choose its own."),
        related_name="programmes_asking_mentors",
    )

    application_form_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("default_mentee_form"),
                        FieldPanel("default_mentor_form"),
                    ]
                )
            ],
            heading=_("Application forms"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        _check_roles(
            self,
            [
                ("default_mentee_form", Application.Role.MENTEE),
                ("default_mentor_form", Application.Role.MENTOR),
            ],
        )

    def default_form_for(self, role):
        """The programme's form for ``role``, or None."""
        if role == Application.Role.MENTOR:
            return self.default_mentor_form
        return self.default_mentee_form


class RoundFormsMixin(models.Model):
    """A round's own application forms, replacing the programme's."""

    mentee_form = _form_field(
        Application.Role.MENTEE,
        _("mentee application form"),
        _("Leave empty to ask the programme's form."),
    )
    mentor_form = _form_field(
        Application.Role.MENTOR,
        _("mentor application form"),
        _("Leave empty to ask the programme's form."),
    )

    application_form_panels = [
        FieldRowPanel([FieldPanel("mentee_form"), FieldPanel("mentor_form")])
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        _check_roles(
            self,
            [
                ("mentee_form", Application.Role.MENTEE),
                ("mentor_form", Application.Role.MENTOR),
            ],
        )

    def application_forms_for(self, role):
        """The form applicants in ``role`` answer in this round — the
        round's own, else its programme's — with all its translations, in
        one query (no parent page needed); an empty list without a form."""
        own = (
            self.mentor_form_id
            if role == Application.Role.MENTOR
            else (self.mentee_form_id)
        )
        if own is not None:
            chosen = ApplicationForm.objects.filter(pk=own)
        else:
            relation = (
                "programmes_asking_mentors"
                if role == Application.Role.MENTOR
                else "programmes_asking_mentees"
            )
            parent_path = self.path[: -self.steplen]
            chosen = ApplicationForm.objects.filter(
                **{f"{relation}__path": parent_path}
            )
        keys = chosen.values("translation_key")[:1]
        return list(
            ApplicationForm.objects.filter(translation_key__in=keys).select_related(
                "locale"
            )
        )

    def application_form_for(self, role):
        """The form applicants in ``role`` answer in this round, in the
        round's language where it has been translated, else in the site's
        default language (see ``application_forms_for``), or None."""
        return pick_translation(self.application_forms_for(role), self.locale_id)


def pick_translation(forms, locale_id, language=None):
    """The form of ``forms`` (one form's translations) in ``locale_id`` (or
    in the language ``language``), else the one in the site's default
    language, else any; None for none."""
    for form in forms:
        if form.locale_id == locale_id or (
            language and form.locale.language_code == language
        ):
            return form
    for form in forms:
        if form.locale.language_code == settings.LANGUAGE_CODE:
            return form
    return forms[0] if forms else None
