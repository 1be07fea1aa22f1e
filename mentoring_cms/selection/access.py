"""Which applications each selection role may see: the one home of these
rules, used by the admin views, the emails and the operations alike. Every
function returns a queryset filtered in the database, never a list trimmed
afterwards."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant

from ..models import Application, Faculty, FacultyCoordinator, ProgramRoundPage
from ..permissions import (
    SCORE_PERMISSION,
    user_can_nominate,
    user_can_review,
    user_can_score,
)

Status = Application.Status

# Mentees are scored once their faculty has nominated them, mentors once
# they have applied; both until HR has decided on a place.
REVIEWABLE = Q(role=Application.Role.MENTEE, status__in=[Status.NOMINATED]) | Q(
    role=Application.Role.MENTOR,
    status__in=[Status.SUBMITTED, Status.UNDER_REVIEW],
)


def source_rounds():
    """The rounds in the default language (the ones applications belong
    to), newest first."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    return (
        ProgramRoundPage.objects.filter(locale__language_code=default)
        .defer_streamfields()
        .order_by("-period_start", "pk")
    )


def current_round(now=None):
    """The round selection is about now: the newest one (in the default
    language) that has opened for applications, else the newest one;
    ``None`` when there is no round."""
    now = now or timezone.now()
    rounds = list(source_rounds())
    for programme_round in rounds:
        opens = programme_round.application_opens
        if opens is not None and opens <= now:
            return programme_round
    return rounds[0] if rounds else None


def coordinator_faculty_keys(user):
    """The translation keys of the faculties ``user`` coordinates; empty for
    anyone who is not an active faculty coordinator."""
    if not user.is_authenticated or not user_can_nominate(user):
        return set()
    return set(
        FacultyCoordinator.objects.filter(user=user).values_list(
            "faculties__translation_key", flat=True
        )
    ) - {None}


def default_faculties():
    """Every faculty once: the rows in the default language, by name."""
    return Faculty.objects.filter(
        locale__language_code=get_supported_content_language_variant(
            settings.LANGUAGE_CODE
        )
    ).order_by("name")


def coordinator_faculties(user):
    """The faculties (default-language rows) that ``user`` coordinates."""
    return default_faculties().filter(
        translation_key__in=coordinator_faculty_keys(user)
    )


def coordinator_applications(user, programme_round):
    """The applications ``user`` may see as a coordinator: the mentee
    applications of her own faculties in ``programme_round`` (any language
    version of it), not anonymised. Empty without a round or faculties."""
    keys = coordinator_faculty_keys(user)
    if programme_round is None or not keys:
        return Application.objects.none()
    return Application.objects.filter(
        round__translation_key=programme_round.translation_key,
        role=Application.Role.MENTEE,
        faculty__translation_key__in=keys,
        anonymised_at__isnull=True,
    )


def reviewable_applications(programme_round=None):
    """Applications the committee scores: nominated mentees and mentor
    applications not yet decided on, in ``programme_round`` when given."""
    queryset = Application.objects.filter(REVIEWABLE, anonymised_at__isnull=True)
    if programme_round is not None:
        queryset = queryset.filter(
            round__translation_key=programme_round.translation_key
        )
    return queryset


def reviewer_applications(user, programme_round=None):
    """What ``user`` may open as a reviewer: the reviewable applications,
    and those she has reviewed already (she keeps seeing her own review
    after HR has decided). Empty for a user without the score permission."""
    if not user_can_score(user):
        return Application.objects.none()
    queryset = Application.objects.filter(
        REVIEWABLE | Q(reviews__reviewer=user), anonymised_at__isnull=True
    ).distinct()
    if programme_round is not None:
        queryset = queryset.filter(
            round__translation_key=programme_round.translation_key
        )
    return queryset


def pending_reviews(user, programme_round):
    """The applications of ``programme_round`` the committee scores that
    ``user`` has neither reviewed nor declared a conflict of interest for:
    what a reviewer's reminder counts."""
    return (
        reviewable_applications(programme_round)
        .exclude(reviews__reviewer=user)
        .exclude(conflicts__reviewer=user)
    )


def committee_members():
    """Active users with an email address who hold the score permission
    through a group or on their own (a superuser is not reminded for being
    one), as a queryset by pk; ``user_can_score`` still decides."""
    permission = Permission.objects.filter(
        content_type__app_label=SCORE_PERMISSION.split(".")[0],
        codename=SCORE_PERMISSION.split(".")[1],
    )
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__in=permission) | Q(user_permissions__in=permission),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def can_see_all_scores(user, application):
    """Whether ``user`` may see every review of ``application``: HR always;
    a reviewer only once she has submitted her own (so that nobody's score
    is led by another's)."""
    if user_can_review(user):
        return True
    return application.reviews.filter(reviewer=user).exists()


@dataclass
class FacultyNominations:
    """How many of a faculty's mentees hold a nomination in a round
    (``ApplicationQuerySet.holding_nomination``, the rule
    ``operations.check_quota`` counts), against the round's quota."""

    faculty: object
    nominated: int
    quota: int

    @property
    def left(self):
        return max(self.quota - self.nominated, 0)

    @property
    def name(self):
        return str(self.faculty.localized)


def faculty_nominations(programme_round, faculties):
    """[FacultyNominations] for ``faculties`` in ``programme_round`` (any
    language version), in the order given: one query."""
    faculties = list(faculties)
    counts = dict(
        Application.objects.for_round(programme_round)
        .holding_nomination()
        .filter(
            role=Application.Role.MENTEE,
            faculty__translation_key__in=[f.translation_key for f in faculties],
        )
        .values("faculty__translation_key")
        .annotate(n=Count("pk"))
        .values_list("faculty__translation_key", "n")
        .order_by()
    )
    return [
        FacultyNominations(
            faculty=faculty,
            nominated=counts.get(faculty.translation_key, 0),
            quota=programme_round.faculty_quota,
        )
        for faculty in faculties
    ]
