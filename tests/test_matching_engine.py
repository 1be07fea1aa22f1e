"""The matching engine on its own: hard rules, scores, reasons, fixed pairs,
unmatched participants, and (with hypothesis) its optimality over random
rounds against a brute force."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring_cms.matching import engine
from mentoring_cms.matching.engine import Participant, Weights, propose

TOPICS = ["networking", "identity", "promotion_application", "teaching_portfolio"]


def mentor(id, faculty, **kwargs):
    return Participant(id=id, role=engine.MENTOR, faculty_id=faculty, **kwargs)


def mentee(id, faculty, **kwargs):
    return Participant(id=id, role=engine.MENTEE, faculty_id=faculty, **kwargs)


def codes(reasons):
    return [reason["code"] for reason in reasons]


def test_never_pairs_the_same_faculty_even_at_the_cost_of_a_pair():
    result = propose([mentor(1, 1)], [mentee(2, 1)])
    assert result.pairs == []
    (mentee_left, mentor_left) = result.unmatched
    assert mentee_left.code == engine.ALL_EXCLUDED
    assert mentee_left.exclusions == [{"candidate": 1, "rules": [engine.SAME_FACULTY]}]
    assert mentor_left.exclusions == [{"candidate": 2, "rules": [engine.SAME_FACULTY]}]


def test_prefers_same_track_shared_topics_and_language():
    mentors = [
        mentor(
            1,
            1,
            track="dosent",
            topics=frozenset(TOPICS[:3]),
            languages=frozenset({"nb"}),
        ),
        mentor(2, 2, track="professor", languages=frozenset({"en"})),
    ]
    mentees = [
        mentee(
            10,
            3,
            track="dosent",
            topics=frozenset(TOPICS[:3]),
            languages=frozenset({"nb"}),
        ),
        mentee(11, 3, track="professor", languages=frozenset({"en"})),
    ]
    result = propose(mentors, mentees)
    pairs = {(p.mentor_id, p.mentee_id): p for p in result.pairs}
    assert set(pairs) == {(1, 10), (2, 11)}
    first = pairs[(1, 10)]
    assert codes(first.reasons) == [
        engine.DIFFERENT_FACULTIES,
        engine.SAME_TRACK,
        engine.SHARED_TOPICS,
        engine.SHARED_LANGUAGES,
    ]
    assert first.reasons[2]["topics"] == sorted(TOPICS[:3])
    assert first.score == 3.0 + 3 * 1.0 + 2.0
    assert result.total_score == first.score + pairs[(2, 11)].score


def test_weights_change_the_choice():
    mentors = [mentor(1, 1, track="dosent"), mentor(2, 2, languages=frozenset({"en"}))]
    mentees = [mentee(10, 3, track="dosent", languages=frozenset({"en"}))]
    assert propose(mentors, mentees).pairs[0].mentor_id == 1
    weights = Weights(same_track=1, language=5)
    assert propose(mentors, mentees, weights=weights).pairs[0].mentor_id == 2


def test_more_pairs_beat_a_higher_score():
    # Mentor 1 suits mentee 10 best, but then mentee 11 (same faculty as
    # mentor 2) would be left out.
    mentors = [mentor(1, 1, track="dosent"), mentor(2, 2)]
    mentees = [mentee(10, 3, track="dosent"), mentee(11, 2)]
    result = propose(mentors, mentees)
    assert {(p.mentor_id, p.mentee_id) for p in result.pairs} == {(1, 11), (2, 10)}
    assert result.unmatched == []


def test_capacity_expands_a_mentor_into_places():
    mentors = [mentor(1, 1, capacity=2)]
    mentees = [mentee(10, 2), mentee(11, 3), mentee(12, 4)]
    result = propose(mentors, mentees)
    assert len(result.pairs) == 2
    (left,) = result.unmatched
    assert left.code == engine.CANDIDATES_TAKEN and left.surplus
    assert left.compatible == 1


def test_surplus_of_mentors_is_listed_with_open_places():
    result = propose([mentor(1, 1), mentor(2, 2, capacity=3)], [mentee(10, 3)])
    assert len(result.pairs) == 1
    open_places = {u.participant_id: u.open_places for u in result.unmatched}
    assert sum(open_places.values()) == 3
    assert all(u.surplus and u.role == engine.MENTOR for u in result.unmatched)


def test_nobody_on_the_other_side():
    result = propose([], [mentee(10, 1)])
    assert result.pairs == []
    assert result.unmatched[0].code == engine.NO_CANDIDATES


def test_forbidden_pair_is_never_proposed():
    result = propose([mentor(1, 1)], [mentee(10, 2)], forbidden=[(1, 10)])
    assert result.pairs == []
    assert result.unmatched[0].exclusions == [
        {"candidate": 1, "rules": [engine.FORBIDDEN]}
    ]


def test_locked_and_hand_set_pairs_are_kept_even_when_worse():
    mentors = [mentor(1, 1, track="dosent"), mentor(2, 2)]
    mentees = [mentee(10, 3, track="dosent"), mentee(11, 4)]
    result = propose(mentors, mentees, locked=[(2, 10)])
    pairs = {(p.mentor_id, p.mentee_id): p for p in result.pairs}
    assert set(pairs) == {(2, 10), (1, 11)}
    assert pairs[(2, 10)].fixed == engine.LOCKED
    assert codes(pairs[(2, 10)].reasons)[-1] == engine.LOCKED
    result = propose(mentors, mentees, hand_set=[(2, 10)])
    assert {(p.mentor_id, p.mentee_id) for p in result.pairs} == {(2, 10), (1, 11)}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"locked": [(1, 11)]}, engine.SAME_FACULTY),
        ({"locked": [(1, 10)], "forbidden": [(1, 10)]}, engine.FORBIDDEN),
        ({"locked": [(1, 10)], "hand_set": [(2, 10)]}, "mentee_paired"),
        ({"locked": [(1, 10)], "hand_set": [(1, 12)]}, "capacity"),
        ({"locked": [(1, 99)]}, "not_participating"),
    ],
)
def test_fixed_pairs_that_cannot_be_kept_are_refused(kwargs, code):
    mentors = [mentor(1, 1), mentor(2, 2)]
    mentees = [mentee(10, 3), mentee(11, 1), mentee(12, 3)]
    with pytest.raises(engine.ConstraintConflict) as error:
        propose(mentors, mentees, **kwargs)
    assert error.value.code == code


def test_avoidances_are_soft_by_default_and_hard_on_request():
    mentors = [mentor(1, 1, department="Institutt for fysikk")]
    mentees = [mentee(10, 2, avoid_departments=frozenset({"institutt for fysikk"}))]
    (pair,) = propose(mentors, mentees).pairs
    assert pair.reasons[-1] == {
        "code": engine.AVOIDED_DEPARTMENT,
        "who": engine.MENTEE,
        "department": "Institutt for fysikk",
    }
    assert pair.score == -10.0
    hard = propose(mentors, mentees, weights=Weights(avoidances_hard=True))
    assert hard.pairs == []
    assert hard.unmatched[0].exclusions[0]["rules"] == [engine.AVOIDED_DEPARTMENT]
    mentees = [mentee(10, 2, avoid_faculties=frozenset({1}))]
    (pair,) = propose(mentors, mentees).pairs
    assert pair.reasons[-1]["code"] == engine.AVOIDED_FACULTY


def test_a_wish_that_names_the_partner_counts():
    mentors = [
        mentor(1, 1, keywords=frozenset({"Fakultet for økonomi"})),
        mentor(2, 2, keywords=frozenset({"Det humanistiske fakultet"})),
    ]
    mentees = [mentee(10, 3, wishes="Gjerne noen fra fakultet for ØKONOMI.")]
    (pair,) = propose(mentors, mentees).pairs
    assert pair.mentor_id == 1
    assert pair.reasons[-1] == {
        "code": engine.WISH,
        "who": engine.MENTEE,
        "terms": ["Fakultet for økonomi"],
    }


def names_by_words(wishes, term):
    """The wish rule spelled out by brute force: every word of ``term`` of
    three letters or more that is not generic equals a word of the wish,
    begins one (5 letters or more), or is begun by one (7 letters or more)."""
    wish = re.findall(r"\w+", wishes.casefold())
    words = [
        w
        for w in re.findall(r"\w+", term.casefold())
        if len(w) > 2 and w not in engine.GENERIC_WORDS
    ]
    return bool(words) and all(
        any(
            v == w
            or (len(w) >= 5 and v.startswith(w))
            or (len(v) >= 7 and w.startswith(v))
            for v in wish
        )
        for w in words
    )


@pytest.mark.parametrize(
    ("wishes", "term", "named"),
    [
        # The unit's own word, without "Faculty of"/"Institutt for".
        ("Gjerne noen fra økonomi", "Fakultet for økonomi", True),
        ("noen innen fysikk", "Institutt for fysikk", True),
        # Endings and compounds.
        ("helst fra fysikkmiljøet", "Institutt for fysikk", True),
        ("noen naturvitenskapelige", "Fakultet for naturvitenskap", True),
        ("someone in natural sciences", "Faculty of Natural Sciences", True),
        ("Someone from the NATURAL SCIENCES.", "Faculty of Natural Sciences", True),
        # Every word of a name, whole words only.
        ("someone in the social sciences", "Faculty of Natural Sciences", False),
        ("astrofysikk", "Institutt for fysikk", False),
        ("noen fra et annet fakultet", "Det humanistiske fakultet", False),
        ("fra et annet institutt", "Institutt for fysikk", False),
        ("", "Institutt for fysikk", False),
        ("IT", "IT", False),
    ],
)
def test_a_wish_names_a_partner_by_the_words_of_a_name(wishes, term, named):
    assert engine.wish_names(wishes, term) is named
    assert names_by_words(wishes, term) is named


def test_a_wish_in_one_language_names_the_faculty_by_either_name():
    mentors = [
        mentor(
            1,
            1,
            keywords=frozenset(
                {"Fakultet for naturvitenskap", "Faculty of Natural Sciences"}
            ),
        ),
        mentor(2, 2, keywords=frozenset({"Det humanistiske fakultet"})),
    ]
    mentees = [mentee(10, 3, wishes="Helst en naturviter – natural sciences.")]
    (pair,) = propose(mentors, mentees).pairs
    assert pair.mentor_id == 1
    assert pair.reasons[-1]["terms"] == ["Faculty of Natural Sciences"]


def test_unknown_faculty_is_not_excluded_but_not_called_different():
    (pair,) = propose([mentor(1, None)], [mentee(10, 1)]).pairs
    assert engine.DIFFERENT_FACULTIES not in codes(pair.reasons)


def test_duplicate_ids_and_bad_capacity_are_refused():
    with pytest.raises(ValueError):
        propose([mentor(1, 1), mentor(1, 2)], [])
    with pytest.raises(ValueError):
        propose([mentor(1, 1, capacity=0)], [])


def test_score_matrix_agrees_with_evaluate_on_every_pair():
    mentors = [
        mentor(
            1,
            1,
            track="dosent",
            topics=frozenset(TOPICS[:2]),
            wishes="fysikk",
            avoid_faculties=frozenset({3}),
        ),
        mentor(2, 2, languages=frozenset({"en", "nb"}), keywords=frozenset({"kjemi"})),
    ]
    mentees = [
        mentee(
            10,
            3,
            track="dosent",
            topics=frozenset(TOPICS),
            keywords=frozenset({"fysikk"}),
        ),
        mentee(
            11,
            1,
            languages=frozenset({"nb"}),
            wishes="kjemi",
            avoid_departments=frozenset({"x"}),
        ),
    ]
    scores, feasible = engine.score_matrix(mentors, mentees)
    for i, e in enumerate(mentees):
        for j, r in enumerate(mentors):
            assert scores[i, j] == pytest.approx(engine.evaluate(r, e)[0])
            assert feasible[i, j] == (not engine.exclusions(r, e))


# --- Property-based tests over random rounds --------------------------------

FACULTIES = st.integers(min_value=1, max_value=4)


@st.composite
def people(draw, role, ids, max_size):
    count = draw(st.integers(min_value=0, max_value=max_size))
    result = []
    for n in range(count):
        result.append(
            Participant(
                id=ids + n,
                role=role,
                faculty_id=draw(FACULTIES),
                department=draw(st.sampled_from(["", "Fysikk", "Kjemi"])),
                track=draw(st.sampled_from(["", "professor", "dosent"])),
                topics=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
                languages=frozenset(draw(st.sets(st.sampled_from(["nb", "en"])))),
                avoid_faculties=frozenset(draw(st.sets(FACULTIES, max_size=1))),
                avoid_departments=frozenset(
                    draw(st.sets(st.sampled_from(["fysikk", "kjemi"]), max_size=1))
                ),
                wishes=draw(st.sampled_from(["", "fysikk", "gjerne kjemi"])),
                keywords=frozenset(
                    draw(st.sets(st.sampled_from(["Fysikk", "Kjemi"]), max_size=1))
                ),
                capacity=draw(st.integers(min_value=1, max_value=2))
                if role == engine.MENTOR
                else 1,
            )
        )
    return result


@st.composite
def rounds(draw, max_size=4):
    mentors = draw(people(engine.MENTOR, 1, max_size))
    mentees = draw(people(engine.MENTEE, 100, max_size))
    all_pairs = [(r.id, e.id) for r in mentors for e in mentees]
    forbidden = (
        draw(st.sets(st.sampled_from(all_pairs), max_size=3)) if all_pairs else set()
    )
    weights = Weights(
        same_track=draw(st.sampled_from([0, 1.5, 3])),
        topic=draw(st.sampled_from([0, 1, 2.5])),
        language=draw(st.sampled_from([0, 2])),
        wish=draw(st.sampled_from([0, 2])),
        avoidance=draw(st.sampled_from([0, 10])),
        avoidances_hard=draw(st.booleans()),
    )
    return mentors, mentees, forbidden, weights


def brute_force(mentors, mentees, forbidden, weights):
    """(most pairs, best total score among assignments with that many)."""
    slots = [r for r in mentors for _ in range(r.capacity)]
    options = [*range(len(slots)), *([None] * len(mentees))]
    best = (0, 0.0)
    for choice in itertools.permutations(options, len(mentees)):
        count, total = 0, 0.0
        for e, slot in zip(mentees, choice, strict=True):
            if slot is None:
                continue
            r = slots[slot]
            if engine.exclusions(r, e, forbidden, weights):
                count = -1
                break
            count += 1
            total += engine.evaluate(r, e, weights)[0]
        if count >= 0 and (count, total) > (best[0], best[1] + 1e-9):
            best = (count, total)
    return best


def holds(reason, r, e):
    """Whether the rule a reason names holds for mentor ``r`` and mentee ``e``."""
    code = reason["code"]
    if code == engine.DIFFERENT_FACULTIES:
        return None not in (r.faculty_id, e.faculty_id) and r.faculty_id != e.faculty_id
    if code == engine.SAME_TRACK:
        return r.track == e.track == reason["track"] != ""
    if code == engine.SHARED_TOPICS:
        return set(reason["topics"]) == r.topics & e.topics != set()
    if code == engine.SHARED_LANGUAGES:
        return set(reason["languages"]) == r.languages & e.languages != set()
    if code == engine.WISH:
        wisher, other = (e, r) if reason["who"] == engine.MENTEE else (r, e)
        return bool(reason["terms"]) and all(
            t in other.keywords and names_by_words(wisher.wishes, t)
            for t in reason["terms"]
        )
    if code == engine.AVOIDED_FACULTY:
        avoider, other = (e, r) if reason["who"] == engine.MENTEE else (r, e)
        return other.faculty_id == reason["faculty"] in avoider.avoid_faculties
    if code == engine.AVOIDED_DEPARTMENT:
        avoider, other = (e, r) if reason["who"] == engine.MENTEE else (r, e)
        return engine.normalise(other.department) in avoider.avoid_departments
    return code in (engine.LOCKED, engine.HAND_SET)


PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(rounds())
def test_hard_rules_hold_and_reasons_are_true(round_):
    mentors, mentees, forbidden, weights = round_
    result = propose(mentors, mentees, forbidden=forbidden, weights=weights)
    by_id = {p.id: p for p in (*mentors, *mentees)}
    taken = {}
    for pair in result.pairs:
        r, e = by_id[pair.mentor_id], by_id[pair.mentee_id]
        assert r.faculty_id != e.faculty_id
        assert (r.id, e.id) not in forbidden
        assert not engine.exclusions(r, e, forbidden, weights)
        assert all(holds(reason, r, e) for reason in pair.reasons), pair.reasons
        taken[r.id] = taken.get(r.id, 0) + 1
        assert taken[r.id] <= r.capacity
    assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)
    matched = {p.mentee_id for p in result.pairs}
    assert {u.participant_id for u in result.unmatched if u.role == engine.MENTEE} == (
        {e.id for e in mentees} - matched
    )
    for person in result.unmatched:
        for item in person.exclusions:
            assert item["rules"]
            r, e = (
                (by_id[person.participant_id], by_id[item["candidate"]])
                if person.role == engine.MENTOR
                else (by_id[item["candidate"]], by_id[person.participant_id])
            )
            assert engine.exclusions(r, e, forbidden, weights) == item["rules"]


@PROPERTY
@given(rounds(max_size=4))
def test_total_score_equals_the_brute_force_optimum(round_):
    mentors, mentees, forbidden, weights = round_
    result = propose(mentors, mentees, forbidden=forbidden, weights=weights)
    count, total = brute_force(mentors, mentees, forbidden, weights)
    assert len(result.pairs) == count
    assert result.total_score == pytest.approx(total)


@PROPERTY
@given(rounds(), st.data())
def test_locked_pairs_survive_a_rerun(round_, data):
    mentors, mentees, forbidden, weights = round_
    first = propose(mentors, mentees, forbidden=forbidden, weights=weights)
    if not first.pairs:
        return
    pairs = [(p.mentor_id, p.mentee_id) for p in first.pairs]
    locked = sorted(data.draw(st.sets(st.sampled_from(pairs), min_size=1)))
    # A re-run with other weights keeps them all.
    again = propose(
        mentors,
        mentees,
        locked=locked,
        forbidden=forbidden,
        weights=Weights(same_track=0, topic=5, language=0),
    )
    kept = {(p.mentor_id, p.mentee_id): p.fixed for p in again.pairs}
    assert all(kept.get(pair) == engine.LOCKED for pair in locked)
