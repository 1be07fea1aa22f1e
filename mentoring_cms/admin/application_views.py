"""HR's views of one application in the Wagtail admin: its answers and
history, decisions, internal notes, the applicant's file and erasure; and
the bulk action that changes the status of many applications."""

from django.conf import settings
from django.contrib import messages as django_messages
from django.contrib.admin.utils import quote
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from ..models import Application, Faculty
from ..models.applications import TransitionNotAllowed
from ..models.topics import application_topics
from ..operations import add_note, decide_application, decide_applications
from ..operations import erase_application as erase
from ..pdf_check import inspect_pdf
from ..permissions import user_can_review
from ..questions.describe import describe_application
from ..url_names import url_name
from .forms import BulkStatusForm, DecisionForm, EraseForm, NoteForm
from .listing import listing_for_parameters
from .views import forbidden

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
                "sections": describe_application(
                    application,
                    Faculty.objects.choices(),
                    application_topics(application),
                ),
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
                # The faculty's nominations and the committee's reviews.
                "nominations": application.nominations.select_related("nominated_by"),
                "reviews": application.reviews.select_related(
                    "reviewer"
                ).prefetch_related("scores__criterion"),
                "conflicts": application.conflicts.count(),
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
        filters = {
            key: self.request.GET.getlist(key)
            for key in self.request.GET
            if key not in self.NOT_LISTING_PARAMETERS
        }
        return listing_for_parameters(filters).values_list("pk", flat=True)

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
