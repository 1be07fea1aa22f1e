"""The "Mentoring" area of the Wagtail admin, where HR reviews applications."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Application
from ..permissions import user_can_review
from ..url_names import VIEWSET_NAME
from . import application_views, listing_views, summary_views
from .filters import ApplicationFilterSet
from .listing import DEFAULT_ORDERING
from .views import exporter_required, reviewer_required


class ApplicationViewSet(ModelViewSet):
    model = Application
    name = VIEWSET_NAME
    url_prefix = "mentoring/applications"
    icon = "form"
    menu_label = _("Applications")
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False

    index_view_class = listing_views.ApplicationIndexView
    filterset_class = ApplicationFilterSet
    search_fields = ["full_name", "email", "reference"]
    # The listing searches ``Application.search_text`` (see
    # ``listing.search_applications``); no search index to keep personal
    # data in.
    search_backend_name = None
    ordering = DEFAULT_ORDERING
    list_per_page = 50

    @property
    def menu_item_class(self):
        return ReviewerMenuItem

    def construct_view(self, view_class, **kwargs):
        # Every view of the viewset answers 403 to users who may not review.
        return reviewer_required(super().construct_view(view_class, **kwargs))

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type__app_label="mentoring_cms",
            codename__in=["review_application", "export_application"],
        )

    def get_urlpatterns(self):
        export_view = exporter_required(
            self.construct_view(
                listing_views.ApplicationExportView, **self.get_index_view_kwargs()
            )
        )
        view = self.construct_view
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("export/<str:fmt>/", export_view, name="export"),
            path(
                "exports/",
                exporter_required(view(listing_views.ExportListView)),
                name="exports",
            ),
            path(
                "exports/<int:pk>/",
                exporter_required(view(listing_views.ExportDownloadView)),
                name="export_download",
            ),
            path("summary/", view(summary_views.RoundSummaryView), name="summary"),
            path(
                "<int:pk>/", view(application_views.ApplicationDetailView), name="edit"
            ),
            path(
                "<int:pk>/status/",
                view(application_views.StatusChangeView),
                name="status",
            ),
            path(
                "<int:pk>/notes/", view(application_views.NoteCreateView), name="note"
            ),
            path(
                "<int:pk>/attachment/",
                view(application_views.AttachmentView),
                name="attachment",
            ),
            path("<int:pk>/erase/", view(application_views.EraseView), name="erase"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path(
                "history-results/<int:pk>/",
                self.history_results_view,
                name="history_results",
            ),
        ]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_review(request.user)


class MentoringViewSetGroup(ViewSetGroup):
    menu_label = _("Mentoring")
    menu_icon = "group"
    menu_order = 250
    items = (ApplicationViewSet,)
    # The round summary joins the submenu through this hook (wagtail_hooks).
    submenu_hook = "register_mentoring_cms_menu_item"
