"""HR's listing of applications in the Wagtail admin, its CSV and XLSX
downloads, and the page of exports written in the background.

The rows come from ``listing.listing_queryset``, the query the export task
runs too.
"""

import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.generic import View
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import Button

from ..conf import get_setting
from ..models import Application, ExportFile
from ..permissions import user_can_export
from ..url_names import url_name
from . import exports, listing
from .columns import (
    CheckboxColumn,
    NameColumn,
    StatusColumn,
    SubmittedColumn,
    TextColumn,
    choice_label,
)
from .export_tasks import request_export
from .tables import ApplicationTable
from .views import ApplicationsSubpage

logger = logging.getLogger(__name__)


def score_text(value):
    """A mean or spread of scores as the listing shows it: two decimals in
    the active language's format, "–" without reviews."""
    return "–" if value is None else number_format(value, 2)


class ApplicationIndexView(IndexView):
    any_permission_required = ["review"]
    template_name = "mentoring_cms/admin/application_index.html"
    results_template_name = "mentoring_cms/admin/application_index_results.html"
    page_title = gettext_lazy("Applications")
    # Wagtail's table, its rows written without a template per cell.
    table_class = ApplicationTable

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Wagtail's own ``?export=`` builds the whole file in memory and knows
        # nothing of the export permission; exports go through
        # ``ApplicationExportView`` only.
        self.is_export = False

    def get_queryset(self):
        # The one listing query (``listing.listing_queryset``), which the
        # export task runs too; no model instances are built for related
        # rows: the faculty and round names are annotations of the query.
        return listing.listing_queryset(
            filters=self.filters,
            search_query=self.search_query,
            ordering=self.ordering,
        )

    def get_valid_orderings(self):
        return listing.valid_orderings()

    @cached_property
    def columns(self):
        return [
            CheckboxColumn("bulk_actions", obj_type="application"),
            # The applicant's name is what HR looks for, so it is the link; the
            # reference stays on one line beside it.
            self._get_title_column_class(NameColumn)(
                "full_name",
                label=gettext_lazy("Name"),
                sort_key="full_name",
                get_url=self.get_edit_url,
                get_title_id=lambda instance: f"application_{instance.pk}_title",
            ),
            TextColumn(
                "reference",
                label=gettext_lazy("Reference"),
                sort_key="reference",
                classname="w-whitespace-nowrap",
            ),
            TextColumn(
                "role",
                accessor=choice_label(Application, "role"),
                label=gettext_lazy("Role"),
                sort_key="role",
            ),
            TextColumn(
                "position",
                accessor="get_position_display",
                label=gettext_lazy("Position"),
                sort_key="position",
            ),
            TextColumn(
                "faculty",
                accessor="faculty_label",
                label=gettext_lazy("Faculty"),
                sort_key="faculty_label",
            ),
            TextColumn(
                "round",
                accessor="round_title",
                label=gettext_lazy("Round"),
                sort_key="round_title",
            ),
            StatusColumn(
                "status",
                accessor=choice_label(Application, "status"),
                label=gettext_lazy("Status"),
                sort_key="status",
                primary=lambda instance: (
                    instance.status in Application.PRIMARY_STATUSES
                ),
            ),
            SubmittedColumn(
                "submitted_at",
                label=gettext_lazy("Submitted at"),
                sort_key="submitted_at",
            ),
            # The committee's scores, from the same query (see
            # ``listing.listing_queryset``).
            TextColumn(
                "review_mean",
                accessor=lambda instance: score_text(instance.review_mean),
                label=gettext_lazy("Mean score"),
                sort_key="review_mean",
            ),
            TextColumn(
                "review_count",
                label=gettext_lazy("Reviews"),
                sort_key="review_count",
            ),
            TextColumn(
                "review_spread",
                accessor=lambda instance: score_text(instance.review_spread),
                label=gettext_lazy("Spread"),
                sort_key="review_spread",
            ),
        ]

    def get_add_url(self):
        # Applications come from applicants; HR never creates one.
        return None

    def get_list_more_buttons(self, instance):
        # Only the detail page: there is no copy, inspect or plain delete.
        return []

    def _export_url(self, fmt):
        url = reverse(url_name("export"), args=[fmt])
        query = self.request.GET.copy()
        for key in ("p", "_w_filter_fragment"):
            query.pop(key, None)
        return f"{url}?{query.urlencode()}" if query else url

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("Round summary"),
                url=reverse(url_name("summary")),
                icon_name="table",
                priority=10,
            )
        ]
        if user_can_export(self.request.user):
            buttons += [
                Button(
                    _("Download CSV"),
                    url=self._export_url("csv"),
                    icon_name="download",
                    priority=20,
                ),
                Button(
                    _("Download XLSX"),
                    url=self._export_url("xlsx"),
                    icon_name="download",
                    priority=30,
                ),
                Button(
                    _("Exports"),
                    url=reverse(url_name("exports")),
                    icon_name="folder-open-inverse",
                    priority=40,
                ),
            ]
        return buttons

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["app_label"] = Application._meta.app_label
        context["model_name"] = Application._meta.model_name
        table = context["table"]
        if isinstance(table, ApplicationTable) and context["object_list"]:
            # Rows rendered here rather than deep in the page's template
            # (``ApplicationTable.render_rows``).
            table.render_rows(self.request)
        return context


