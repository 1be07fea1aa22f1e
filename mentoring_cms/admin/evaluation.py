"""HR's view of a round's evaluation results, and their CSV and XLSX export.

Every view needs ``mentoring_cms.review_application`` (HR reviewers),
checked in ``dispatch`` like the other HR views. The figures come from
``outcomes.evaluation_results.round_results``, which withholds every group
smaller than the threshold; the page and both exports show only what it
gives, in the active (admin) language.
"""

import csv
import io
import tempfile

from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Page

from ..models import Application, EvaluationAnswer, RoundEvaluation
from ..outcomes.dashboard import Row, Table
from ..outcomes.evaluation_results import round_results
from ..small_groups import Cell, is_small, suppress, suppressed_text, threshold
from .exports import csv_cell, no_store, write_sheet
from .participation import HRView, chosen_round
from .viewsets import ReviewerMenuItem

TEMPLATE = "mentoring_cms/admin/evaluation_results.html"
SECTION_TEMPLATE = "mentoring_cms/admin/evaluation_dashboard_section.html"
FORMATS = ("csv", "xlsx")


def url_name(view):
    return f"mentoring_evaluation_{view}"


class EvaluationResultsView(HRView):
    """The results of one round's evaluation (``?round=<translation key>``;
    default the current or latest round)."""

    template_name = TEMPLATE
    page_title = gettext_lazy("Evaluation results")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds, chosen = chosen_round(self.request)
        context["rounds"] = rounds
        context["chosen"] = chosen
        context["threshold"] = threshold()
        if chosen is not None:
            context["evaluation"] = RoundEvaluation.objects.filter(
                round_id=chosen.pk
            ).first()
            context["results"] = round_results(chosen)
            context["export_urls"] = {
                fmt: f"{reverse(url_name('export'), args=[fmt])}"
                f"?round={chosen.translation_key}"
                for fmt in FORMATS
            }
        return context


def header():
    """The export's column headings in the active language."""
    return [
        _("Question"),
        _("Group"),
        _("Answer"),
        _("Count"),
        _("Share"),
        _("Average"),
        _("Answered"),
    ]


def result_rows(results):
    """The rows of the export: one per question, group and answer option (a
    number's average on a row of its own); a withheld figure is its text,
    e.g. "fewer than 5"."""
    rows = []
    for question in results.questions:
        for group in question.groups:
            respondents = group.respondents.text
            for choice in group.choices:
                rows.append(
                    [
                        question.label,
                        group.label,
                        choice.label,
                        choice.count.text,
                        choice.share.text,
                        "",
                        respondents,
                    ]
                )
            if group.average is not None:
                rows.append(
                    [
                        question.label,
                        group.label,
                        "",
                        "",
                        "",
                        group.average.text,
                        respondents,
                    ]
                )
    return rows


def text_rows(results):
    """``[question, text]`` of the free-text answers, when shown."""
    return [
        [question.label, text]
        for question in results.questions
        for text in question.texts or []
    ]


class EvaluationExportView(HRView):
    """The results of one round as CSV or XLSX."""

    def load(self, fmt, **kwargs):
        if fmt not in FORMATS:
            raise Http404
        self.format = fmt

    def get(self, request, *args, **kwargs):
        _rounds, chosen = chosen_round(request)
        if chosen is None:
            raise Http404
        results = round_results(chosen)
        filename = f"evaluation-{slugify(chosen.admin_title) or chosen.pk}"
        if self.format == "csv":
            return csv_response(results, filename)
        return xlsx_response(results, filename)


def csv_response(results, filename):
    """The results as one CSV file (UTF-8 with a byte order mark); free-text
    answers, when shown, follow the figures under their own heading."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header())
    for row in result_rows(results):
        writer.writerow([csv_cell(value) for value in row])
    texts = text_rows(results)
    if texts:
        writer.writerow([])
        writer.writerow([_("Question"), _("Free-text answer")])
        for row in texts:
            writer.writerow([csv_cell(value) for value in row])
    response = HttpResponse(
        "\ufeff" + output.getvalue(), content_type="text/csv; charset=utf-8"
    )
    return no_store(response, f"{filename}.csv")


def xlsx_response(results, filename):
    """The results as an XLSX workbook: the figures on one sheet, the
    free-text answers (when shown) on another."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    write_sheet(workbook, _("Results"), header(), iter(result_rows(results)))
    texts = text_rows(results)
    if texts:
        write_sheet(
            workbook,
            _("Free-text answers"),
            [_("Question"), _("Free-text answer")],
            iter(texts),
        )
    output = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output,
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    return no_store(response, f"{filename}.xlsx")


def admin_urls():
    """The evaluation URLs of the admin (``register_admin_urls``)."""
    return [
        path(
            "mentoring/evaluation/",
            EvaluationResultsView.as_view(),
            name=url_name("results"),
        ),
        path(
            "mentoring/evaluation/export/<str:fmt>/",
            EvaluationExportView.as_view(),
            name=url_name("export"),
        ),
    ]


def menu_item():
    return ReviewerMenuItem(
        gettext_lazy("Evaluation results"),
        reverse(url_name("results")),
        name="mentoring-evaluation",
        icon_name="list-ul",
        order=40,
    )


def dashboard_section(request):
    """The programme dashboard's evaluation section
    (``admin.outcomes.DASHBOARD_SECTIONS_HOOK``): for every round with an
    evaluation, how many mentees and mentors answered (suppressed below the
    threshold; "all" also when either role is small, since it would give the
    small one away by subtraction) and a link to its results. Two queries,
    whatever the number of rounds; ``None`` when no round has an
    evaluation."""
    language = get_language()
    evaluations = list(
        RoundEvaluation.objects.select_related("round").order_by(
            "round__period_start", "pk"
        )
    )
    if not evaluations:
        return None
    counts = {}
    for round_id, role, number in (
        EvaluationAnswer.objects.filter(round_id__in=[e.round_id for e in evaluations])
        .values_list("round_id", "role")
        .annotate(number=Count("pk"))
    ):
        counts[(round_id, role)] = number
    titles = localized_titles([e.round for e in evaluations], language)
    minimum = threshold()
    rows = []
    for evaluation in evaluations:
        by_role = [
            counts.get((evaluation.round_id, role), 0)
            for role in (Application.Role.MENTEE, Application.Role.MENTOR)
        ]
        small = any(is_small(number, minimum) for number in by_role)
        rows.append(
            {
                "title": titles.get(evaluation.round_id, evaluation.round.title),
                "cells": [
                    *(suppress(number, minimum) for number in by_role),
                    Cell(None, suppressed_text(minimum))
                    if small
                    else suppress(sum(by_role), minimum),
                ],
                "url": f"{reverse(url_name('results'))}"
                f"?round={evaluation.round.translation_key}",
            }
        )
    table = Table(
        key="evaluation",
        title=_("End-of-round evaluation"),
        description="",
        columns=[
            _("Mentees who answered"),
            _("Mentors who answered"),
            _("All who answered"),
        ],
        rows=[Row(label=row["title"], cells=row["cells"]) for row in rows],
    )
    return {"template": SECTION_TEMPLATE, "rows": rows, "table": table}


def localized_titles(pages, language):
    """{page id: title in ``language``} for ``pages`` (translations found by
    translation key in one query; a page without one keeps its own)."""
    keys = {page.translation_key: page.pk for page in pages}
    return {
        keys[key]: title
        for key, title in Page.objects.filter(
            translation_key__in=keys, locale__language_code=language
        ).values_list("translation_key", "title")
    }
