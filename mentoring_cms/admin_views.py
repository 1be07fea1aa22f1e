"""HR's views in the Wagtail admin: listing, one application, decisions,
notes, the applicant's file, erasure, exports and the round summary.

Every view here is reached only through ``ApplicationViewSet`` (or the bulk
action and dashboard hooks), which wraps it in ``reviewer_required``: users
without the review permission get a plain 403, never a redirect that could
hint at what exists.
"""

import functools
import logging

from django.conf import settings
from django.contrib import messages as django_messages
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import registry as log_registry

from . import exports
from .admin_forms import BulkStatusForm, DecisionForm, EraseForm, NoteForm
from .conf import get_setting
from .forms import describe_application
from .identifiers import canonical_email, search_term
from .models import Application, ExportFile
from .models.applications import TransitionNotAllowed
from .operations import (
    add_note,
    decide_application,
    decide_applications,
    request_export,
)
from .operations import erase_application as erase
from .pdf_check import inspect_pdf
from .permissions import user_can_export, user_can_review
from .summary import default_round, round_summary, summary_rounds

logger = logging.getLogger(__name__)

VIEWSET_NAME = "mentoring_applications"


def url_name(view):
    return f"{VIEWSET_NAME}:{view}"


def forbidden(request):
    return TemplateResponse(request, "mentoring_cms/admin/forbidden.html", status=403)


def allowed_only(check):
    """A view decorator: 403 for signed-in users for whom ``check(user)`` is
    false. Anonymous users never get here: Wagtail's admin sends them to the
    login page."""

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                return forbidden(request)
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


reviewer_required = allowed_only(user_can_review)
exporter_required = allowed_only(user_can_export)


class ApplicationsSubpage(WagtailAdminTemplateMixin, TemplateView):
    """An admin page below the applications listing in the breadcrumbs."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(url_name("index")), "label": _("Applications")},
            {"url": "", "label": self.get_page_title()},
        ]


# --------------------------------------------------------------------------
# Listing and export
# --------------------------------------------------------------------------


class TextColumn(Column):
    """A column whose cells are written without a template, in the markup of
    Wagtail's ``wagtailadmin/tables/cell.html``: the listing shows 50 rows of
    nine cells, and rendering a template per cell was most of its time."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None:
            value = ""
        elif not str(value).strip():
            value = self.empty_value_display
        if self.classname:
            return format_html('<td class="{}">{}</td>', self.classname, value)
        return format_html("<td>{}</td>", value)


