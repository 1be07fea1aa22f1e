"""Scores as numbers HR can sort and decide on: per application the mean of
its reviews, how many there are and their spread; per role a ranking with
the places left; per round the dashboard's counts.

The score columns are correlated subqueries over ``Review`` (one row per
review, with its own mean), so the listing stays one query at any size and
the database computes them only for the rows of the page shown.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from ..conf import get_setting
from ..models import Application, Review
from . import access

Status = Application.Status


def _per_application(aggregate, output_field):
    return Subquery(
        Review.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(value=aggregate)
        .values("value")[:1],
        output_field=output_field,
    )


def score_annotations():
    """``annotate`` keyword arguments for an ``Application`` queryset:
    ``review_mean`` (mean of the reviews' means, None without reviews),
    ``review_count`` (0 without) and ``review_spread`` (highest review mean
    minus lowest; None without reviews)."""
    return {
        "review_mean": _per_application(Avg("mean"), FloatField()),
        "review_count": Coalesce(
            _per_application(Count("pk"), IntegerField()),
            Value(0),
            output_field=IntegerField(),
        ),
        "review_spread": _per_application(Max("mean") - Min("mean"), FloatField()),
    }


def with_scores(queryset):
    """``queryset`` of applications with the score columns annotated."""
    return queryset.annotate(**score_annotations())


def ranked(queryset):
    """Best mean first; unreviewed last; more reviews, then earlier
    applications first among equals."""
    return with_scores(queryset).order_by(
        F("review_mean").desc(nulls_last=True),
        F("review_count").desc(),
        "submitted_at",
        "pk",
    )


@dataclass
class RoleRanking:
    """One role's candidates for HR, best first, with the places left."""

    role: str
    label: str
    places: int
    accepted: int
    rows: list = field(default_factory=list)

    @property
    def places_left(self):
        return max(self.places - self.accepted, 0)


# Who is ranked: those the committee scores, and the waitlisted (HR may
# still accept them).
RANKED_STATUSES = {
    Application.Role.MENTEE: (Status.NOMINATED, Status.WAITLISTED),
    Application.Role.MENTOR: (Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED),
}


def role_ranking(programme_round, role, queryset=None):
    """The ``RoleRanking`` of ``role`` (an ``Application.Role``) in
    ``programme_round`` (any language version): two queries. ``queryset``
    (all applications by default) may bring annotations of its own, such
    as the admin's localized faculty names."""
    role = Application.Role(role)
    if queryset is None:
        queryset = Application.objects.all()
    applications = queryset.filter(
        round__translation_key=programme_round.translation_key,
        role=role,
        anonymised_at__isnull=True,
    )
    places = (
        programme_round.mentee_places
        if role == Application.Role.MENTEE
        else programme_round.mentor_places
    )
    accepted = applications.filter(status=Status.ACCEPTED).count()
    rows = list(
        ranked(applications.filter(status__in=RANKED_STATUSES[role]).defer("answers"))
    )
    return RoleRanking(
        role=role, label=role.label, places=places, accepted=accepted, rows=rows
    )


def reviews_wanted():
    """How many reviews each application should get
    (``MENTORING_CMS_REVIEWS_PER_APPLICATION``)."""
    return max(int(get_setting("REVIEWS_PER_APPLICATION")), 1)


@dataclass
class ReviewProgress:
    """How far the committee has come in a round."""

    wanted: int
    complete: int
    incomplete: int

    @property
    def total(self):
        return self.complete + self.incomplete


def review_progress(programme_round):
    """Reviewable applications of ``programme_round`` with at least and with
    fewer than ``reviews_wanted()`` reviews: one query."""
    wanted = reviews_wanted()
    counts = (
        access.reviewable_applications(programme_round)
        .annotate(n=Count("reviews"))
        .values_list("n", flat=True)
    )
    complete = incomplete = 0
    for count in counts:
        if count >= wanted:
            complete += 1
        else:
            incomplete += 1
    return ReviewProgress(wanted=wanted, complete=complete, incomplete=incomplete)
