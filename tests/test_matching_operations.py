"""Matching a round's accepted participants: runs kept as proposals, HR's
locks, forbidden and hand-set pairs, re-runs, publication with introduction
emails, withdrawal afterwards, erasure and anonymisation, match_round."""

import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from mentoring_cms.matching import engine
from mentoring_cms.matching.operations import (
    MatchingRefused,
    remove_pair_constraint,
    run_matching,
    set_capacity,
    set_pair_constraint,
    unmatched_after_publication,
)
from mentoring_cms.matching.tasks import publish_and_introduce
from mentoring_cms.models import (
    Application,
    Match,
    MatchingRun,
    MentorCapacity,
    PairConstraint,
    ProposedPair,
)
from mentoring_cms.models.matching import Track
from mentoring_cms.operations import (
    anonymise_application,
    decide_application,
    erase_application,
)

from .matching_helpers import mentee, mentor
from .utils import make_faculty, make_session, translate_page, translate_snippet


@pytest.fixture
def faculties(db):
    science = make_faculty(name="Fakultet for naturvitenskap")
    translate_snippet(science, "en", name="Faculty of Natural Sciences")
    humanities = make_faculty(name="Det humanistiske fakultet")
    translate_snippet(humanities, "en", name="Faculty of Humanities")
    economics = make_faculty(name="Fakultet for økonomi")
    return science, humanities, economics


@pytest.fixture
def people(open_round, faculties):
    science, humanities, economics = faculties
    return {
        "mentor_a": mentor(
            open_round,
            science,
            full_name="Anne Mentor",
            track=Track.DOSENT,
            topics=["networking", "identity"],
            language="nb",
        ),
        "mentor_b": mentor(
            open_round, humanities, full_name="Berit Mentor", language="en"
        ),
        "mentee_a": mentee(
            open_round,
            humanities,
            full_name="Cecilie Adept",
            track=Track.DOSENT,
            topics=["networking", "identity"],
            language="nb",
        ),
        "mentee_b": mentee(
            open_round,
            science,
            full_name="Dina Adept",
            language="en",
            email="dina@example.org",
        ),
    }


def pairs_of(run):
    return {(p.mentor_id, p.mentee_id) for p in run.pairs.all()}


def test_run_keeps_a_proposal_with_scores_and_reasons(open_round, people, hr_user):
    run = run_matching(open_round, user=hr_user)
    assert pairs_of(run) == {
        (people["mentor_a"].pk, people["mentee_a"].pk),
        (people["mentor_b"].pk, people["mentee_b"].pk),
    }
    best = run.pairs.get(mentor=people["mentor_a"])
    assert [r["code"] for r in best.reasons] == [
        engine.DIFFERENT_FACULTIES,
        engine.SAME_TRACK,
        engine.SHARED_TOPICS,
        engine.SHARED_LANGUAGES,
    ]
    assert best.score == 3 + 2 + 2
    assert run.unmatched == []
    # Every run is kept.
    run_matching(open_round, user=hr_user)
    assert MatchingRun.objects.count() == 2


def test_nobody_accepted_is_a_clear_refusal(open_round, faculty):
    mentee(open_round, faculty, status=Application.Status.SUBMITTED)
    with translation.override("en"), pytest.raises(MatchingRefused) as refusal:
        run_matching(open_round)
    assert "Nobody has been accepted" in str(refusal.value)
    assert not MatchingRun.objects.exists()


def test_more_mentees_than_mentors_lists_the_surplus(open_round, faculties):
    science, humanities, economics = faculties
    mentor(open_round, science)
    mentees = [mentee(open_round, f) for f in (humanities, economics)]
    run = run_matching(open_round)
    assert len(pairs_of(run)) == 1
    (left,) = run.unmatched
    assert left["participant_id"] in {m.pk for m in mentees}
    assert left["code"] == engine.CANDIDATES_TAKEN and left["surplus"]


def test_everyone_excluded_names_each_candidate_and_rule(open_round, faculty):
    lonely = mentee(open_round, faculty)
    same = mentor(open_round, faculty)
    run = run_matching(open_round)
    assert not pairs_of(run)
    item = next(u for u in run.unmatched if u["participant_id"] == lonely.pk)
    assert item["exclusions"] == [{"candidate": same.pk, "rules": ["same_faculty"]}]


