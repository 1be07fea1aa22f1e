"""Benchmark 3: each step of the mentee application (POST) beside one POST of
the anchor form, and the session data an applicant leaves behind."""

from django.contrib.sessions.models import Session
from django.test import Client

from .harness import Row, Timing, count_queries, timed, timing_cell

MAX_RATIO = 1.0
# The final submit: routing (site, locale, home page, round), the session
# read, the application's INSERT in its transaction, its one email task, the
# session written in its transaction (BEGIN and COMMIT count on SQLite).
MAX_SUBMIT_QUERIES = 12
MAX_SESSION_BYTES = 8 * 1024
ROLE = "mentee"


def _helpers():
    try:
        from tests import application_helpers
    except ImportError:
        return None
    return application_helpers


def session_bytes(client):
    key = client.cookies.get("sessionid")
    if key is None:
        return 0
    row = Session.objects.filter(session_key=key.value).first()
    return len(row.session_data) if row else 0


def run(ds, config):
    helpers = _helpers()
    if helpers is None:
        return [Row(name="3. wizard steps", ours="wizard not on main yet", anchor="")]
    programme_round = ds.rounds[7]
    faculty = ds.faculties[0]
    anchor_url = ds.anchor.get_url()
    anchor_client = Client()
    warmup = 2
    ours, anchor, queries = {}, {}, {}
    anchor_queries = None
    largest_session = 0
    for n in range(warmup + config.post_repeat):
        client = Client()
        response = client.get(helpers.apply_url(programme_round, ROLE))
        assert response.status_code == 302, response.status_code
        answers = helpers.mentee_answers(
            faculty,
            about={
                "email": f"wizard{n}@example.org",
                "full_name": f"Kari Veiviser {n}",
            },
        )
        for step, fields in answers.items():
            if step == "consent":
                fields = helpers.consent_fields(client, programme_round, ROLE, fields)

            def ours_post(step=step, fields=fields, client=client):
                response = helpers.post_step(
                    client, programme_round, ROLE, step, dict(fields)
                )
                assert response.status_code == 302, (step, response.status_code)

            def anchor_post(n=n, step=step):
                data = ds.anchor_post_data(10_000_000 + n * 10 + len(step))
                response = anchor_client.post(anchor_url, data)
                assert response.status_code == 200, response.status_code

            if n == warmup:
                # Counted once, on a measured applicant, in the same order.
                queries[step] = count_queries(ours_post)
                anchor_queries = count_queries(anchor_post)
                continue
            ours_seconds = timed(ours_post)
            anchor_seconds = timed(anchor_post)
            if n > warmup:
                ours.setdefault(step, Timing()).samples.append(ours_seconds)
                anchor.setdefault(step, Timing()).samples.append(anchor_seconds)
            largest_session = max(largest_session, session_bytes(client))
    rows = []
    for number, step in enumerate(ours, start=1):
        ratio = ours[step].median / anchor[step].median
        rows.append(
            Row(
                name=f"3. wizard step {number} POST ({step})",
                ours=timing_cell(ours[step]),
                anchor=timing_cell(anchor[step]),
                ratio=ratio,
                queries=f"{queries[step]} / {anchor_queries}",
                checks=[(f"ratio ≤ {MAX_RATIO}", ratio <= MAX_RATIO)]
                + (
                    [
                        (
                            f"≤ {MAX_SUBMIT_QUERIES} queries",
                            queries[step] <= MAX_SUBMIT_QUERIES,
                        )
                    ]
                    if step == "review"
                    else []
                ),
            )
        )
    rows.append(
        Row(
            name="3. session data per applicant (largest, before submit)",
            ours=f"{largest_session:,} bytes",
            anchor="",
            checks=[
                (
                    f"< {MAX_SESSION_BYTES // 1024} KB",
                    largest_session < MAX_SESSION_BYTES,
                )
            ],
        )
    )
    return rows
