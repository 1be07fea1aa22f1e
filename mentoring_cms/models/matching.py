"""The matching of mentors and mentees (issue 15): HR's proposals, constraints
and mentor capacities, and the official pairs.

The work on these rows lives in ``mentoring_cms.matching.operations``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MATCH_PERMISSION = "mentoring_cms.match_participants"


class Track(models.TextChoices):
    """The promotion a mentee aims for, or the one a mentor has made."""

    PROFESSOR = "professor", _("Professor")
    DOSENT = "dosent", _("Docent")


class MentorCapacity(models.Model):
    """How many mentees a mentor takes, when HR sets more than one (issue 15:
    "a mentor takes one mentee unless HR sets a higher capacity"). Erased
    with the application. The participants' own matching answers are part of
    the application's answers (``matching.profiles``)."""

    application = models.OneToOneField(
        "mentoring_cms.Application",
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="mentor_capacity",
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees this mentor takes"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    class Meta:
        verbose_name = _("mentor capacity")
        verbose_name_plural = _("mentor capacities")

    def __str__(self):
        return f"{self.application}: {self.capacity}"


class MatchingRun(models.Model):
    """One run of the matching for a round: a proposal HR may publish.

    ``weights`` are the soft rules' weights used (``engine.Weights.as_dict``);
    ``unmatched`` the engine's unmatched participants as dicts."""

    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="matching_runs",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    weights = models.JSONField(_("weights"), default=dict)
    total_score = models.FloatField(_("total score"), default=0)
    unmatched = models.JSONField(_("unmatched"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching proposal")
        verbose_name_plural = _("matching proposals")
        ordering = ["-created_at", "-pk"]
        permissions = [("match_participants", _("Can match mentors and mentees"))]

    def __str__(self):
        return _("Proposal %(number)s") % {"number": self.pk}

    def mark_published(self, moment):
        self.published_at = moment
        self.save(update_fields=["published_at"])


class ProposedPair(models.Model):
    """A pair of a proposal, with its score and machine-readable reasons."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(
        "mentoring_cms.Application", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        "mentoring_cms.Application", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    fixed = models.CharField(_("kept by HR"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("proposed pair")
        verbose_name_plural = _("proposed pairs")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"


class PairConstraint(models.Model):
    """HR's word on one mentor–mentee pair of a round: keep it (lock), set it
    by hand, or never propose it (forbid). At most one per pair."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("Locked")
        HAND_SET = "hand_set", _("Set by hand")
        FORBID = "forbid", _("Forbidden")

    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        on_delete=models.CASCADE,
        related_name="pair_constraints",
    )
    mentor = models.ForeignKey(
        "mentoring_cms.Application", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        "mentoring_cms.Application", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pair constraint")
        verbose_name_plural = _("pair constraints")
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                name="mentoring_cms_one_constraint_per_pair",
            )
        ]

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"


class Match(models.Model):
    """An official (published) pair. It ends when a later publication
    replaces it; a withdrawn participant leaves their partner unmatched."""

    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="matches",
    )
    run = models.ForeignKey(
        MatchingRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    mentor = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mentee = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("mentee"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    mentor_introduced_at = models.DateTimeField(null=True, blank=True)
    mentee_introduced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("official pair")
        verbose_name_plural = _("official pairs")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(ended_at__isnull=True),
                name="mentoring_cms_one_current_match_per_mentee",
            )
        ]

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"

    def mark_introduced(self, role, moment=None):
        """Record that ``role``'s introduction email has gone out."""
        name = f"{role}_introduced_at"
        setattr(self, name, moment or timezone.now())
        self.save(update_fields=[name])

    def end(self, moment=None):
        self.ended_at = moment or timezone.now()
        self.save(update_fields=["ended_at"])


def forget_matching_reasons(application):
    """Blank the reasons stored with ``application``'s proposed and official
    pairs (they repeat its topics and what its partner wished): part of
    anonymising it. Its matching answers go with its other answers."""
    for model in (ProposedPair, Match):
        model.objects.filter(mentor=application).update(reasons=[])
        model.objects.filter(mentee=application).update(reasons=[])
