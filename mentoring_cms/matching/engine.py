"""The matching of mentors and mentees: an optimal assignment with reasons.

Pure Python and numpy/scipy; no Django. The caller (``operations``) turns
applications into ``Participant`` objects and the proposal back into rows.

The rules (issue 15, "Adepter og mentorer blir satt sammen på tvers av
faglig tilhørighet"):

Hard, never broken by the solver:
  * ``same_faculty``: a mentor and a mentee of the same faculty are never
    paired (a participant whose faculty is unknown is not excluded by it);
  * capacity: a mentor takes ``capacity`` mentees (1 unless HR sets more);
    such a mentor is expanded into that many identical slots;
  * ``forbidden``: a pair HR has forbidden is never proposed;
  * with ``Weights.avoidances_hard``, a faculty or department a participant
    asked to avoid (``avoided_faculty``, ``avoided_department``).

Soft, weighted (``Weights``): the same track, each shared topic, at least
one shared language, a wish that names the partner (faculty, department or
field, in either language: ``wish_names``), and, unless avoidances are
hard, a penalty for each avoidance broken.

The solver first pairs as many people as the hard rules allow, then, among
those assignments, maximises the total score: each pair is worth
``BIG + score`` with ``BIG`` larger than any possible difference in total
score, and ``scipy.optimize.linear_sum_assignment`` finds the optimum.

Locked and hand-set pairs are kept as given (checked against the hard
rules: ``ConstraintConflict``) before the rest is solved.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

MENTOR = "mentor"
MENTEE = "mentee"

# Hard rules (codes of exclusions).
SAME_FACULTY = "same_faculty"
FORBIDDEN = "forbidden"
AVOIDED_FACULTY = "avoided_faculty"
AVOIDED_DEPARTMENT = "avoided_department"

# Reasons of a pair.
DIFFERENT_FACULTIES = "different_faculties"
SAME_TRACK = "same_track"
SHARED_TOPICS = "shared_topics"
SHARED_LANGUAGES = "shared_languages"
WISH = "wish"
LOCKED = "locked"
HAND_SET = "hand_set"

# Reasons someone is left unmatched.
NO_CANDIDATES = "no_candidates"
ALL_EXCLUDED = "all_excluded"
CANDIDATES_TAKEN = "candidates_taken"


class ConstraintConflict(ValueError):
    """A locked or hand-set pair that cannot be kept: it breaks a hard rule,
    names someone who is not taking part, gives a mentee two mentors, or
    gives a mentor more mentees than its capacity. ``code`` says which."""

    def __init__(self, message, *, code, pair):
        super().__init__(message)
        self.code = code
        self.pair = pair


def normalise(text):
    """Case-folded text with single spaces: how departments and wishes are
    compared."""
    return " ".join((text or "").casefold().split())


# Words that name the kind of unit, not the unit ("Faculty of Natural
# Sciences", "Institutt for fysikk"), and small words: a wish for "someone
# from another faculty" names nobody in particular.
GENERIC_WORDS = frozenset(
    {
        "and", "center", "centre", "department", "det", "faculty", "for", "institute",
        "institutt", "instituttet", "fakultet", "fakultetet", "og", "of", "school",
        "senter", "the", "til", "med",
    }
)  # fmt: skip
# A word of the partner's this long matches a longer word of the wish it
# begins (Norwegian compounds and endings: "fysikk" in "fysikkmiljøet").
PREFIX_MIN = 5
# A word of the wish this long matches a longer word of the partner's it
# begins ("naturvitenskap" for "naturvitenskapelige").
STEM_MIN = 7
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=4096)
def term_words(term):
    """The words of a keyword (a faculty or department name, a field) that a
    wish must name: case-folded, three letters or more, not generic."""
    return tuple(
        word
        for word in _WORD.findall(normalise(term))
        if len(word) > 2 and word not in GENERIC_WORDS
    )


class WishText:
    """A wish's words, for ``names``: whole words, compared case-folded,
    with the prefix rules above; never a match inside another word."""

    def __init__(self, text):
        self.words = set(_WORD.findall(normalise(text)))
        self.prefixes = {
            word[:n] for word in self.words for n in range(PREFIX_MIN, len(word))
        }

    def _has(self, word):
        if word in self.words or (len(word) >= PREFIX_MIN and word in self.prefixes):
            return True
        return any(word[:n] in self.words for n in range(STEM_MIN, len(word)))

    def names(self, term):
        """Whether the wish names every significant word of ``term``."""
        words = term_words(term)
        return bool(words) and all(self._has(word) for word in words)


def wish_names(wishes, term):
    """Whether the free-text ``wishes`` name ``term`` (a keyword of the
    partner): every significant word of it (``term_words``) is a word of
    the wish, or begins a longer one ("fysikk" – "fysikkmiljøet"), or a long
    word of the wish begins it ("naturvitenskap" – "naturvitenskapelige").
    "Natural Sciences" needs both words; "økonomi" names "Fakultet for
    økonomi"; "IT" is too short to name anything."""
    return WishText(wishes).names(term)