def test_lock_survives_a_rerun_and_forbid_is_respected(open_round, people, hr_user):
    a, b = people["mentor_a"], people["mentor_b"]
    x, y = people["mentee_a"], people["mentee_b"]
    # Lock the weaker pair (mentor B with mentee A, both humanities? no:
    # mentor B is humanities, mentee A humanities: same faculty) → refused.
    with pytest.raises(MatchingRefused):
        set_pair_constraint(
            open_round, mentor_id=b.pk, mentee_id=x.pk, kind="lock", user=hr_user
        )
    assert not PairConstraint.objects.exists()
    set_pair_constraint(
        open_round, mentor_id=a.pk, mentee_id=x.pk, kind="lock", user=hr_user
    )
    run = run_matching(open_round, weights=engine.Weights(same_track=0, topic=0))
    pair = run.pairs.get(mentor=a)
    assert (pair.mentee_id, pair.fixed) == (x.pk, "locked")
    # Forbidding the other pair leaves both of its people unmatched.
    set_pair_constraint(
        open_round, mentor_id=b.pk, mentee_id=y.pk, kind="forbid", user=hr_user
    )
    run = run_matching(open_round)
    assert pairs_of(run) == {(a.pk, x.pk)}
    left = {u["participant_id"]: u for u in run.unmatched}
    assert left[y.pk]["exclusions"] == [
        {"candidate": a.pk, "rules": ["same_faculty"]},
        {"candidate": b.pk, "rules": ["forbidden"]},
    ]


def test_hand_set_pair_is_kept_and_refusals_change_nothing(open_round, faculties):
    science, humanities, economics = faculties
    m1 = mentor(open_round, science, track=Track.DOSENT)
    m2 = mentor(open_round, humanities)
    e1 = mentee(open_round, economics, track=Track.DOSENT)
    e2 = mentee(open_round, economics)
    set_pair_constraint(open_round, mentor_id=m2.pk, mentee_id=e1.pk, kind="hand_set")
    # The mentee is already set with another mentor.
    with pytest.raises(MatchingRefused):
        set_pair_constraint(open_round, mentor_id=m1.pk, mentee_id=e1.pk, kind="lock")
    # The mentor's only place is taken.
    with pytest.raises(MatchingRefused):
        set_pair_constraint(open_round, mentor_id=m2.pk, mentee_id=e2.pk, kind="lock")
    assert PairConstraint.objects.count() == 1
    run = run_matching(open_round)
    assert pairs_of(run) == {(m2.pk, e1.pk), (m1.pk, e2.pk)}
    assert run.pairs.get(mentor=m2).fixed == "hand_set"
    # A higher capacity lets the mentor take both.
    set_capacity(open_round, mentor_id=m2.pk, capacity=2)
    set_pair_constraint(open_round, mentor_id=m2.pk, mentee_id=e2.pk, kind="lock")
    assert pairs_of(run_matching(open_round)) == {(m2.pk, e1.pk), (m2.pk, e2.pk)}
    # Released, the matching is free again.
    for constraint in PairConstraint.objects.all():
        remove_pair_constraint(open_round, constraint_id=constraint.pk)
    assert not PairConstraint.objects.exists()


def test_refuses_pairs_with_people_not_accepted(open_round, faculties):
    science, humanities, _economics = faculties
    m = mentor(open_round, science)
    e = mentee(open_round, humanities, status=Application.Status.WAITLISTED)
    with pytest.raises(MatchingRefused):
        set_pair_constraint(open_round, mentor_id=m.pk, mentee_id=e.pk, kind="lock")
    with pytest.raises(MatchingRefused):
        set_pair_constraint(open_round, mentor_id=e.pk, mentee_id=m.pk, kind="lock")


@pytest.fixture
def gatherings(home, programme, open_round):
    everyone = make_session(open_round, title="Oppstartssamling")
    translate_page(home, "en", title="Home")
    translate_page(programme, "en", title="Mentoring programme")
    english_round = translate_page(open_round, "en", title="Round")
    translate_page(everyone, "en", title="Kick-off gathering")
    return everyone, english_round


def test_publish_makes_pairs_official_and_introduces_both_in_their_languages(
    open_round, people, gatherings, hr_user, django_capture_on_commit_callbacks
):
    run = run_matching(open_round)
    with django_capture_on_commit_callbacks(execute=True):
        created = publish_and_introduce(run, user=hr_user)
    assert len(created) == 2
    assert Match.objects.filter(ended_at__isnull=True).count() == 2
    run.refresh_from_db()
    assert run.published_at
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 4
    # Mentee A (nb) learns of mentor A in Norwegian, with the first gathering.
    to_mentee = by_recipient[people["mentee_a"].email]
    assert "Anne Mentor" in to_mentee.body
    assert people["mentor_a"].email in to_mentee.body
    assert "Professor" in to_mentee.body
    assert "Fakultet for naturvitenskap" in to_mentee.body
    assert "Oppstartssamling" in to_mentee.body
    assert "mentoren din" in to_mentee.body
    # Mentor B (en) learns of mentee B in English, faculty in English.
    to_mentor = by_recipient[people["mentor_b"].email]
    assert "Dina Adept" in to_mentor.body
    assert "Faculty of Natural Sciences" in to_mentor.body
    assert "Kick-off gathering" in to_mentor.body
    assert "your mentee" in to_mentor.body
    match = Match.objects.get(mentor=people["mentor_a"])
    assert match.mentor_introduced_at and match.mentee_introduced_at
    # Publishing again is refused and sends nothing more.
    with pytest.raises(MatchingRefused):
        publish_and_introduce(run)
    assert len(mail.outbox) == 4


