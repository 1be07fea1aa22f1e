"""The one query behind HR's listing of applications.

``ApplicationIndexView`` (the listing and its CSV/XLSX downloads), the
"select all" of the bulk action and the export task that writes a large
XLSX file in the background all call ``listing_queryset``, so a file holds
exactly the rows the listing showed for the same filters, search and
ordering.
"""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import get_language
from wagtail.admin.forms.search import SearchForm
from wagtail.models import Page

from ..identifiers import canonical_email, search_term
from ..models import Application, Faculty, ProgramRoundPage
from ..selection.ranking import score_annotations
from .filters import ApplicationFilterSet

# The committee's scores (``selection.ranking.score_annotations``); sorted
# with the applications nobody has scored yet last, either way.
SCORE_SORT_KEYS = ("review_mean", "review_count", "review_spread")
# The columns the listing can be ordered by (each also descending, "-name").
SORT_KEYS = (
    "full_name",
    "reference",
    "role",
    "position",
    "faculty_label",
    "round_title",
    "status",
    "submitted_at",
    *SCORE_SORT_KEYS,
)
DEFAULT_ORDERING = "-submitted_at"
# The listing's query parameters that are neither filters nor search.
SEARCH_PARAMETER = "q"
ORDERING_PARAMETER = "ordering"


def valid_orderings():
    """Every ``ordering`` value the listing accepts."""
    return [key for name in SORT_KEYS for key in (name, f"-{name}")]


def annotated_applications(queryset=None):
    """Applications with ``faculty_label`` and ``round_title`` in the active
    language (falling back to the language the applicant chose), computed in
    the same query.

    The labels are subqueries on ``faculty_id`` and ``round_id`` alone, so
    the outer query joins nothing: counting the listing's matches stays a
    plain ``COUNT(*)`` over the application table (with joins, a count of
    100,000 applications took most of the listing's time).
    """
    if queryset is None:
        queryset = Application.objects.all()
    language = get_language()
    own_faculty = Faculty.objects.filter(pk=OuterRef("faculty_id"))
    faculty_name = Faculty.objects.filter(
        translation_key=Subquery(
            Faculty.objects.filter(pk=OuterRef(OuterRef("faculty_id"))).values(
                "translation_key"
            )[:1]
        ),
        locale__language_code=language,
    ).values("name")[:1]
    own_round = Page.objects.filter(pk=OuterRef("round_id"))
    round_title = Page.objects.filter(
        translation_key=Subquery(
            Page.objects.filter(pk=OuterRef(OuterRef("round_id"))).values(
                "translation_key"
            )[:1]
        ),
        locale__language_code=language,
    ).values("title")[:1]
    return queryset.annotate(
        faculty_label=Coalesce(
            Subquery(faculty_name), Subquery(own_faculty.values("name")[:1])
        ),
        round_title=Coalesce(
            Subquery(round_title), Subquery(own_round.values("title")[:1])
        ),
    )


def label_maps(language=None):
    """``({faculty pk: label}, {round page pk: title})``: the
    ``faculty_label`` and ``round_title`` of ``annotated_applications`` for
    every faculty and round, in ``language`` (else the active one) — the
    name or title of the same translation key in that language (the first
    by name or by tree order), else the object's own — for a file that
    writes many rows: looked up per row in Python instead of two
    subqueries per row in SQL. Two queries; faculties and rounds are few.
    """
    language = language or get_language()
    faculties = list(
        Faculty.objects.order_by("name").values_list(
            "pk", "translation_key", "name", "locale__language_code"
        )
    )
    rounds = list(
        ProgramRoundPage.objects.order_by("path").values_list(
            "pk", "translation_key", "title", "locale__language_code"
        )
    )
    return _labels(faculties, language), _labels(rounds, language)


def _labels(rows, language):
    in_language = {}
    for _pk, key, label, code in rows:
        if code == language:
            in_language.setdefault(key, label)
    return {pk: in_language.get(key, label) for pk, key, label, _code in rows}


def search_applications(queryset, query):
    """Applications whose name, email or reference contain ``query``, through
    ``Application.search_text``: the query in the same case-folded,
    normalised form, so that "ødegård" finds "Ødegård" on SQLite as on
    PostgreSQL, and an email typed with a punycode domain finds the stored
    Unicode one. An empty query keeps every row."""
    if not query:
        return queryset
    terms = {search_term(query)}
    if "@" in query:
        terms.add(search_term(canonical_email(query)))
    condition = Q()
    for term in terms:
        condition |= Q(search_text__contains=term)
    return queryset.filter(condition)


def order_by(ordering):
    """``order_by`` arguments for one of ``valid_orderings()``."""
    name = ordering.lstrip("-")
    if name not in SCORE_SORT_KEYS:
        return [ordering]
    descending = ordering.startswith("-")
    expression = (
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    )
    return [expression, "-submitted_at", "-pk"]


def listing_queryset(*, filters=None, search_query="", ordering=DEFAULT_ORDERING):
    """The applications HR's listing shows, annotated (see
    ``annotated_applications``) and with the committee's scores
    (``review_mean``, ``review_count``, ``review_spread``), without their
    answers.

    ``filters`` is an ``ApplicationFilterSet``: unbound (no filter), valid,
    or bound and invalid, which gives no rows at all,
    ``search_query`` the text searched for, ``ordering`` one of
    ``valid_orderings()`` (anything else orders by the default).
    """
    queryset = annotated_applications(Application.objects.defer("answers")).annotate(
        **score_annotations()
    )
    if ordering not in valid_orderings():
        ordering = DEFAULT_ORDERING
    queryset = queryset.order_by(*order_by(ordering))
    if filters is not None and filters.is_bound:
        if not filters.is_valid():
            # An unknown round or a status that does not exist matches
            # nothing: never every application (an export of everything).
            return queryset.none()
        queryset = filters.filter_queryset(queryset)
    return search_applications(queryset, search_query)


def listing_for_parameters(parameters):
    """``listing_queryset`` for the listing's query string, given as a dict
    of lists (``QueryDict.lists()``), the way an export records it: for work
    done without the request, such as the export task."""
    data = QueryDict(mutable=True)
    for key, values in parameters.items():
        data.setlist(key, values)
    search_form = SearchForm(data)
    search_query = (
        search_form.cleaned_data[SEARCH_PARAMETER] if search_form.is_valid() else ""
    )
    return listing_queryset(
        filters=ApplicationFilterSet(data=data),
        search_query=search_query,
        ordering=data.get(ORDERING_PARAMETER, DEFAULT_ORDERING),
    )