@dataclass(frozen=True)
class Participant:
    """One accepted participant as the engine sees them.

    ``id`` is the application's primary key; ``faculty_id`` the faculty in the
    default language (``None`` when unknown); ``topics`` and ``languages``
    codes; ``avoid_faculties`` faculty ids; ``avoid_departments`` and
    ``department`` compared after ``normalise``; ``keywords`` the terms by
    which someone may wish for this person (faculty names, department,
    academic field); ``capacity`` the number of mentees a mentor takes.
    """

    id: int
    role: str
    faculty_id: int | None = None
    department: str = ""
    track: str = ""
    topics: frozenset = frozenset()
    languages: frozenset = frozenset()
    avoid_faculties: frozenset = frozenset()
    avoid_departments: frozenset = frozenset()
    wishes: str = ""
    keywords: frozenset = frozenset()
    capacity: int = 1


@dataclass(frozen=True)
class Weights:
    """Points of each soft rule; the defaults are the plugin's suggestion.

    ``topic`` is per shared topic; ``avoidance`` is subtracted for each
    avoidance a pair breaks (only when ``avoidances_hard`` is false)."""

    same_track: float = 3.0
    topic: float = 1.0
    language: float = 2.0
    wish: float = 2.0
    avoidance: float = 10.0
    avoidances_hard: bool = False

    def as_dict(self):
        return {
            "same_track": self.same_track,
            "topic": self.topic,
            "language": self.language,
            "wish": self.wish,
            "avoidance": self.avoidance,
            "avoidances_hard": self.avoidances_hard,
        }

    @classmethod
    def from_dict(cls, data):
        """Weights from ``as_dict`` output; unknown keys are ignored."""
        known = {k: v for k, v in (data or {}).items() if k in cls().as_dict()}
        return cls(**known)


@dataclass
class ProposedPair:
    """A pair of the proposal: its score and its reasons (dicts with a
    ``code`` and the parameters the words need), ``fixed`` is ``None``,
    ``"locked"`` or ``"hand_set"``."""

    mentor_id: int
    mentee_id: int
    score: float
    reasons: list
    fixed: str | None = None


@dataclass
class Unmatched:
    """A participant left without a partner, with the reason (``code``:
    ``no_candidates``, ``all_excluded`` or ``candidates_taken``) and, for
    ``all_excluded``, each candidate with the rules that excluded them
    (``exclusions``: list of {"candidate": id, "rules": [codes]})."""

    participant_id: int
    role: str
    code: str
    exclusions: list = field(default_factory=list)
    open_places: int = 1
    compatible: int = 0
    surplus: bool = False


@dataclass
class Proposal:
    """The result of ``propose``: pairs (sorted by mentor, then mentee), the
    unmatched participants, and the total score of the pairs."""

    pairs: list
    unmatched: list
    total_score: float
    weights: Weights


def _department_hit(avoided, department):
    return bool(department) and normalise(department) in avoided


def exclusions(mentor, mentee, forbidden=frozenset(), weights=Weights()):
    """The hard rules that keep ``mentor`` and ``mentee`` apart (codes, in a
    fixed order); empty when they may be paired."""
    rules = []
    if mentor.faculty_id is not None and mentor.faculty_id == mentee.faculty_id:
        rules.append(SAME_FACULTY)
    if (mentor.id, mentee.id) in forbidden:
        rules.append(FORBIDDEN)
    if weights.avoidances_hard:
        rules.extend(_avoidances(mentor, mentee, codes_only=True))
    return rules