def test_republishing_keeps_standing_pairs_without_new_emails(
    open_round, people, faculties, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_introduce(run_matching(open_round))
    sent = len(mail.outbox)
    newcomer = mentee(open_round, faculties[2], full_name="Eva Adept")
    newcomer_mentor = mentor(open_round, faculties[0])
    run = run_matching(open_round)
    # Published pairs are kept like locked ones.
    assert {p.fixed for p in run.pairs.exclude(mentee=newcomer)} == {"locked"}
    with django_capture_on_commit_callbacks(execute=True):
        created = publish_and_introduce(run)
    assert len(created) == 1
    assert {created[0].mentee_id} == {newcomer.pk}
    assert created[0].mentor_id == newcomer_mentor.pk
    assert len(mail.outbox) == sent + 2


def test_withdrawal_after_publishing_leaves_the_partner_unmatched(
    open_round, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_introduce(run_matching(open_round))
    decide_application(people["mentee_a"], Application.Status.WITHDRAWN)
    ((match, partner),) = unmatched_after_publication(open_round)
    assert partner == people["mentor_a"]
    # The next run leaves the withdrawn mentee out and lists the mentor.
    run = run_matching(open_round)
    left = {u["participant_id"] for u in run.unmatched}
    assert people["mentor_a"].pk in left
    assert people["mentee_a"].pk not in left


def test_publish_refuses_a_stale_proposal(open_round, people):
    run = run_matching(open_round)
    decide_application(people["mentee_b"], Application.Status.WITHDRAWN)
    with pytest.raises(MatchingRefused):
        publish_and_introduce(run)
    assert not Match.objects.exists()


def test_publish_refuses_a_pair_forbidden_since(open_round, people):
    run = run_matching(open_round)
    set_pair_constraint(
        open_round,
        mentor_id=people["mentor_b"].pk,
        mentee_id=people["mentee_b"].pk,
        kind="forbid",
    )
    with pytest.raises(MatchingRefused):
        publish_and_introduce(run)
    assert not Match.objects.exists()


def test_erasing_and_anonymising_take_the_matching_answers(open_round, people):
    run = run_matching(open_round)
    gone = people["mentee_a"]
    erase_application(gone)
    assert not ProposedPair.objects.filter(mentee_id=gone.pk).exists()
    kept = people["mentor_b"]
    set_capacity(open_round, mentor_id=kept.pk, capacity=2)
    anonymise_application(kept)
    kept.refresh_from_db()
    assert "matching_topics" not in kept.answers
    assert run.pairs.get(mentor=kept).reasons == []
    erase_application(kept)
    assert not MentorCapacity.objects.exists()


def test_without_matching_answers_the_application_still_counts(open_round, faculties):
    science, humanities, _ = faculties
    m = mentor(open_round, science, profile=False, position="dosent", language="en")
    e = mentee(
        open_round,
        humanities,
        profile=False,
        language="en",
        answers={"promotion_target": "dosent"},
    )
    (pair,) = run_matching(open_round).pairs.all()
    assert (pair.mentor_id, pair.mentee_id) == (m.pk, e.pk)
    codes = [r["code"] for r in pair.reasons]
    assert codes == ["different_faculties", "same_track", "shared_languages"]


def test_match_round_prints_the_proposal_without_storing(open_round, people, capsys):
    call_command("match_round", str(open_round.pk), "--json", "--language", "en")
    data = json.loads(capsys.readouterr().out)
    assert len(data["pairs"]) == 2
    best = next(p for p in data["pairs"] if p["mentor"]["name"] == "Anne Mentor")
    assert best["reasons_text"] == (
        "different faculties; both docent track; 2 shared topics: "
        "Identity as professor or docent, Networking; both speak Norwegian"
    )
    assert not MatchingRun.objects.exists()
    call_command("match_round", str(open_round.pk), "--language", "nb")
    out = capsys.readouterr().out
    assert "ulike fakulteter" in out
    with pytest.raises(CommandError):
        call_command("match_round", "999999")


def test_a_wish_names_a_faculty_by_its_words_in_either_language(open_round, faculties):
    science, humanities, economics = faculties
    natural = mentor(open_round, science, full_name="Anne Mentor")
    mentor(open_round, humanities, full_name="Berit Mentor")
    wisher = mentee(
        open_round, economics, wishes="Someone in the natural sciences, please."
    )
    pair = run_matching(open_round).pairs.get(mentee=wisher)
    assert pair.mentor_id == natural.pk
    (wish,) = [r for r in pair.reasons if r["code"] == engine.WISH]
    assert wish["terms"] == ["Faculty of Natural Sciences"]