class SubmittedColumn(DateColumn):
    """Wagtail's date column (``wagtailadmin/tables/date_cell.html`` with
    ``human_readable_date``), written without templates for the same reason
    as ``TextColumn``."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if not value:
            return format_html("<td>{}</td>", "")
        local = template_localtime(value)
        tooltip = get_format("DATETIME_FORMAT") or "N j, Y, P"
        return format_html(
            '<td><button type="button" class="w-human-readable-date" '
            'data-controller="w-tooltip" data-w-tooltip-content-value="{}" '
            'data-w-tooltip-placement-value="top">'
            '<time class="w-human-readable-date__date" datetime="{}">{}</time>'
            "</button></td>",
            date_format(local, tooltip),
            date_format(local, "c"),
            capfirst(timesince_simple(value)),
        )


class ApplicationIndexView(IndexView):
    any_permission_required = ["review"]
    template_name = "mentoring_cms/admin/application_index.html"
    results_template_name = "mentoring_cms/admin/application_index_results.html"
    page_title = gettext_lazy("Applications")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Wagtail's own ``?export=`` builds the whole file in memory and knows
        # nothing of the export permission; exports go through
        # ``ApplicationExportView`` only.
        self.is_export = False

    def get_base_queryset(self):
        # No model instances are built for related rows: the faculty and round
        # names come as annotations of the same query.
        return exports.annotated_applications(Application.objects.defer("answers"))

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="application"),
            # The applicant's name is what HR looks for, so it is the link; the
            # reference stays on one line beside it.
            self._get_title_column_class(TitleColumn)(
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
                accessor="get_role_display",
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
            StatusTagColumn(
                "status",
                accessor="get_status_display",
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
        ]

    def search_queryset(self, queryset):
        """Search the name, email and reference through
        ``Application.search_text``: the query in the same case-folded,
        normalised form, so that "ødegård" finds "Ødegård" on SQLite as on
        PostgreSQL, and an email typed with a punycode domain finds the
        stored Unicode one."""
        if not self.is_searching:
            return queryset
        terms = {search_term(self.search_query)}
        if "@" in self.search_query:
            terms.add(search_term(canonical_email(self.search_query)))
        condition = Q()
        for term in terms:
            condition |= Q(search_text__contains=term)
        return queryset.filter(condition)

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
        count = self.get_queryset().count()
        if count <= get_setting("XLSX_INLINE_MAX_ROWS"):
            # Few enough rows by now to download at once.
            return redirect(request.get_full_path())
        logger.info("User %s exported applications as %s", request.user.pk, fmt)
        return self.export_in_background(count)

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


# --------------------------------------------------------------------------
# One application
# --------------------------------------------------------------------------


# Marks the messages of ``StatusChangeView``, which the detail page shows
# beside the decision form.
DECISION_MESSAGE_TAG = "mentoring-decision"


def is_decision_message(message):
    return DECISION_MESSAGE_TAG in message.extra_tags.split()


class ApplicationObjectMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def get_object(self):
        return get_object_or_404(
            Application.objects.select_related("faculty", "round"), pk=self.pk
        )

    @cached_property
    def object(self):
        return self.get_object()

    def detail_url(self, fragment=""):
        url = reverse(url_name("edit"), args=[quote(self.object.pk)])
        return f"{url}#{fragment}" if fragment else url


class ApplicationDetailView(
    ApplicationObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "mentoring_cms/admin/application_detail.html"
    header_icon = "form"

    def get_page_title(self):
        return _("Application")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(url_name("index")), "label": _("Applications")},
            {"url": "", "label": str(self.object)},
        ]

    def get_context_data(self, **kwargs):
        application = self.object
        context = super().get_context_data(**kwargs)
        # The outcome of a decision shows in the decision section, where the
        # browser lands after it; Wagtail's message area at the top of the
        # page (off-screen there) keeps every other message.
        stored = list(django_messages.get_messages(self.request))
        context.update(
            {
                "messages": [m for m in stored if not is_decision_message(m)],
                "decision_messages": [m for m in stored if is_decision_message(m)],
                "application": application,
                # The step forms' own labels, in the reviewer's admin language.
                "sections": describe_application(application, application.round),
                "form_language": dict(settings.LANGUAGES).get(
                    (application.answers or {}).get("form_language"), ""
                ),
                "decision_form": kwargs.get("decision_form")
                or DecisionForm(application=application),
                "note_form": kwargs.get("note_form") or NoteForm(),
                "notes": application.notes.select_related("author"),
                "history": log_registry.get_logs_for_instance(application)
                .select_related("user")
                .order_by("-timestamp", "-pk"),
                "status_url": reverse(url_name("status"), args=[application.pk]),
                "note_url": reverse(url_name("note"), args=[application.pk]),
                "erase_url": reverse(url_name("erase"), args=[application.pk]),
                "attachment_url": reverse(
                    url_name("attachment"), args=[application.pk]
                ),
                "history_url": reverse(url_name("history"), args=[application.pk]),
            }
        )
        return context


class StatusChangeView(ApplicationObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        application = self.object
        # Only ``status`` and ``notify`` are read; anything else posted is ignored.
        form = DecisionForm(request.POST, application=application)
        if not form.is_valid():
            messages.error(
                request,
                _("Choose one of the statuses offered for application %(ref)s.")
                % {"ref": application},
                extra_tags=DECISION_MESSAGE_TAG,
            )
            return redirect(self.detail_url("decision"))
        try:
            decide_application(
                application,
                form.cleaned_data["status"],
                user=request.user,
                notify=form.cleaned_data["notify"],
            )
        except TransitionNotAllowed as error:
            messages.error(
                request, " ".join(error.messages), extra_tags=DECISION_MESSAGE_TAG
            )
        else:
            message = _("Application %(ref)s is now “%(status)s”.") % {
                "ref": application,
                "status": application.get_status_display(),
            }
            if (
                form.cleaned_data["notify"]
                and application.status in Application.DECISION_STATUSES
            ):
                message += " " + _("The applicant will be notified by email.")
            messages.success(request, message, extra_tags=DECISION_MESSAGE_TAG)
        return redirect(self.detail_url("decision"))


class NoteCreateView(ApplicationObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = NoteForm(request.POST)
        if form.is_valid():
            add_note(self.object, form.cleaned_data["text"], user=request.user)
            messages.success(request, _("The internal note was added."))
        else:
            messages.error(request, _("Write a note before saving it."))
        return redirect(self.detail_url("notes"))


class AttachmentView(ApplicationObjectMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        application = self.object
        if not application.attachment:
            raise Http404
        try:
            handle = application.attachment.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        # Every upload is checked before it is stored; a file stored before
        # that check existed gets it here (the verdict is cached by the
        # file's bytes), so HR never downloads active content.
        if inspect_pdf(handle)["verdict"] != "ok":
            handle.close()
            messages.error(
                request,
                _(
                    "The attached file is withheld: it contains active content "
                    "(scripts, actions or embedded files) or does not pass the "
                    "check of uploaded PDFs."
                ),
            )
            return redirect(self.detail_url())
        # Named by the reference: the applicant's own file name never reaches
        # a header.
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{application.reference or application.pk}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class EraseView(ApplicationObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mentoring_cms/admin/application_erase.html"
    header_icon = "bin"

    def get_page_title(self):
        return _("Erase application")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.object
        context["form"] = kwargs.get("form") or EraseForm()
        context["detail_url"] = self.detail_url()
        return context

    def post(self, request, pk):
        form = EraseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        reference = erase(self.object, user=request.user)
        messages.success(
            request,
            _("Application %(ref)s and its file have been erased.")
            % {"ref": reference},
        )
        return redirect(url_name("index"))


# --------------------------------------------------------------------------
# Round summary and dashboard panel
# --------------------------------------------------------------------------


class RoundSummaryView(ApplicationsSubpage):
    template_name = "mentoring_cms/admin/round_summary.html"
    page_title = gettext_lazy("Round summary")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = summary_rounds()
        wanted = self.request.GET.get("round")
        chosen = next((r for r in rounds if str(r.translation_key) == wanted), None)
        chosen = chosen or default_round(rounds)
        context["rounds"] = rounds
        context["summary"] = round_summary(chosen) if chosen else None
        context["index_url"] = reverse(url_name("index"))
        return context


class RoundSummaryPanel(Component):
    """The latest round's numbers on the admin dashboard, for reviewers."""

    name = "mentoring_round_summary"
    template_name = "mentoring_cms/admin/round_summary_panel.html"
    order = 90

    class Media:
        # The summary's tables scroll sideways on a phone.
        css = {"all": ["mentoring_cms/css/admin.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        chosen = default_round(summary_rounds())
        context["summary"] = round_summary(chosen) if chosen else None
        context["summary_url"] = reverse(url_name("summary"))
        return context


# --------------------------------------------------------------------------
# Bulk action
# --------------------------------------------------------------------------


class ChangeStatusBulkAction(BulkAction):
    display_name = gettext_lazy("Change status")
    action_type = "change_status"
    aria_label = gettext_lazy("Change the status of the selected applications")
    template_name = "mentoring_cms/admin/bulk_change_status.html"
    action_priority = 10
    form_class = BulkStatusForm
    models = [Application]

    def __init__(self, request, model):
        super().__init__(request, model)
        if self.next_url == request.path:
            # Back to the listing, not to this action without its ids.
            self.next_url = reverse(url_name("index"))

    def dispatch(self, request, *args, **kwargs):
        if not user_can_review(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [int(pk) for pk in object_ids if str(pk).isdigit()]
        objects = list(model.objects.filter(pk__in=ids).order_by("submitted_at", "pk"))
        if not objects:
            raise Http404
        return objects

    # Parameters of the bulk action itself, not of the listing it came from.
    NOT_LISTING_PARAMETERS = {"id", "childOf", "next"}

    def get_all_objects_in_listing_query(self, parent_id):
        """*Select all* means what the listing showed: its query string comes
        along with ``id=all``, and the listing's own filters and search pick
        the applications."""
        from .viewsets import listing_queryset

        filters = {
            key: self.request.GET.getlist(key)
            for key in self.request.GET
            if key not in self.NOT_LISTING_PARAMETERS
        }
        return listing_queryset(filters, self.request.user).values_list("pk", flat=True)

    def object_context(self, obj):
        return {
            "item": obj,
            "edit_url": reverse(url_name("edit"), args=[quote(obj.pk)]),
        }

    def form_valid(self, form):
        objects, _without_access = self.get_actionable_objects()
        changed, refusals = decide_applications(
            [obj.pk for obj in objects],
            form.cleaned_data["status"],
            user=self.request.user,
            notify=form.cleaned_data["notify"],
        )
        if changed:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s application changed to “%(status)s”: %(refs)s.",
                    "%(count)s applications changed to “%(status)s”: %(refs)s.",
                    len(changed),
                )
                % {
                    "count": len(changed),
                    "status": Application.Status(form.cleaned_data["status"]).label,
                    "refs": ", ".join(str(app) for app in changed),
                },
            )
        for _application, message in refusals:
            messages.error(self.request, message)
        return redirect(self.next_url)
