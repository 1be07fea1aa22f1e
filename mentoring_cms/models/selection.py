"""Selection: faculty coordinators nominate their own mentees, a committee
scores nominated mentees and mentor applications against the round's
criteria, and HR decides from the ranking (issue 14).

The rules that involve several rows (quota, deadline, conflicts, one review
per reviewer) are enforced by ``mentoring_cms.selection.operations``; the
database backs the ones it can with constraints.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, TranslatableMixin

# The seed's three criteria ("motivasjon, begrunnelse og hvor langt du er
# kommet i opprykksarbeidet"), given to a round that has none of its own.
DEFAULT_CRITERIA = (
    ("motivation", _("Motivation")),
    ("justification", _("Justification")),
    ("promotion_progress", _("Progress towards promotion")),
)
# Whom each default criterion scores ("" both roles): progress towards
# promotion is the mentee's (the seed: faculties nominate mentees on
# motivation, justification and progress); mentors are professors already.
DEFAULT_CRITERION_ROLES = {"promotion_progress": "mentee"}
DEFAULT_SCALE = (1, 5)


class FacultyCoordinator(models.Model):
    """A person who nominates mentees for one or more faculties.

    Faculties are chosen in the default language; a coordinator sees the
    applications to these faculties in any language (same
    ``translation_key``). The role itself (seeing and nominating) comes with
    the ``mentoring_cms.nominate_mentee`` permission of the "Faculty
    coordinators" group."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="faculty_coordinator",
    )
    faculties = models.ManyToManyField(
        "mentoring_cms.Faculty",
        verbose_name=_("faculties"),
        related_name="+",
        help_text=_("The faculties whose mentee applications this person sees."),
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("faculties", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = _("faculty coordinator")
        verbose_name_plural = _("faculty coordinators")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


class SelectionCriterion(TranslatableMixin, Orderable):
    """One criterion a round's applications are scored on, with its scale.

    Rows of the round page (an ``InlinePanel``), so wagtail-localize
    translates the label with the page; the scale is a fact and the scores
    always point at the criteria of the round in the default language."""

    round = ParentalKey(
        "mentoring_cms.ProgramRoundPage",
        on_delete=models.CASCADE,
        related_name="selection_criteria",
    )
    label = models.CharField(_("criterion"), max_length=255)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1)]
    )
    applies_to = models.CharField(
        _("applies to"),
        max_length=10,
        blank=True,
        default="",
        choices=[
            ("", _("Mentees and mentors")),
            ("mentee", _("Mentees only")),
            ("mentor", _("Mentors only")),
        ],
        help_text=_("Whose applications the committee scores on this criterion."),
    )

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("scale_min"), FieldPanel("scale_max")]),
        FieldPanel("applies_to"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_max <= self.scale_min
        ):
            raise ValidationError(
                {"scale_max": _("The highest score must be above the lowest.")}
            )


class Nomination(models.Model):
    """A faculty coordinator's nomination of one mentee application.

    At most one nomination of an application is active (not withdrawn) at a
    time; a withdrawn one stays as a record."""

    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    justification = models.TextField(_("justification"))
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(withdrawn_at__isnull=True),
                name="mentoring_cms_one_active_nomination",
            )
        ]
        permissions = [
            (
                "nominate_mentee",
                _("Can see and nominate the mentee applications of own faculties"),
            ),
        ]

    def __str__(self):
        return _("Nomination of %(application)s") % {"application": self.application}

    def withdraw(self, now=None):
        self.withdrawn_at = now or timezone.now()
        self.save(update_fields=["withdrawn_at"])


class Review(models.Model):
    """One reviewer's scores of one application, submitted once.

    ``mean`` is the mean of its scores, kept so that the listing and the
    ranking aggregate one number per review."""

    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    # A deleted user's reviews stay, without a name.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    mean = models.FloatField(_("mean score"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="mentoring_cms_one_review_per_reviewer",
            )
        ]
        permissions = [("score_application", _("Can score applications"))]

    def __str__(self):
        return _("Review of %(application)s") % {"application": self.application}


class Score(models.Model):
    """The score one review gives on one criterion."""

    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    # PROTECT: a criterion that has been scored cannot silently disappear
    # from a round (and take the scores with it).
    criterion = models.ForeignKey(
        SelectionCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="mentoring_cms_one_score_each"
            )
        ]

    def __str__(self):
        return str(self.value)


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that she cannot judge an application (for
    example: the same department); she cannot score it afterwards."""

    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="mentoring_cms_one_conflict_per_reviewer",
            )
        ]

    def __str__(self):
        return _("Conflict of interest on %(application)s") % {
            "application": self.application
        }


class NominationReminder(models.Model):
    """That a coordinator was reminded of a round's nomination deadline, so
    that the reminder goes out once however often the command runs."""

    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], name="mentoring_cms_one_reminder"
            )
        ]

    def __str__(self):
        return f"{self.round_id}/{self.user_id}"


class ReviewReminder(models.Model):
    """That a reviewer was reminded of the applications she has still to
    score before a round's decision date (``decisions_by``), so that the
    reminder goes out once however often the command runs; stored only
    once the email has gone (a failed one is tried again)."""

    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], name="mentoring_cms_one_review_reminder"
            )
        ]

    def __str__(self):
        return f"{self.round_id}/{self.user_id}"
