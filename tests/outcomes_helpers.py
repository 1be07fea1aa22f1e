"""Builders for the outcome tests: past rounds with accepted mentees, and
their promotion outcomes."""

import datetime

from mentoring_cms.models import Application, PromotionOutcome

from .utils import make_application, make_round, oslo


def make_past_round(programme, year, **kwargs):
    """A round that ran from September ``year`` to June ``year + 1``."""
    kwargs.setdefault("title", f"Runde {year}–{year + 1}")
    kwargs.setdefault("slug", f"runde-{year}")
    kwargs.setdefault("application_opens", oslo(year, 3, 1))
    kwargs.setdefault("application_closes", oslo(year, 4, 1))
    kwargs.setdefault("period_start", datetime.date(year, 9, 1))
    kwargs.setdefault("period_end", datetime.date(year + 1, 6, 15))
    return make_round(programme, **kwargs)


def mentees(programme_round, count, **kwargs):
    """``count`` accepted mentees of ``programme_round``."""
    kwargs.setdefault("status", Application.Status.ACCEPTED)
    return [
        make_application(round=programme_round, role=Application.Role.MENTEE, **kwargs)
        for _n in range(count)
    ]


def outcome(application, result, position="professor", applied=None, decided=None):
    """A stored outcome, bypassing the operation (for statistics tests)."""
    return PromotionOutcome.objects.create(
        application=application,
        round_year=application.round.period_start.year,
        result=result,
        position="" if result == "not_applied" else position,
        applied_year=applied,
        result_year=decided,
        source=PromotionOutcome.Source.HR,
    )


def make_former_mentee(programme_round):
    """An accepted mentee of a 2020 round beside ``programme_round``."""
    past = make_past_round(
        programme_round.get_parent(), 2020, slug="runde-2020-matrise"
    )
    return mentees(past, 1)[0]


def outcome_endpoints(application):
    """(name, URL name, method, url, data, success status) of HR's outcome
    pages, for the permission matrix (tests/test_review_permissions.py).
    The outcome form needs a former mentee: one of a 2020 round is made
    beside ``application``'s round."""
    from django.urls import reverse

    pk = getattr(application, "former_mentee_pk", None)
    if pk is None and application.round_id:
        pk = application.former_mentee_pk = make_former_mentee(application.round).pk
    pk = pk or 424242
    dashboard = reverse("mentoring_outcomes_dashboard")
    record = reverse("mentoring_outcomes_record", args=[pk])
    return [
        (
            "programme dashboard",
            "mentoring_outcomes_dashboard",
            "get",
            dashboard,
            None,
            200,
        ),
        (
            "dashboard csv",
            "mentoring_outcomes_export",
            "get",
            reverse("mentoring_outcomes_export", args=["csv"]),
            None,
            200,
        ),
        (
            "dashboard xlsx",
            "mentoring_outcomes_export",
            "get",
            reverse("mentoring_outcomes_export", args=["xlsx"]),
            None,
            200,
        ),
        (
            "promotion outcomes",
            "mentoring_outcomes_index",
            "get",
            reverse("mentoring_outcomes_index"),
            None,
            200,
        ),
        (
            "promotion outcome form",
            "mentoring_outcomes_record",
            "get",
            record,
            None,
            200,
        ),
        (
            "promotion outcome save",
            "mentoring_outcomes_record",
            "post",
            record,
            {"result": "not_applied"},
            302,
        ),
    ]
