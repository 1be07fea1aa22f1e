"""URLs and menu items of the selection pages, one guard per role: the
coordinators' pages need ``nominate_mentee``, the committee's
``score_application`` and HR's ``review_application``; anyone else gets a
403 before the view runs."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ..permissions import user_can_nominate, user_can_review, user_can_score
from . import selection, selection_dashboard
from .views import allowed_only

coordinator_required = allowed_only(user_can_nominate)
scorer_required = allowed_only(user_can_score)
hr_required = allowed_only(user_can_review)


class SelectionViewSet(ViewSet):
    name = selection.NAME
    url_prefix = "mentoring/selection"
    icon = "group"

    def get_urlpatterns(self):
        def coordinator(view):
            return coordinator_required(view.as_view())

        def scorer(view):
            return scorer_required(view.as_view())

        def hr(view):
            return hr_required(view.as_view())

        return [
            path(
                "applications/",
                coordinator(selection.CoordinatorIndexView),
                name="coordinator_index",
            ),
            path(
                "applications/<int:pk>/",
                coordinator(selection.CoordinatorDetailView),
                name="coordinator_detail",
            ),
            path(
                "applications/<int:pk>/attachment/",
                coordinator(selection.CoordinatorAttachmentView),
                name="coordinator_attachment",
            ),
            path(
                "applications/<int:pk>/nominate/",
                coordinator(selection.NominateView),
                name="nominate",
            ),
            path(
                "applications/<int:pk>/withdraw/",
                coordinator(selection.WithdrawView),
                name="withdraw",
            ),
            path("reviews/", scorer(selection.ReviewIndexView), name="review_index"),
            path("reviews/<int:pk>/", scorer(selection.ReviewView), name="review"),
            path(
                "reviews/<int:pk>/attachment/",
                scorer(selection.ReviewAttachmentView),
                name="review_attachment",
            ),
            path(
                "reviews/<int:pk>/conflict/",
                scorer(selection.ConflictView),
                name="conflict",
            ),
            path("ranking/", hr(selection_dashboard.RankingView), name="ranking"),
            path(
                "ranking/<int:pk>/decide/",
                hr(selection_dashboard.RankingDecideView),
                name="ranking_decide",
            ),
            path("dashboard/", hr(selection_dashboard.DashboardView), name="dashboard"),
        ]


class PermissionMenuItem(MenuItem):
    """A menu item shown to the users ``check`` lets in."""

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


# (label, view, menu name, icon, order, check) of each menu item.
MENU_ITEMS = {
    "nominations": (
        _("Nominations"),
        "coordinator_index",
        "mentoring-nominations",
        "group",
        30,
        user_can_nominate,
    ),
    "scoring": (
        _("Scoring"),
        "review_index",
        "mentoring-scoring",
        "tasks",
        40,
        user_can_score,
    ),
    "ranking": (
        _("Ranking"),
        "ranking",
        "mentoring-ranking",
        "order",
        50,
        user_can_review,
    ),
    "dashboard": (
        _("Selection dashboard"),
        "dashboard",
        "mentoring-selection-dashboard",
        "view",
        60,
        user_can_review,
    ),
}


def selection_menu_item(key):
    """The Mentoring menu's item ``key`` of ``MENU_ITEMS``."""
    label, view, name, icon, order, check = MENU_ITEMS[key]
    return PermissionMenuItem(
        label,
        reverse(f"{selection.NAME}:{view}"),
        name=name,
        icon_name=icon,
        order=order,
        check=check,
    )
