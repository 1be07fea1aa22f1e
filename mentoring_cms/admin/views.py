"""What every HR view in the Wagtail admin shares: the answer to users who
may not see it, the permission decorators and the breadcrumbs below the
applications listing.

Every view of the applications area is reached only through
``ApplicationViewSet`` (or the bulk action and dashboard hooks), which wraps
it in ``reviewer_required``: users without the review permission get a plain
403, never a redirect that could hint at what exists.
"""

import functools

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..permissions import user_can_export, user_can_review
from ..url_names import url_name


def forbidden(request):
    """The plain 403 page of the applications area."""
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


class MentoringAdminPage(WagtailAdminTemplateMixin, TemplateView):
    """An admin page of the programme whose header and breadcrumbs name it
    (Wagtail's header shows the last breadcrumb: without this, "Home")."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class ApplicationsSubpage(MentoringAdminPage):
    """An admin page below the applications listing in the breadcrumbs."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(url_name("index")), "label": _("Applications")},
            {"url": "", "label": self.get_page_title()},
        ]