def _avoidances(mentor, mentee, codes_only=False):
    found = []
    for who, one, other in ((MENTEE, mentee, mentor), (MENTOR, mentor, mentee)):
        if other.faculty_id is not None and other.faculty_id in one.avoid_faculties:
            found.append(
                AVOIDED_FACULTY
                if codes_only
                else {"code": AVOIDED_FACULTY, "who": who, "faculty": other.faculty_id}
            )
        if _department_hit(one.avoid_departments, other.department):
            found.append(
                AVOIDED_DEPARTMENT
                if codes_only
                else {
                    "code": AVOIDED_DEPARTMENT,
                    "who": who,
                    "department": other.department,
                }
            )
    if codes_only:
        return list(dict.fromkeys(found))
    return found


def _wished_terms(wisher, other):
    if not normalise(wisher.wishes):
        return []
    wish = WishText(wisher.wishes)
    return sorted(term for term in other.keywords if term and wish.names(term))


def evaluate(mentor, mentee, weights=Weights()):
    """(score, reasons) of pairing ``mentor`` with ``mentee`` by the soft
    rules; the hard rules are ``exclusions``' business."""
    score = 0.0
    reasons = []
    if mentor.faculty_id is not None and mentee.faculty_id is not None:
        reasons.append({"code": DIFFERENT_FACULTIES})
    if mentor.track and mentor.track == mentee.track:
        score += weights.same_track
        reasons.append({"code": SAME_TRACK, "track": mentee.track})
    topics = sorted(mentor.topics & mentee.topics)
    if topics:
        score += weights.topic * len(topics)
        reasons.append({"code": SHARED_TOPICS, "topics": topics})
    languages = sorted(mentor.languages & mentee.languages)
    if languages:
        score += weights.language
        reasons.append({"code": SHARED_LANGUAGES, "languages": languages})
    for who, wisher, other in ((MENTEE, mentee, mentor), (MENTOR, mentor, mentee)):
        terms = _wished_terms(wisher, other)
        if terms:
            score += weights.wish
            reasons.append({"code": WISH, "who": who, "terms": terms})
    if not weights.avoidances_hard:
        for avoidance in _avoidances(mentor, mentee):
            score -= weights.avoidance
            reasons.append(avoidance)
    return score, reasons


def _bitmasks(values_per_person):
    """Each person's set of codes as an integer bit mask (numpy object
    arrays are avoided: more than 62 distinct codes fall back to Python)."""
    codes = sorted({code for values in values_per_person for code in values})
    bit = {code: 1 << n for n, code in enumerate(codes)}
    masks = [sum(bit[c] for c in values) for values in values_per_person]
    if len(codes) <= 62:
        return np.array(masks, dtype=np.int64), True
    return masks, False


def _shared_counts(a_masks, b_masks, fits):
    if fits:
        return np.bitwise_count(a_masks[:, None] & b_masks[None, :]).astype(float)
    return np.array([[(a & b).bit_count() for b in b_masks] for a in a_masks], float)


def score_matrix(mentors, mentees, weights=Weights(), forbidden=frozenset()):
    """(scores, feasible): two arrays of shape (len(mentees), len(mentors))
    with ``evaluate``'s score and whether ``exclusions`` is empty, computed
    for every pair at once."""
    n, m = len(mentees), len(mentors)
    scores = np.zeros((n, m))
    feasible = np.ones((n, m), dtype=bool)
    if not n or not m:
        return scores, feasible
    e_fac = np.array(
        [p.faculty_id if p.faculty_id is not None else -1 for p in mentees]
    )
    r_fac = np.array(
        [p.faculty_id if p.faculty_id is not None else -2 for p in mentors]
    )
    feasible &= e_fac[:, None] != r_fac[None, :]
    tracks = {t: i for i, t in enumerate({p.track for p in (*mentors, *mentees)})}
    e_track = np.array([tracks[p.track] if p.track else -1 for p in mentees])
    r_track = np.array([tracks[p.track] if p.track else -2 for p in mentors])
    scores += weights.same_track * (e_track[:, None] == r_track[None, :])
    masks, fits = _bitmasks([p.topics for p in mentees] + [p.topics for p in mentors])
    scores += weights.topic * _shared_counts(masks[:n], masks[n:], fits)
    masks, fits = _bitmasks(
        [p.languages for p in mentees] + [p.languages for p in mentors]
    )
    scores += weights.language * (_shared_counts(masks[:n], masks[n:], fits) > 0)
    mentor_index = {p.id: j for j, p in enumerate(mentors)}
    mentee_index = {p.id: i for i, p in enumerate(mentees)}
    for mentor_id, mentee_id in forbidden:
        if mentor_id in mentor_index and mentee_id in mentee_index:
            feasible[mentee_index[mentee_id], mentor_index[mentor_id]] = False
    # Each side's wish counts on its own (as in ``evaluate``).
    wished = _wish_hits(mentees, mentors).astype(int)
    scores += weights.wish * (wished + _wish_hits(mentors, mentees).T)
    avoided = (
        _avoidance_counts(mentees, mentors) + _avoidance_counts(mentors, mentees).T
    )
    if weights.avoidances_hard:
        feasible &= avoided == 0
    else:
        scores -= weights.avoidance * avoided
    return scores, feasible


