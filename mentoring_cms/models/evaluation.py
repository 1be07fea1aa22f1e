"""The end-of-round evaluation (issue 17): the form editors build, when a
round asks it, the anonymous answers and who has answered.

Anonymity is kept by the shape of the tables, not by promise:

* ``EvaluationAnswer`` has no link to a person or an application: only the
  round, the role, the day (never a time) and the answers. Its primary key
  is a random UUID, so neither its key nor an ordering by key follows the
  order people answered in (an auto-increment key would line up with the
  receipts written in the same transaction).
* ``EvaluationReceipt`` records *that* an application has answered, with no
  time and nothing of what was answered; it is written in the same
  transaction as the answer (``outcomes.evaluation.submit_evaluation``) and
  deleted with the application or when it is anonymised
  (``erase_evaluation_records``). The answers stay.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StreamBlockValidationError
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from ..questions.blocks import ApplicationFormBlock
from .applications import Application
from .questions import QuestionFormMixin


class EvaluationForm(QuestionFormMixin, TranslatableMixin, index.Indexed, models.Model):
    """The questions of an end-of-round evaluation, built from the same
    blocks as an application form (``questions.blocks``) and translated by
    wagtail-localize like it. Core questions (name, email…) are refused:
    the answers are anonymous."""

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("For editors, e.g. “Evaluation 2026”."),
    )
    body = StreamField(ApplicationFormBlock(), verbose_name=_("steps"))

    panels = [FieldPanel("name"), FieldPanel("body")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        core = [q for q in self.schema.questions() if q.is_core]
        if core:
            raise ValidationError(
                {
                    "body": StreamBlockValidationError(
                        non_block_errors=[
                            gettext(
                                "An evaluation is anonymous: it cannot ask core "
                                "questions such as the name or email address."
                            )
                        ]
                    )
                }
            )


class RoundEvaluation(models.Model):
    """That a round asks its participants to evaluate it: with which form,
    from which day to which day (both included, Oslo dates). One per round,
    on the round in the default language (the one applications belong to)."""

    round = models.OneToOneField(
        "mentoring_cms.ProgramRoundPage",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    form = models.ForeignKey(
        EvaluationForm,
        verbose_name=_("evaluation form"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_on = models.DateField(
        _("opens on"),
        help_text=_(
            "The first day participants can answer, e.g. the day of the last gathering."
        ),
    )
    closes_on = models.DateField(
        _("closes on"), help_text=_("The last day participants can answer.")
    )

    panels = [
        FieldPanel("round"),
        FieldPanel("form"),
        FieldPanel("opens_on"),
        FieldPanel("closes_on"),
    ]

    class Meta:
        verbose_name = _("round evaluation")
        verbose_name_plural = _("round evaluations")
        ordering = ["-opens_on", "pk"]

    def __str__(self):
        return str(self.round)

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = gettext(
                "The evaluation must close on or after the day it opens."
            )
        if self.round_id and self.round.locale.language_code != settings.LANGUAGE_CODE:
            errors["round"] = gettext(
                "Choose the round in the default language; its translations "
                "share its evaluation."
            )
        if errors:
            raise ValidationError(errors)

    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"

    def state_on(self, day=None):
        """``"not_yet"``, ``"open"`` or ``"closed"`` on ``day`` (a date,
        default today in the site's time zone)."""
        day = day or timezone.localdate()
        if day < self.opens_on:
            return self.NOT_YET
        if day > self.closes_on:
            return self.CLOSED
        return self.OPEN

    def forms(self):
        """The form and its translations (one query)."""
        return list(
            EvaluationForm.objects.filter(
                translation_key=self.form.translation_key
            ).select_related("locale")
        )


class EvaluationAnswer(models.Model):
    """One participant's anonymous answers to a round's evaluation.

    ``answers`` holds entries in the shape of ``questions.snapshot`` (the
    questions as they were asked, in every language, with the value). No
    field names the person, her application, her language or the moment
    beyond the day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
    )
    role = models.CharField(_("role"), max_length=16, choices=Application.Role.choices)
    answered_on = models.DateField(_("answered on"), default=timezone.localdate)
    answers = models.JSONField(_("answers"), default=list)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self):
        return f"{self.round_id}/{self.role}"


class EvaluationReceipt(models.Model):
    """That an application has answered its round's evaluation: nothing
    else (no time, no answer), so that each person answers once."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evaluation_receipt",
    )

    class Meta:
        verbose_name = _("evaluation receipt")
        verbose_name_plural = _("evaluation receipts")

    def __str__(self):
        return str(self.application_id)


class EvaluationInvitation(models.Model):
    """That the email inviting an application's person to evaluate the
    round has gone out; written only once it was sent, so a failed send is
    tried again on the next run."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitation",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")

    def __str__(self):
        return str(self.application_id)


def evaluation_state(application, day=None):
    """What the personal page says of the round's evaluation, for an
    accepted participant: ``None`` when the round asks none, else a dict
    with ``state`` (``"not_yet"``, ``"open"``, ``"closed"`` or
    ``"answered"``), ``opens_on`` and ``closes_on`` (dates). Two queries
    at most."""
    evaluation = RoundEvaluation.objects.filter(round_id=application.round_id).first()
    if evaluation is None:
        return None
    state = evaluation.state_on(day)
    if EvaluationReceipt.objects.filter(application=application).exists():
        state = "answered"
    return {
        "state": state,
        "opens_on": evaluation.opens_on,
        "closes_on": evaluation.closes_on,
    }


def erase_evaluation_records(application):
    """Delete the receipt and the invitation of ``application`` (part of
    anonymising it); the anonymous answers stay."""
    EvaluationReceipt.objects.filter(application=application).delete()
    EvaluationInvitation.objects.filter(application=application).delete()
