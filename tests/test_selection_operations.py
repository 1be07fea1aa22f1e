"""Selection rules (issue 14), through the operations: nominations under the
faculty quota and the deadline, scored reviews within the scale, conflicts
of interest, the ranking, and what the audit log keeps."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from mentoring_cms.models import (
    Application,
    ConflictOfInterest,
    Nomination,
    Review,
    Score,
    SelectionCriterion,
)
from mentoring_cms.operations import QuotaExceeded
from mentoring_cms.selection import access, operations
from mentoring_cms.selection.ranking import review_progress, role_ranking

from .selection_helpers import make_coordinator, make_reviewer, review, scores_for
from .utils import make_application, make_faculty, make_round, oslo

Status = Application.Status


@pytest.fixture
def other_faculty(db):
    return make_faculty(name="Fakultet for medisin")


@pytest.fixture
def coordinator(faculty):
    return make_coordinator("koordinator", faculty)


@pytest.fixture
def mentee(open_round, faculty):
    return make_application(
        round=open_round, faculty=faculty, status=Status.UNDER_REVIEW
    )


def nominate(application, user, justification="Sterk kandidat."):
    return operations.nominate(application, user=user, justification=justification)


def refused(code, call, *args, **kwargs):
    """Run ``call`` in English and check it is refused with ``code``."""
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.messages
    return caught.value


# Round: nomination deadline and criteria -----------------------------------


def test_a_new_round_gets_the_seeds_three_criteria_on_a_one_to_five_scale(
    open_round,
):
    criteria = list(open_round.selection_criteria.order_by("sort_order"))
    assert [c.label for c in criteria] == [
        "Motivasjon",
        "Begrunnelse",
        "Hvor langt du er kommet i opprykksarbeidet",
    ]
    assert {(c.scale_min, c.scale_max) for c in criteria} == {(1, 5)}


@pytest.mark.parametrize(
    "deadline, error",
    [
        (datetime.date(2031, 2, 28), "before applications open"),
        (datetime.date(2031, 8, 15), "before the round starts"),
        (datetime.date(2031, 9, 1), "before the round starts"),
    ],
)
def test_the_nomination_deadline_lies_between_the_window_and_the_start(
    programme, deadline, error
):
    programme_round = make_round(
        programme,
        application_opens=oslo(2031, 3, 1, 9),
        application_closes=oslo(2031, 4, 1, 12),
        period_start=datetime.date(2031, 8, 15),
        period_end=datetime.date(2032, 6, 15),
    )
    programme_round.nomination_deadline = deadline
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            programme_round.full_clean()
        assert error in " ".join(caught.value.message_dict["nomination_deadline"])
    programme_round.nomination_deadline = datetime.date(2031, 3, 20)
    programme_round.full_clean()


def test_a_criterion_needs_a_scale_that_goes_up(open_round):
    criterion = open_round.selection_criteria.first()
    criterion.scale_max = criterion.scale_min
    with pytest.raises(ValidationError):
        criterion.full_clean()


# Nominations ----------------------------------------------------------------


def test_a_coordinator_nominates_a_mentee_of_her_faculty(mentee, coordinator):
    nomination = nominate(mentee, coordinator)
    mentee.refresh_from_db()
    assert mentee.status == Status.NOMINATED
    assert nomination.justification == "Sterk kandidat."
    assert nomination.nominated_by == coordinator
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(mentee.pk)).values_list(
            "action", flat=True
        )
    )
    assert operations.LOG_NOMINATED in actions


def test_a_submitted_mentee_can_be_nominated_directly(open_round, faculty, coordinator):
    application = make_application(round=open_round, faculty=faculty)
    nominate(application, coordinator)
    application.refresh_from_db()
    assert application.status == Status.NOMINATED


def test_the_log_of_a_nomination_holds_no_personal_data(mentee, coordinator):
    nominate(mentee, coordinator, justification="Hemmelig begrunnelse")
    for entry in ModelLogEntry.objects.filter(object_id=str(mentee.pk)):
        text = f"{entry.label} {entry.data} {entry.message}"
        assert mentee.full_name not in text
        assert mentee.email not in text
        assert "Hemmelig" not in text


def test_a_coordinator_of_another_faculty_is_refused(mentee, other_faculty):
    outsider = make_coordinator("annen", other_faculty)
    refused("not_coordinator", nominate, mentee, outsider)
    mentee.refresh_from_db()
    assert mentee.status == Status.UNDER_REVIEW
    assert not Nomination.objects.exists()


def test_a_coordinator_without_the_permission_is_refused(mentee, coordinator):
    coordinator.groups.clear()
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    refused("not_coordinator", nominate, mentee, coordinator)
    assert not Nomination.objects.exists()


def test_mentors_are_not_nominated(open_round, faculty, coordinator):
    mentor = make_application(
        round=open_round, faculty=faculty, role=Application.Role.MENTOR
    )
    refused("not_coordinator", nominate, mentor, coordinator)


def test_a_nomination_needs_a_justification(mentee, coordinator):
    error = refused("justification_required", nominate, mentee, coordinator, "  ")
    assert "justification" in error.messages[0]
    mentee.refresh_from_db()
    assert mentee.status == Status.UNDER_REVIEW


def test_nominations_are_locked_after_the_deadline(mentee, coordinator):
    programme_round = mentee.round
    programme_round.nomination_deadline = timezone.localdate() - datetime.timedelta(
        days=1
    )
    programme_round.save()
    error = refused("deadline_passed", nominate, mentee, coordinator)
    assert "deadline" in error.messages[0]
    mentee.refresh_from_db()
    assert mentee.status == Status.UNDER_REVIEW
    assert not Nomination.objects.exists()


def test_the_deadline_day_itself_is_still_open(mentee, coordinator):
    mentee.round.nomination_deadline = timezone.localdate()
    mentee.round.save()
    nominate(mentee, coordinator)


def test_the_faculty_quota_holds_for_coordinators(open_round, faculty, coordinator):
    open_round.faculty_quota = 1
    open_round.save()
    first, second = (
        make_application(round=open_round, faculty=faculty, status=Status.UNDER_REVIEW)
        for _ in range(2)
    )
    nominate(first, coordinator)
    with pytest.raises(QuotaExceeded) as caught, translation.override("en"):
        nominate(second, coordinator)
    assert "quota" in caught.value.messages[0]
    second.refresh_from_db()
    assert second.status == Status.UNDER_REVIEW
    assert Nomination.objects.count() == 1


def test_a_nomination_cannot_be_repeated(mentee, coordinator):
    nominate(mentee, coordinator)
    refused("already_nominated", nominate, mentee, coordinator)
    assert Nomination.objects.count() == 1


def test_a_nomination_can_be_withdrawn_until_the_deadline(
    open_round, mentee, coordinator
):
    open_round.faculty_quota = 1
    open_round.save()
    nominate(mentee, coordinator)
    operations.withdraw_nomination(mentee, user=coordinator)
    mentee.refresh_from_db()
    assert mentee.status == Status.UNDER_REVIEW
    assert Nomination.objects.get().withdrawn_at is not None
    # The slot is free again.
    other = make_application(
        round=open_round, faculty=mentee.faculty, status=Status.UNDER_REVIEW
    )
    nominate(other, coordinator)


def test_a_nomination_cannot_be_withdrawn_after_the_deadline(mentee, coordinator):
    nominate(mentee, coordinator)
    operations.withdraw_nomination(
        mentee, user=coordinator, now=timezone.now()
    )  # before: fine
    nominate(mentee, coordinator)
    later = mentee.round.nominations_close_at + datetime.timedelta(minutes=1)
    refused(
        "deadline_passed",
        operations.withdraw_nomination,
        mentee,
        user=coordinator,
        now=later,
    )
    mentee.refresh_from_db()
    assert mentee.status == Status.NOMINATED


def test_a_decided_nomination_cannot_be_withdrawn(mentee, coordinator, hr_user):
    nominate(mentee, coordinator)
    operations.decide_from_ranking(mentee, Status.ACCEPTED, user=hr_user)
    refused("not_nominated", operations.withdraw_nomination, mentee, user=coordinator)
    mentee.refresh_from_db()
    assert mentee.status == Status.ACCEPTED


def test_nominations_left_count_the_quota_rule(open_round, faculty, coordinator):
    for status in (Status.NOMINATED, Status.WAITLISTED, Status.REJECTED):
        make_application(round=open_round, faculty=faculty, status=status)
    (line,) = access.faculty_nominations(open_round, [faculty])
    assert (line.nominated, line.quota, line.left) == (2, 4, 2)


# Reviews --------------------------------------------------------------------


@pytest.fixture
def nominated(open_round, faculty):
    return make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)


@pytest.fixture
def reviewer(db):
    return make_reviewer("komite1")


def test_a_reviewer_scores_every_criterion(nominated, reviewer):
    result = review(nominated, reviewer, 4, 5, 3)
    assert result.mean == 4
    assert Score.objects.filter(review=result).count() == 3
    assert ModelLogEntry.objects.filter(
        object_id=str(nominated.pk), action=operations.LOG_REVIEW_SUBMITTED
    ).exists()


@pytest.mark.parametrize("value", [0, 6, "x", None])
def test_a_score_outside_the_scale_is_refused(nominated, reviewer, value):
    scores = scores_for(nominated, 3)
    first = next(iter(scores))
    scores[first] = (value, "")
    code = "score_missing" if value in ("x", None) else "score_out_of_scale"
    error = refused(
        code, operations.submit_review, nominated, reviewer=reviewer, scores=scores
    )
    assert error.messages
    assert not Review.objects.exists()
    assert not Score.objects.exists()


def test_a_criterions_own_scale_is_used(nominated, reviewer):
    SelectionCriterion.objects.filter(round=nominated.round).update(
        scale_min=0, scale_max=10
    )
    assert review(nominated, reviewer, 10, 0, 7).mean == pytest.approx(17 / 3)


def test_a_second_review_by_the_same_reviewer_is_refused(nominated, reviewer):
    review(nominated, reviewer, 3)
    refused(
        "already_reviewed",
        operations.submit_review,
        nominated,
        reviewer=reviewer,
        scores=scores_for(nominated, 5),
    )
    assert Review.objects.get().mean == 3


def test_one_review_per_reviewer_is_a_database_rule(nominated, reviewer):
    from django.db import IntegrityError, transaction

    Review.objects.create(application=nominated, reviewer=reviewer, mean=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(application=nominated, reviewer=reviewer, mean=4)


def test_no_score_after_a_declared_conflict(nominated, reviewer):
    operations.declare_conflict(nominated, reviewer=reviewer, reason="Samme institutt")
    error = refused(
        "conflict",
        operations.submit_review,
        nominated,
        reviewer=reviewer,
        scores=scores_for(nominated, 4),
    )
    assert "conflict" in error.messages[0]
    assert not Review.objects.exists()
    entry = ModelLogEntry.objects.get(
        object_id=str(nominated.pk), action=operations.LOG_CONFLICT_DECLARED
    )
    assert "Samme institutt" not in f"{entry.data} {entry.message}"


def test_a_conflict_needs_a_reason_and_is_declared_once(nominated, reviewer):
    refused(
        "reason_required",
        operations.declare_conflict,
        nominated,
        reviewer=reviewer,
        reason="",
    )
    operations.declare_conflict(nominated, reviewer=reviewer, reason="Kollega")
    refused(
        "conflict_exists",
        operations.declare_conflict,
        nominated,
        reviewer=reviewer,
        reason="Kollega",
    )
    assert ConflictOfInterest.objects.count() == 1


def test_only_the_committee_scores(nominated, hr_user):
    refused(
        "not_reviewer",
        operations.submit_review,
        nominated,
        reviewer=hr_user,
        scores=scores_for(nominated, 4),
    )


def test_mentees_are_scored_only_once_nominated(open_round, faculty, reviewer):
    mentee = make_application(
        round=open_round, faculty=faculty, status=Status.UNDER_REVIEW
    )
    refused(
        "not_reviewable",
        operations.submit_review,
        mentee,
        reviewer=reviewer,
        scores=scores_for(mentee, 4),
    )
    mentor = make_application(
        round=open_round, faculty=faculty, role=Application.Role.MENTOR
    )
    review(mentor, reviewer, 4)


# Ranking --------------------------------------------------------------------


def test_the_ranking_orders_by_mean_with_count_and_spread(
    open_round, faculty, reviewer
):
    second = make_reviewer("komite2")
    low, high, unscored = (
        make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)
        for _ in range(3)
    )
    review(low, reviewer, 2)
    review(high, reviewer, 5)
    review(high, second, 3)
    make_application(round=open_round, faculty=faculty, status=Status.ACCEPTED)
    ranking = role_ranking(open_round, Application.Role.MENTEE)
    assert [row.pk for row in ranking.rows] == [high.pk, low.pk, unscored.pk]
    top = ranking.rows[0]
    assert (top.review_mean, top.review_count, top.review_spread) == (4, 2, 2)
    assert ranking.rows[2].review_count == 0
    assert ranking.rows[2].review_mean is None
    assert (ranking.places, ranking.accepted, ranking.places_left) == (20, 1, 19)


def test_hr_accepts_or_waitlists_from_the_ranking_within_the_places(
    open_round, faculty, hr_user
):
    open_round.mentee_places = 1
    open_round.save()
    first, second = (
        make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)
        for _ in range(2)
    )
    operations.decide_from_ranking(first, Status.ACCEPTED, user=hr_user)
    with pytest.raises(QuotaExceeded):
        operations.decide_from_ranking(second, Status.ACCEPTED, user=hr_user)
    operations.decide_from_ranking(second, Status.WAITLISTED, user=hr_user)
    refused(
        "not_a_ranking_decision",
        operations.decide_from_ranking,
        second,
        Status.REJECTED,
        user=hr_user,
    )
    second.refresh_from_db()
    assert second.status == Status.WAITLISTED


def test_review_progress_counts_applications_short_of_reviews(
    open_round, faculty, reviewer, settings
):
    settings.MENTORING_CMS_REVIEWS_PER_APPLICATION = 1
    done, waiting = (
        make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)
        for _ in range(2)
    )
    review(done, reviewer, 4)
    progress = review_progress(open_round)
    assert (progress.complete, progress.incomplete, progress.wanted) == (1, 1, 1)
    assert waiting.pk


# Groups ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, codename",
    [
        ("Faculty coordinators", "nominate_mentee"),
        ("Selection committee", "score_application"),
    ],
)
def test_the_selection_groups_are_created_by_migration(db, name, codename):
    codenames = set(
        Group.objects.get(name=name).permissions.values_list("codename", flat=True)
    )
    assert {"access_admin", codename} <= codenames
    assert not {"review_application", "export_application"} & codenames
    assert not any(
        name.startswith(("add_", "change_", "delete_", "publish_"))
        for name in codenames
    )


def test_a_deleted_reviewers_review_stays_without_a_name(nominated, reviewer):
    result = review(nominated, reviewer, 4)
    reviewer.delete()
    result.refresh_from_db()
    assert result.reviewer is None
    assert role_ranking(nominated.round, "mentee").rows[0].review_count == 1


def test_progress_towards_promotion_scores_mentees_only(open_round, faculty):
    criteria = operations.criteria_for(open_round)
    assert [c.applies_to for c in criteria] == ["", "", "mentee"]
    mentee_criteria = operations.criteria_for(open_round, Application.Role.MENTEE)
    mentor_criteria = operations.criteria_for(open_round, Application.Role.MENTOR)
    assert len(mentee_criteria) == 3
    assert [c.pk for c in mentor_criteria] == [c.pk for c in criteria[:2]]


def test_a_mentor_is_scored_without_the_mentee_only_criterion(open_round, faculty):
    mentor = make_application(
        round=open_round, role=Application.Role.MENTOR, faculty=faculty
    )
    progress = operations.criteria_for(open_round)[2]
    reviewer = make_reviewer("komite-mentor")
    everything = {c.pk: (4, "") for c in operations.criteria_for(open_round)}
    # A score on "progress towards promotion" is not asked of a mentor.
    refused(
        "unknown_criterion",
        operations.submit_review,
        mentor,
        reviewer=reviewer,
        scores=everything,
    )
    del everything[progress.pk]
    review_ = operations.submit_review(mentor, reviewer=reviewer, scores=everything)
    assert review_.scores.count() == 2
    assert review_.mean == 4