def _wish_hits(wishers, others):
    """Boolean array (wishers × others): the wisher's wishes name a term of
    the other (``_wished_terms`` is not empty)."""
    hits = np.zeros((len(wishers), len(others)), dtype=bool)
    by_term = {}
    for j, other in enumerate(others):
        for term in other.keywords:
            if term and term_words(term):
                by_term.setdefault(term, []).append(j)
    for i, wisher in enumerate(wishers):
        if normalise(wisher.wishes):
            wish = WishText(wisher.wishes)
            for term, columns in by_term.items():
                if wish.names(term):
                    hits[i, columns] = True
    return hits


def _avoidance_counts(avoiders, others):
    """Integer array (avoiders × others): how many of the avoider's
    avoidances (a faculty, a department) the other falls under."""
    counts = np.zeros((len(avoiders), len(others)), dtype=int)
    faculties = np.array(
        [p.faculty_id if p.faculty_id is not None else -1 for p in others]
    )
    departments = np.array([normalise(p.department) for p in others], dtype=object)
    known_department = departments != ""
    for i, avoider in enumerate(avoiders):
        if avoider.avoid_faculties:
            counts[i] += np.isin(faculties, list(avoider.avoid_faculties)) & (
                faculties != -1
            )
        if avoider.avoid_departments:
            counts[i] += known_department & np.isin(
                departments, list(avoider.avoid_departments)
            )
    return counts


def _keep_fixed(fixed, by_mentor, by_mentee, used, forbidden, weights):
    """The locked and hand-set pairs as ``ProposedPair`` objects; raises
    ``ConstraintConflict`` for one that cannot be kept."""
    pairs = []
    for (mentor_id, mentee_id), kind in fixed:
        pair = (mentor_id, mentee_id)
        mentor, mentee = by_mentor.get(mentor_id), by_mentee.get(mentee_id)
        if mentor is None or mentee is None:
            raise ConstraintConflict(
                f"{kind} pair {pair} names someone not taking part",
                code="not_participating",
                pair=pair,
            )
        if mentee_id in {p.mentee_id for p in pairs}:
            raise ConstraintConflict(
                f"{kind} pair {pair}: the mentee is already paired",
                code="mentee_paired",
                pair=pair,
            )
        if used.get(mentor_id, 0) >= mentor.capacity:
            raise ConstraintConflict(
                f"{kind} pair {pair}: the mentor has no place left",
                code="capacity",
                pair=pair,
            )
        rules = exclusions(mentor, mentee, forbidden, weights)
        if rules:
            raise ConstraintConflict(
                f"{kind} pair {pair} breaks {rules[0]}", code=rules[0], pair=pair
            )
        used[mentor_id] = used.get(mentor_id, 0) + 1
        score, reasons = evaluate(mentor, mentee, weights)
        reasons.append({"code": kind})
        pairs.append(ProposedPair(mentor_id, mentee_id, score, reasons, fixed=kind))
    return pairs


