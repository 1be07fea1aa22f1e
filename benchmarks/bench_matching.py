"""The matching engine (issue 15): a proposal for a round of 20 + 20 and of
500 + 500 participants with realistic answers (faculties, tracks, topics,
languages, some avoidances and wishes), timed and with its peak memory
(tracemalloc). Budgets: < 50 ms for 20 + 20; < 2 s and < 200 MB for
500 + 500. There is no anchor: Wagtail has nothing like it."""

import functools
import random

from mentoring_cms.matching import engine
from mentoring_cms.models.topics import DEFAULT_TOPICS

from .harness import Row, Timing, mib, peak_memory, timed, timing_cell

BUDGETS = {20: (0.050, None), 500: (2.0, 200 * 1024 * 1024)}
TOPICS = [key for key, _label in DEFAULT_TOPICS]
# Names as wishes name them (``engine.wish_names`` reads their words).
FACULTY_NAMES = [
    "Fakultet for naturvitenskap",
    "Det humanistiske fakultet",
    "Fakultet for økonomi",
    "Fakultet for medisin og helsevitenskap",
    "Fakultet for informasjonsteknologi og elektroteknikk",
    "Fakultet for ingeniørvitenskap",
    "Fakultet for arkitektur og design",
    "Fakultet for samfunns- og utdanningsvitenskap",
]


def people(count, role, seed):
    """``count`` participants in ``role``, the same for a given seed."""
    rng = random.Random(seed)
    result = []
    for n in range(count):
        faculty = rng.randint(1, 8)
        result.append(
            engine.Participant(
                id=(1 if role == engine.MENTOR else 100_000) + n,
                role=role,
                faculty_id=faculty,
                department=f"Institutt {rng.randint(1, 60)}",
                track=rng.choice(["professor", "dosent"]),
                topics=frozenset(rng.sample(TOPICS, rng.randint(1, 4))),
                languages=frozenset(rng.sample(["nb", "en"], rng.randint(1, 2))),
                avoid_faculties=frozenset(
                    {rng.randint(1, 8)} if rng.random() < 0.2 else ()
                ),
                avoid_departments=frozenset(
                    {f"institutt {rng.randint(1, 60)}"} if rng.random() < 0.1 else ()
                ),
                wishes=f"gjerne fra {rng.choice(FACULTY_NAMES)}"
                if rng.random() < 0.3
                else "",
                keywords=frozenset({FACULTY_NAMES[faculty - 1]}),
            )
        )
    return result


def run(ds, config):
    rows = []
    for size, (seconds, memory) in BUDGETS.items():
        mentors = people(size, engine.MENTOR, seed=size)
        mentees = people(size, engine.MENTEE, seed=size + 1)
        # A few locked and forbidden pairs, as after HR's first look.
        first = engine.propose(mentors, mentees)
        locked = [(p.mentor_id, p.mentee_id) for p in first.pairs[: size // 10]]
        forbidden = [(p.mentor_id, p.mentee_id) for p in first.pairs[-size // 10 :]]

        propose = functools.partial(
            engine.propose, mentors, mentees, locked=locked, forbidden=forbidden
        )

        repeat = config.post_repeat if size < 100 else max(3, config.listing_repeat)
        timing = Timing([timed(propose) for _ in range(repeat)])
        peak = peak_memory(propose)
        checks = [(f"median < {seconds * 1000:.0f} ms", timing.median < seconds)]
        if memory:
            checks.append((f"peak < {mib(memory)}", peak < memory))
        rows.append(
            Row(
                name=f"9. matching proposal {size} + {size}",
                ours=timing_cell(timing),
                anchor="",
                memory=f"{mib(peak)} (tracemalloc)",
                checks=checks,
                note=f"{len(first.pairs)} pairs",
            )
        )
    return rows