class ApplicationExportView(ApplicationIndexView):
    """The listing's current filters, search and ordering, as a file."""

    formats = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}

    confirm_template_name = "mentoring_cms/admin/export_confirm.html"

    def get(self, request, fmt):
        """The file itself when it can be written at once; above
        ``MENTORING_CMS_XLSX_INLINE_MAX_ROWS`` rows an XLSX file is written by
        a task, and a GET only shows what would be exported (a GET never
        stores anything): the POST of that page queues it."""
        if fmt not in self.formats:
            raise Http404
        if self.filters_are_invalid():
            return self.refuse_invalid_filters()
        queryset = self.get_queryset()
        if fmt == "xlsx":
            count = queryset.count()
            if count > get_setting("XLSX_INLINE_MAX_ROWS"):
                return self.render_confirmation(count)
        # Log who exported, never what: no personal data in logs.
        logger.info("User %s exported applications as %s", request.user.pk, fmt)
        return self.formats[fmt](queryset, "applications")

    def post(self, request, fmt):
        """Queue the XLSX file confirmed on the page ``get`` showed (the
        filters come from the query string, as for ``get``)."""
        if fmt != "xlsx":
            raise Http404
        if self.filters_are_invalid():
            return self.refuse_invalid_filters()
        count = self.get_queryset().count()
        if count <= get_setting("XLSX_INLINE_MAX_ROWS"):
            # Few enough rows by now to download at once.
            return redirect(request.get_full_path())
        logger.info("User %s exported applications as %s", request.user.pk, fmt)
        return self.export_in_background(count)

    def filters_are_invalid(self):
        return self.filters is not None and (
            self.filters.is_bound and not self.filters.is_valid()
        )

    def refuse_invalid_filters(self):
        """An export with a filter that is not valid (an unknown round, a
        status that does not exist) writes no file: back to the listing,
        where the filter shows its error."""
        messages.error(
            self.request,
            _(
                "The filters are not valid, so nothing was exported. Correct them and try again."
            ),
        )
        index_url = reverse(url_name("index"))
        query = self.request.GET.urlencode()
        return redirect(f"{index_url}?{query}" if query else index_url)

    def render_confirmation(self, count):
        index_url = reverse(url_name("index"))
        query = self.request.GET.urlencode()
        context = {
            "page_title": _("Export applications as XLSX"),
            "header_icon": "download",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": index_url, "label": _("Applications")},
                {"url": "", "label": _("Export applications as XLSX")},
            ],
            "count": count,
            "active_filters": self.active_filters,
            "search_query": self.search_query,
            "index_url": f"{index_url}?{query}" if query else index_url,
        }
        return TemplateResponse(self.request, self.confirm_template_name, context)

    def export_in_background(self, count):
        """Too many rows to build the workbook while the browser waits: a
        task writes it, and HR downloads it from the exports page."""
        filters = {
            key: values
            for key, values in self.request.GET.lists()
            if key not in ("p", "_w_filter_fragment")
        }
        request_export(user=self.request.user, filters=filters, language=get_language())
        messages.success(
            self.request,
            ngettext(
                "The XLSX file of %(count)s application is being prepared. "
                "It can be downloaded here when it is ready.",
                "The XLSX file of %(count)s applications is being prepared. "
                "It can be downloaded here when it is ready.",
                count,
            )
            % {"count": count},
        )
        return redirect(url_name("exports"))


class ExportListView(ApplicationsSubpage):
    """The XLSX exports the signed-in reviewer asked for (superusers see all)."""

    template_name = "mentoring_cms/admin/export_list.html"
    page_title = gettext_lazy("Exports")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exports_ = ExportFile.objects.select_related("requested_by")
        if not self.request.user.is_superuser:
            exports_ = exports_.filter(requested_by=self.request.user)
        context["exports"] = exports_
        context["retention_days"] = get_setting("EXPORT_RETENTION_DAYS")
        context["index_url"] = reverse(url_name("index"))
        return context


class ExportDownloadView(View):
    """One finished export file, for the reviewer who asked for it (or a
    superuser); anyone else learns nothing, not even that it exists."""

    http_method_names = ["get"]

    def get(self, request, pk):
        export = ExportFile.objects.filter(pk=pk).first()
        if (
            export is None
            or not export.is_ready
            or not (
                request.user.is_superuser or export.requested_by_id == request.user.pk
            )
        ):
            raise Http404
        try:
            handle = export.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        return exports.no_store(response, export.download_name)