def _solve(mentors, mentees, used, forbidden, weights):
    """The optimal pairs among ``mentees`` and the places mentors have left."""
    slots = np.repeat(
        np.arange(len(mentors)),
        [max(p.capacity - used.get(p.id, 0), 0) for p in mentors],
    )
    if not len(mentees) or not len(slots):
        return []
    scores, feasible = score_matrix(mentors, mentees, weights, forbidden)
    scores, feasible = scores[:, slots], feasible[:, slots]
    # One more pair is worth more than any gain in score: BIG exceeds the
    # largest possible difference between the scores of two assignments.
    spread = max(scores.max(), 0.0) + max(-scores.min(), 0.0)
    big = spread * min(len(mentees), len(slots)) + 1.0
    cost = np.where(feasible, -(big + scores), 0.0)
    rows, columns = linear_sum_assignment(cost)
    pairs = []
    for row, column in zip(rows, columns, strict=True):
        if feasible[row, column]:
            mentor, mentee = mentors[slots[column]], mentees[row]
            score, reasons = evaluate(mentor, mentee, weights)
            pairs.append(ProposedPair(mentor.id, mentee.id, score, reasons))
    return pairs


def _why_unmatched(person, candidates, as_mentor, forbidden, weights, open_places):
    if not candidates:
        return Unmatched(person.id, person.role, NO_CANDIDATES, open_places=open_places)
    excluded, compatible = [], 0
    for other in candidates:
        mentor, mentee = (person, other) if as_mentor else (other, person)
        rules = exclusions(mentor, mentee, forbidden, weights)
        if rules:
            excluded.append({"candidate": other.id, "rules": rules})
        else:
            compatible += 1
    if not compatible:
        return Unmatched(
            person.id,
            person.role,
            ALL_EXCLUDED,
            exclusions=excluded,
            open_places=open_places,
        )
    return Unmatched(
        person.id,
        person.role,
        CANDIDATES_TAKEN,
        open_places=open_places,
        compatible=compatible,
    )


def propose(
    mentors: Iterable[Participant],
    mentees: Iterable[Participant],
    *,
    locked: Iterable[tuple] = (),
    hand_set: Iterable[tuple] = (),
    forbidden: Iterable[tuple] = (),
    weights: Weights = Weights(),
) -> Proposal:
    """The best set of pairs of ``mentors`` and ``mentees`` under the rules
    (see the module's docstring), keeping ``locked`` and ``hand_set`` pairs
    ((mentor id, mentee id) tuples) and never proposing a ``forbidden`` one.

    Raises ``ConstraintConflict`` when a locked or hand-set pair cannot be
    kept and ``ValueError`` when an id appears twice or a capacity is below 1.
    """
    mentors, mentees = list(mentors), list(mentees)
    by_mentor = {p.id: p for p in mentors}
    by_mentee = {p.id: p for p in mentees}
    if len(by_mentor) != len(mentors) or len(by_mentee) != len(mentees):
        raise ValueError("a participant appears twice")
    if any(p.capacity < 1 for p in mentors):
        raise ValueError("a mentor's capacity is below 1")
    forbidden = frozenset(tuple(pair) for pair in forbidden)
    fixed = [(tuple(pair), LOCKED) for pair in locked]
    fixed += [(tuple(pair), HAND_SET) for pair in hand_set]
    used = {}
    pairs = _keep_fixed(fixed, by_mentor, by_mentee, used, forbidden, weights)
    paired = {p.mentee_id for p in pairs}
    free = [p for p in mentees if p.id not in paired]
    pairs += _solve(mentors, free, used, forbidden, weights)
    for pair in pairs:
        if pair.fixed is None:
            used[pair.mentor_id] = used.get(pair.mentor_id, 0) + 1
    paired = {p.mentee_id for p in pairs}
    places = sum(p.capacity for p in mentors)
    unmatched = [
        _why_unmatched(p, mentors, False, forbidden, weights, 1)
        for p in mentees
        if p.id not in paired
    ]
    unmatched += [
        _why_unmatched(
            p, mentees, True, forbidden, weights, p.capacity - used.get(p.id, 0)
        )
        for p in mentors
        if used.get(p.id, 0) < p.capacity
    ]
    for person in unmatched:
        person.surplus = (len(mentees) > places) == (person.role == MENTEE) and (
            len(mentees) != places
        )
    pairs.sort(key=lambda p: (p.mentor_id, p.mentee_id))
    return Proposal(
        pairs=pairs,
        unmatched=unmatched,
        total_score=sum(p.score for p in pairs),
        weights=weights,
    )
