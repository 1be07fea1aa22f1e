"""Matching a round's accepted participants: proposals, HR's constraints,
publication and what happens when someone withdraws afterwards.

Every function that writes works in one transaction with the round's rows
locked (as HR's decisions do), so two reviewers cannot publish or run at the
same moment over each other's work.
"""

import functools
from dataclasses import asdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import Application, Faculty, MentorCapacity, ProgramRoundPage
from ..models.localized import faculty_names as localized_faculty_names
from ..models.matching import Match, MatchingRun, PairConstraint, ProposedPair
from ..models.topics import topic_labels
from . import engine
from .profiles import matching_answers
from .reasons import Labels

LOG_RUN = "mentoring_cms.matching.run"
LOG_CONSTRAINT = "mentoring_cms.matching.constraint"
LOG_PUBLISHED = "mentoring_cms.matching.published"


class MatchingRefused(Exception):
    """The matching work cannot be done; nothing was stored. The message is
    in the active language, for HR."""


def _lock_round(programme_round):
    """Lock every language version of the round until the transaction ends."""
    list(
        ProgramRoundPage.objects.select_for_update(of=("self",))
        .filter(translation_key=programme_round.translation_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def source_round(programme_round):
    """The round in the default language: matching rows belong to it."""
    return programme_round.get_source_round()


def participants(programme_round):
    """The round's accepted, not anonymised applications (any language
    version of the round), with faculty and matching answers: (mentors,
    mentees), each ordered by pk."""
    accepted = (
        Application.objects.filter(
            round__translation_key=programme_round.translation_key,
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
        )
        .select_related("faculty", "mentor_capacity")
        .order_by("pk")
    )
    mentors, mentees = [], []
    for application in accepted:
        role_list = mentors if application.role == Application.Role.MENTOR else mentees
        role_list.append(application)
    return mentors, mentees


def faculty_names():
    """{faculty pk in the default language: {language code: name}}: one query."""
    rows = Faculty.objects.values_list(
        "pk", "translation_key", "name", "locale__language_code"
    )
    rows = list(rows)
    default = settings.LANGUAGE_CODE
    by_key = {}
    for _pk, key, name, code in rows:
        by_key.setdefault(key, {})[code] = name
    return {pk: by_key[key] for pk, key, _name, code in rows if code == default}


def capacity_of(application):
    """How many mentees a mentor takes: 1 unless HR has set more."""
    try:
        return application.mentor_capacity.capacity
    except Application.mentor_capacity.RelatedObjectDoesNotExist:
        return 1


def to_participant(application, names):
    """The engine's view of one application (``names``: ``faculty_names()``)."""
    answers = matching_answers(application)
    keywords = {application.department, application.academic_field}
    keywords |= set(names.get(application.faculty_id, {}).values())
    return engine.Participant(
        id=application.pk,
        role=application.role,
        faculty_id=application.faculty_id,
        department=application.department,
        track=answers.track,
        topics=frozenset(answers.topics),
        languages=frozenset(answers.languages),
        avoid_faculties=frozenset(answers.avoid_faculties),
        avoid_departments=frozenset(
            engine.normalise(d) for d in answers.avoid_departments
        ),
        wishes=answers.wishes,
        # Short terms ("IT") would match inside other words.
        keywords=frozenset(k for k in keywords if k and len(k) > 2),
        capacity=capacity_of(application) if application.role == "mentor" else 1,
    )


def active_matches(programme_round):
    """The round's official pairs that have not ended."""
    return Match.objects.filter(
        round__translation_key=programme_round.translation_key, ended_at__isnull=True
    ).select_related("mentor", "mentee")


def _fixed_pairs(programme_round, mentor_ids, mentee_ids):
    """(locked, hand_set, forbidden) pairs for a run: HR's constraints among
    the current participants, then the official pairs still standing, kept
    like locked ones unless HR has said otherwise about their people."""
    locked, hand_set, forbidden = [], [], []
    constraints = PairConstraint.objects.filter(
        round__translation_key=programme_round.translation_key
    ).order_by("created_at", "pk")
    for constraint in constraints:
        pair = (constraint.mentor_id, constraint.mentee_id)
        if pair[0] not in mentor_ids or pair[1] not in mentee_ids:
            continue
        {
            PairConstraint.Kind.LOCK: locked,
            PairConstraint.Kind.HAND_SET: hand_set,
            PairConstraint.Kind.FORBID: forbidden,
        }[constraint.kind].append(pair)
    fixed_mentees = {mentee for _mentor, mentee in locked + hand_set}
    for match in active_matches(programme_round):
        pair = (match.mentor_id, match.mentee_id)
        if (
            pair[0] in mentor_ids
            and pair[1] in mentee_ids
            and pair[1] not in fixed_mentees
            and pair not in forbidden
        ):
            locked.append(pair)
            fixed_mentees.add(pair[1])
    return locked, hand_set, forbidden


def compute_proposal(programme_round, weights=None):
    """The engine's proposal for the round's accepted participants, without
    storing anything: (proposal, mentors, mentees). Raises
    ``MatchingRefused`` when nobody has been accepted, or when HR's locked
    and hand-set pairs contradict each other."""
    mentors, mentees = participants(programme_round)
    if not mentors and not mentees:
        raise MatchingRefused(
            _(
                "Nobody has been accepted in this round yet: accept mentors and "
                "mentees before matching them."
            )
        )
    names = faculty_names()
    mentor_ids = {a.pk for a in mentors}
    mentee_ids = {a.pk for a in mentees}
    locked, hand_set, forbidden = _fixed_pairs(programme_round, mentor_ids, mentee_ids)
    try:
        proposal = engine.propose(
            [to_participant(a, names) for a in mentors],
            [to_participant(a, names) for a in mentees],
            locked=locked,
            hand_set=hand_set,
            forbidden=forbidden,
            weights=weights or latest_weights(programme_round),
        )
    except engine.ConstraintConflict as conflict:
        by_pk = {a.pk: a for a in (*mentors, *mentees)}
        mentor, mentee = (by_pk[pk] for pk in conflict.pair)
        raise MatchingRefused(
            _(
                "The pair %(mentor)s and %(mentee)s that HR locked or set by "
                "hand cannot be kept: remove it or another pair of the same "
                "people and run again."
            )
            % {"mentor": mentor.full_name, "mentee": mentee.full_name}
        ) from None
    return proposal, mentors, mentees


def latest_weights(programme_round):
    """The weights of the round's last run, or the engine's defaults: HR's
    choice holds for the round until HR changes it."""
    run = (
        MatchingRun.objects.filter(
            round__translation_key=programme_round.translation_key
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return engine.Weights.from_dict(run.weights) if run else engine.Weights()


def run_matching(programme_round, *, user=None, weights=None):
    """Compute a proposal for the round and keep it as a new ``MatchingRun``
    with its pairs. Raises ``MatchingRefused`` (nothing stored) as
    ``compute_proposal`` does."""
    programme_round = source_round(programme_round)
    with transaction.atomic():
        _lock_round(programme_round)
        proposal, _mentors, _mentees = compute_proposal(programme_round, weights)
        run = MatchingRun.objects.create(
            round=programme_round,
            created_by=user,
            weights=proposal.weights.as_dict(),
            total_score=proposal.total_score,
            unmatched=[asdict(person) for person in proposal.unmatched],
        )
        ProposedPair.objects.bulk_create(
            ProposedPair(
                run=run,
                mentor_id=pair.mentor_id,
                mentee_id=pair.mentee_id,
                score=pair.score,
                reasons=pair.reasons,
                fixed=pair.fixed or "",
            )
            for pair in proposal.pairs
        )
        log(
            instance=run,
            action=LOG_RUN,
            user=user,
            data={"pairs": len(proposal.pairs), "unmatched": len(proposal.unmatched)},
        )
    return run


def _participant(programme_round, pk, role):
    application = (
        Application.objects.filter(
            pk=pk,
            role=role,
            round__translation_key=programme_round.translation_key,
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
        )
        .select_related("faculty")
        .first()
    )
    if application is None:
        raise MatchingRefused(
            _("Only accepted mentors and mentees of this round can be paired.")
        )
    return application


def set_pair_constraint(programme_round, *, mentor_id, mentee_id, kind, user=None):
    """Lock, hand-set or forbid the pair (replacing what HR said about it
    before). A lock or hand-set pair must keep the hard rules, and the mentee
    may not already be locked or set with another mentor; raises
    ``MatchingRefused`` otherwise."""
    programme_round = source_round(programme_round)
    kind = PairConstraint.Kind(kind)
    with transaction.atomic():
        _lock_round(programme_round)
        mentor = _participant(programme_round, mentor_id, Application.Role.MENTOR)
        mentee = _participant(programme_round, mentee_id, Application.Role.MENTEE)
        if kind != PairConstraint.Kind.FORBID:
            if mentor.faculty_id and mentor.faculty_id == mentee.faculty_id:
                raise MatchingRefused(
                    _("A mentor and a mentee of the same faculty are never paired.")
                )
            fixed = PairConstraint.objects.filter(
                round=programme_round,
                kind__in=[PairConstraint.Kind.LOCK, PairConstraint.Kind.HAND_SET],
            ).exclude(mentor=mentor, mentee=mentee)
            if fixed.filter(mentee=mentee).exists():
                raise MatchingRefused(
                    _(
                        "This mentee is already locked or set with another "
                        "mentor: release that pair first."
                    )
                )
            if fixed.filter(mentor=mentor).count() >= capacity_of(mentor):
                raise MatchingRefused(
                    _(
                        "This mentor's places are all taken by locked or hand-set "
                        "pairs: release one first."
                    )
                )
        constraint, _created = PairConstraint.objects.update_or_create(
            mentor=mentor,
            mentee=mentee,
            defaults={
                "round": programme_round,
                "kind": kind,
                "created_by": user,
                "created_at": timezone.now(),
            },
        )
        log(
            instance=programme_round,
            action=LOG_CONSTRAINT,
            user=user,
            data={"kind": kind},
        )
    return constraint


def remove_pair_constraint(programme_round, *, constraint_id, user=None):
    """Release a lock, hand-set pair or forbidden pair of the round."""
    programme_round = source_round(programme_round)
    with transaction.atomic():
        _lock_round(programme_round)
        deleted, _ = PairConstraint.objects.filter(
            pk=constraint_id, round=programme_round
        ).delete()
        if deleted:
            log(
                instance=programme_round,
                action=LOG_CONSTRAINT,
                user=user,
                data={"kind": "released"},
            )
    return bool(deleted)


def set_capacity(programme_round, *, mentor_id, capacity, user=None):
    """Set how many mentees a mentor takes (1–10): HR's decision."""
    programme_round = source_round(programme_round)
    if not 1 <= int(capacity) <= 10:
        raise MatchingRefused(_("A mentor takes between 1 and 10 mentees."))
    with transaction.atomic():
        _lock_round(programme_round)
        mentor = _participant(programme_round, mentor_id, Application.Role.MENTOR)
        MentorCapacity.objects.update_or_create(
            application=mentor, defaults={"capacity": int(capacity)}
        )


def publish_run(run, *, user=None, now=None):
    """Make ``run``'s pairs the round's official pairs; returns the new
    ``Match`` rows (``tasks.publish_and_introduce`` also emails them).

    Official pairs that are not in the run end; pairs already official stay
    and get no new email. Raises ``MatchingRefused`` (nothing changes) when
    the run has been published already, or a participant is no longer
    accepted, or HR has forbidden one of its pairs since it ran.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_round(run.round)
        run = MatchingRun.objects.select_for_update().get(pk=run.pk)
        if run.published_at:
            raise MatchingRefused(_("This proposal has been published already."))
        pairs = list(run.pairs.select_related("mentor", "mentee"))
        if not pairs:
            raise MatchingRefused(
                _(
                    "This proposal has no pairs: there is nothing to publish. "
                    "Run the matching again when participants can be paired."
                )
            )
        for pair in pairs:
            if any(
                person.status != Application.Status.ACCEPTED or person.is_anonymised
                for person in (pair.mentor, pair.mentee)
            ):
                raise MatchingRefused(
                    _(
                        "Someone in this proposal is no longer an accepted "
                        "participant: run the matching again."
                    )
                )
        forbidden = PairConstraint.objects.filter(
            kind=PairConstraint.Kind.FORBID,
            round=run.round,
        ).filter(
            functools.reduce(
                lambda q, p: q | Q(mentor_id=p.mentor_id, mentee_id=p.mentee_id),
                pairs,
                Q(pk__in=[]),
            )
        )
        if forbidden.exists():
            raise MatchingRefused(
                _(
                    "HR has forbidden a pair of this proposal since: run the matching again."
                )
            )
        current = {(m.mentor_id, m.mentee_id): m for m in active_matches(run.round)}
        wanted = {(p.mentor_id, p.mentee_id): p for p in pairs}
        for key, match in current.items():
            if key not in wanted:
                match.end(now)
        new = [
            Match(
                round=run.round,
                run=run,
                mentor_id=pair.mentor_id,
                mentee_id=pair.mentee_id,
                score=pair.score,
                reasons=pair.reasons,
                published_at=now,
            )
            for key, pair in wanted.items()
            if key not in current
        ]
        created = Match.objects.bulk_create(new)
        run.mark_published(now)
        log(instance=run, action=LOG_PUBLISHED, user=user, data={"new": len(created)})
    return created


def unmatched_after_publication(programme_round):
    """The accepted participants left without an official partner because
    the partner withdrew (or is no longer accepted): [(match, partner)]."""
    broken = []
    for match in active_matches(programme_round):
        mentor_ok = match.mentor.status == Application.Status.ACCEPTED
        mentee_ok = match.mentee.status == Application.Status.ACCEPTED
        if mentor_ok and not mentee_ok:
            broken.append((match, match.mentor))
        elif mentee_ok and not mentor_ok:
            broken.append((match, match.mentee))
    return broken


def labels_for(programme_round, applications=()):
    """``reasons.Labels`` in the active language for the round's topics, the
    faculties (``models.localized.faculty_names``; a wish that quoted a
    faculty's name in any language shows it in the active one) and
    ``applications``' names."""
    language = get_language() or settings.LANGUAGE_CODE
    faculties = localized_faculty_names(language)
    terms = {}
    for pk, names in faculty_names().items():
        for name in names.values():
            terms[name] = faculties.get(pk, name)
    return Labels(
        topics=topic_labels(programme_round),
        faculties=faculties,
        people={a.pk: a.full_name for a in applications},
        terms=terms,
    )
