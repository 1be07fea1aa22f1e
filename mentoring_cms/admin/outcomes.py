"""HR's outcome pages (issue 17): the programme dashboard across rounds with
its CSV and XLSX exports, and the promotion outcomes of former mentees
(a list per round and a form per mentee).

Every view needs ``mentoring_cms.review_application`` (HR reviewers),
checked in ``dispatch`` before anything is looked up. The dashboard and its
exports show only small-group-suppressed figures (``outcomes.dashboard``);
the outcome list names people and is HR's working list.
"""

import csv
import io
import tempfile

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages

from ..outcomes.dashboard import cell_value, dashboard_tables, export_rows
from ..outcomes.promotion import (
    LOG_OUTCOME_RECORDED,
    OutcomeRefused,
    former_mentees,
    outcome_of,
    record_outcome,
)
from ..outcomes.promotion_forms import HROutcomeForm
from ..small_groups import suppressed_text, threshold
from .exports import neutralise, no_store, write_sheet
from .participation import HRView
from .viewsets import ReviewerMenuItem

URL_PREFIX = "mentoring_outcomes"
TEMPLATES = "mentoring_cms/admin/outcomes"
# Where the end-of-round evaluation's results join the dashboard: each
# function registered for this hook takes the request and returns ``None``
# or ``{"template": ..., **context}``, included at the marked place of
# dashboard.html; a ``table`` in it joins the CSV and XLSX exports.
DASHBOARD_SECTIONS_HOOK = "mentoring_cms_outcome_dashboard_sections"


def url_name(view):
    return f"{URL_PREFIX}_{view}"


class OutcomesPage(HRView):
    """An outcome page of the admin; its title in the breadcrumbs."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class DashboardView(OutcomesPage):
    template_name = f"{TEMPLATES}/dashboard.html"
    page_title = gettext_lazy("Programme dashboard")
    header_icon = "view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tables"] = dashboard_tables()
        context["threshold"] = threshold()
        context["fewer_than"] = suppressed_text()
        context["export_csv_url"] = reverse(url_name("export"), args=["csv"])
        context["export_xlsx_url"] = reverse(url_name("export"), args=["xlsx"])
        context["extra_sections"] = extra_sections(self.request)
        return context


def extra_sections(request):
    """The sections other stages add to the dashboard
    (``DASHBOARD_SECTIONS_HOOK``); a section's ``table`` (an
    ``outcomes.dashboard.Table``), if any, is exported with the others."""
    return [
        section
        for section_for in hooks.get_hooks(DASHBOARD_SECTIONS_HOOK)
        if (section := section_for(request)) is not None
    ]


class DashboardExportView(HRView):
    """The dashboard's tables as CSV (one line per cell) or XLSX (one sheet
    per table); suppressed cells say "fewer than 5" there too."""

    def load(self, fmt, **kwargs):
        if fmt not in ("csv", "xlsx"):
            raise Http404

    def get(self, request, fmt):
        tables = dashboard_tables() + [
            section["table"]
            for section in extra_sections(request)
            if section.get("table") is not None
        ]
        filename = "programme-dashboard"
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([_("Table"), _("Round"), _("Column"), _("Value")])
            for line in export_rows(tables):
                writer.writerow([neutralise(value) for value in line])
            response = HttpResponse(
                buffer.getvalue(), content_type="text/csv; charset=utf-8"
            )
            return no_store(response, f"{filename}.csv")
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        for table in tables:
            write_sheet(
                workbook,
                table.title,
                [_("Round"), *table_headings(table)],
                (
                    [row.label, *(cell_value(cell) for cell in row.cells)]
                    for row in table.rows
                ),
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


def table_headings(table):
    """Column headings of ``table`` for a spreadsheet: shares say "(%)"."""
    if table.kind == "share":
        return [f"{heading} (%)" for heading in table.columns]
    return list(table.columns)


# Promotion outcomes ---------------------------------------------------------


def outcome_rounds():
    """Rounds (default language) that have former mentees, newest first
    (one query)."""
    seen = {}
    for application in (
        former_mentees()
        .select_related("round")
        .order_by("-round__period_start", "round_id")
        .only("round")
    ):
        seen.setdefault(application.round.translation_key, application.round)
    return list(seen.values())


class OutcomeIndexView(OutcomesPage):
    template_name = f"{TEMPLATES}/index.html"
    page_title = gettext_lazy("Promotion outcomes")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = outcome_rounds()
        wanted = self.request.GET.get("round")
        chosen = next(
            (r for r in rounds if str(r.translation_key) == wanted),
            rounds[0] if rounds else None,
        )
        mentees = []
        if chosen is not None:
            mentees = list(
                former_mentees()
                .filter(round__translation_key=chosen.translation_key)
                .select_related("faculty", "promotion_outcome")
                .order_by("full_name", "pk")
            )
            for application in mentees:
                application.outcome = outcome_of(application)
                application.record_url = reverse(
                    url_name("record"), args=[application.pk]
                )
        context.update({"rounds": rounds, "round": chosen, "mentees": mentees})
        return context


class OutcomeRecordView(OutcomesPage):
    template_name = f"{TEMPLATES}/record.html"

    def load(self, pk, **kwargs):
        application = (
            former_mentees().select_related("round", "faculty").filter(pk=pk).first()
        )
        if application is None:
            raise Http404
        self.application = application

    def get_page_title(self):
        return _("Promotion outcome")

    def get_page_subtitle(self):
        return self.application.full_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url(), "label": _("Promotion outcomes")},
            {"url": "", "label": self.application.full_name},
        ]

    def index_url(self):
        return (
            reverse(url_name("index"))
            + f"?round={self.application.round.translation_key}"
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "application": self.application,
                "form": form or HROutcomeForm(outcome=outcome_of(self.application)),
                "index_url": self.index_url(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = HROutcomeForm(request.POST)
        if form.is_valid():
            try:
                record_outcome(
                    self.application, user=request.user, **form.outcome_values()
                )
            except OutcomeRefused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(
                    request,
                    _("The promotion outcome of %(name)s has been saved.")
                    % {"name": self.application.full_name},
                )
                return redirect(self.index_url())
        messages.error(request, _("The promotion outcome could not be saved."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def admin_urls():
    """The outcome URLs of the admin (``register_admin_urls``)."""
    return [
        path(
            "mentoring/dashboard/", DashboardView.as_view(), name=url_name("dashboard")
        ),
        path(
            "mentoring/dashboard/export/<str:fmt>/",
            DashboardExportView.as_view(),
            name=url_name("export"),
        ),
        path("mentoring/outcomes/", OutcomeIndexView.as_view(), name=url_name("index")),
        path(
            "mentoring/outcomes/<int:pk>/",
            OutcomeRecordView.as_view(),
            name=url_name("record"),
        ),
    ]


def dashboard_menu_item():
    return ReviewerMenuItem(
        gettext_lazy("Programme dashboard"),
        reverse(url_name("dashboard")),
        name="mentoring-programme-dashboard",
        icon_name="view",
        order=60,
    )


def outcomes_menu_item():
    return ReviewerMenuItem(
        gettext_lazy("Promotion outcomes"),
        reverse(url_name("index")),
        name="mentoring-promotion-outcomes",
        icon_name="pick",
        order=61,
    )


def register_log_actions(actions):
    """The audit log's words for a recorded outcome (never what it was)."""
    actions.register_action(
        LOG_OUTCOME_RECORDED,
        gettext_lazy("Promotion outcome"),
        gettext_lazy("Promotion outcome recorded"),
    )
