"""The "Mentoring" area of the Wagtail admin, where HR reviews applications."""

from django.contrib.auth.models import Permission
from django.http import HttpRequest, QueryDict
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .filters import ApplicationFilterSet
from .models import Application
from .permissions import user_can_review


class ApplicationViewSet(ModelViewSet):
    model = Application
    name = admin_views.VIEWSET_NAME
    url_prefix = "mentoring/applications"
    icon = "form"
    menu_label = _("Applications")
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False

    index_view_class = admin_views.ApplicationIndexView
    filterset_class = ApplicationFilterSet
    search_fields = ["full_name", "email", "reference"]
    # The listing searches ``Application.search_text`` (see
    # ``ApplicationIndexView.search_queryset``); no search index to keep
    # personal data in.
    search_backend_name = None
    ordering = "-submitted_at"
    list_per_page = 50

    @property
    def menu_item_class(self):
        return ReviewerMenuItem

    def construct_view(self, view_class, **kwargs):
        # Every view of the viewset answers 403 to users who may not review.
        return admin_views.reviewer_required(
            super().construct_view(view_class, **kwargs)
        )

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type__app_label="mentoring_cms",
            codename__in=["review_application", "export_application"],
        )

    def get_urlpatterns(self):
        export_view = admin_views.exporter_required(
            self.construct_view(
                admin_views.ApplicationExportView, **self.get_index_view_kwargs()
            )
        )
        view = self.construct_view
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("export/<str:fmt>/", export_view, name="export"),
            path(
                "exports/",
                admin_views.exporter_required(view(admin_views.ExportListView)),
                name="exports",
            ),
            path(
                "exports/<int:pk>/",
                admin_views.exporter_required(view(admin_views.ExportDownloadView)),
                name="export_download",
            ),
            path("summary/", view(admin_views.RoundSummaryView), name="summary"),
            path("<int:pk>/", view(admin_views.ApplicationDetailView), name="edit"),
            path(
                "<int:pk>/status/",
                view(admin_views.StatusChangeView),
                name="status",
            ),
            path("<int:pk>/notes/", view(admin_views.NoteCreateView), name="note"),
            path(
                "<int:pk>/attachment/",
                view(admin_views.AttachmentView),
                name="attachment",
            ),
            path("<int:pk>/erase/", view(admin_views.EraseView), name="erase"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path(
                "history-results/<int:pk>/",
                self.history_results_view,
                name="history_results",
            ),
        ]


def listing_queryset(filters, user):
    """The applications the listing shows for ``filters`` (its query string
    as a dict of lists): filtered, searched and ordered by the listing's own
    view, for an export written in the background without a request."""
    viewset = ApplicationViewSet()
    view_class = admin_views.ApplicationExportView
    kwargs = {**viewset.get_common_view_kwargs(), **viewset.get_index_view_kwargs()}
    view = view_class(
        **{
            key: value
            for key, value in kwargs.items()
            if hasattr(view_class, key) and value is not viewset.UNDEFINED
        }
    )
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse(viewset.get_url_name("index"))
    request.GET = QueryDict(mutable=True)
    for key, values in filters.items():
        request.GET.setlist(key, values)
    request.user = user
    view.setup(request)
    return view.get_queryset()


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
