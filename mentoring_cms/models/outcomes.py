"""What became of the programme's participants after their round (issue 17):
a former mentee's promotion outcome, and the completion figures of every
participant kept once her application has been anonymised.

Rules (refused with a message in the user's language by ``clean`` and, where
a database can check them, by constraints as well):

* a result (promoted, not promoted) needs an application for promotion: the
  position applied for and the year she applied;
* no year of an outcome lies before the year of her round (``round_year``,
  copied from the round so that the database can check it) nor in the
  future, and the result comes no earlier than the application.

Privacy: when the retention job anonymises the application the outcome
keeps only what the statistics need — round (through the anonymised
application), role, faculty, result, position and years — and loses who
recorded it, where from, and HR's note (``keep_statistics_only``). Erasure
on the person's request deletes the application and, with it, the outcome
and the completion record (``on_delete=CASCADE``): she asked for everything
to go, and the dashboard then counts her in neither the numerator nor the
denominator of any share.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .participation import Attendance


class PromotionOutcome(models.Model):
    """Whether and when one former mentee applied for promotion, and how it
    went. One per accepted mentee application (``application``)."""

    class Result(models.TextChoices):
        NOT_APPLIED = "not_applied", _("Has not applied")
        APPLIED = "applied", _("Applied, no result yet")
        PROMOTED = "promoted", _("Promoted")
        NOT_PROMOTED = "not_promoted", _("Not promoted")

    class Position(models.TextChoices):
        PROFESSOR = "professor", _("Professor")
        DOCENT = "dosent", _("Docent")

    class Source(models.TextChoices):
        HR = "hr", _("HR")
        MENTEE = "mentee", _("The mentee herself")

    # Results that say she applied, and those that are a decision.
    APPLIED_RESULTS = frozenset({Result.APPLIED, Result.PROMOTED, Result.NOT_PROMOTED})
    DECIDED_RESULTS = frozenset({Result.PROMOTED, Result.NOT_PROMOTED})

    application = models.OneToOneField(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="promotion_outcome",
    )
    round_year = models.PositiveSmallIntegerField(
        _("year of the round"), editable=False
    )
    result = models.CharField(_("outcome"), max_length=16, choices=Result.choices)
    position = models.CharField(
        _("position applied for"),
        max_length=16,
        choices=Position.choices,
        blank=True,
    )
    applied_year = models.PositiveSmallIntegerField(
        _("year of the application for promotion"), null=True, blank=True
    )
    result_year = models.PositiveSmallIntegerField(
        _("year of the result"), null=True, blank=True
    )
    # Personal details of the record, dropped on anonymisation.
    source = models.CharField(
        _("reported by"), max_length=8, choices=Source.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    note = models.TextField(_("HR's note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("promotion outcome")
        verbose_name_plural = _("promotion outcomes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        result="not_applied",
                        position="",
                        applied_year__isnull=True,
                        result_year__isnull=True,
                    )
                    | (
                        Q(
                            result="applied",
                            applied_year__isnull=False,
                            result_year__isnull=True,
                        )
                        & ~Q(position="")
                    )
                    | (
                        Q(
                            result__in=["promoted", "not_promoted"],
                            applied_year__isnull=False,
                            result_year__isnull=False,
                            result_year__gte=F("applied_year"),
                        )
                        & ~Q(position="")
                    )
                ),
                name="mentoring_cms_outcome_result_needs_application",
            ),
            models.CheckConstraint(
                condition=(
                    (
                        Q(applied_year__isnull=True)
                        | Q(applied_year__gte=F("round_year"))
                    )
                    & (
                        Q(result_year__isnull=True)
                        | Q(result_year__gte=F("round_year"))
                    )
                ),
                name="mentoring_cms_outcome_not_before_round",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.result}"

    @property
    def applied(self):
        return self.result in self.APPLIED_RESULTS

    @property
    def promoted(self):
        return self.result == self.Result.PROMOTED

    def clean(self):
        """Check the rules of the module docstring; raises
        ``ValidationError`` with one message per field at fault."""
        errors = {}
        this_year = timezone.localdate().year
        if self.result == self.Result.NOT_APPLIED:
            # Nothing to say about an application that was not made.
            self.position = ""
            self.applied_year = None
            self.result_year = None
        if self.result in self.APPLIED_RESULTS:
            if not self.position:
                errors["position"] = _("Choose the position she applied for.")
            if self.applied_year is None:
                errors["applied_year"] = (
                    _("A result needs an application: give the year she applied.")
                    if self.result in self.DECIDED_RESULTS
                    else _("Give the year she applied.")
                )
        if self.result in self.DECIDED_RESULTS and self.result_year is None:
            errors["result_year"] = _("Give the year of the result.")
        if self.result == self.Result.APPLIED:
            self.result_year = None
        for field in ("applied_year", "result_year"):
            year = getattr(self, field)
            if year is None or field in errors:
                continue
            if self.round_year and year < self.round_year:
                errors[field] = _("The year cannot be before the round (%(year)s).") % {
                    "year": self.round_year
                }
            elif year > this_year:
                errors[field] = _("The year cannot be in the future.")
        if (
            "applied_year" not in errors
            and "result_year" not in errors
            and self.applied_year is not None
            and self.result_year is not None
            and self.result_year < self.applied_year
        ):
            errors["result_year"] = _(
                "The result cannot come before the application for promotion."
            )
        if errors:
            raise ValidationError(errors)


class CompletionRecord(models.Model):
    """How far one participant took part, kept when her application is
    anonymised and her attendance and meetings are deleted: the number of
    mandatory gatherings she was registered absent from, and of meetings
    she logged. Counts only, never which gathering or which day."""

    application = models.OneToOneField(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="completion_record",
    )
    missed_mandatory = models.PositiveSmallIntegerField(
        _("mandatory gatherings missed"), default=0
    )
    meetings = models.PositiveSmallIntegerField(_("meetings logged"), default=0)

    class Meta:
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")

    def __str__(self):
        return str(self.application_id)


def keep_statistics_only(application):
    """Part of anonymising ``application`` (``operations.anonymise_application``),
    called before its attendance and meetings are deleted: keep her
    completion counts in a ``CompletionRecord`` (accepted participants
    only) and strip her promotion outcome down to what the statistics
    need. Two to four queries."""
    if application.status == Application.Status.ACCEPTED:
        missed = application.attendances.filter(
            session__mandatory=True,
            status__in=Attendance.MISSED,
        ).count()
        meetings = application.meetings.count()
        CompletionRecord.objects.update_or_create(
            application=application,
            defaults={"missed_mandatory": missed, "meetings": meetings},
        )
    PromotionOutcome.objects.filter(application=application).update(
        source="", recorded_by=None, recorded_at=None, note=""
    )
