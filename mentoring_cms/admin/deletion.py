"""Refuse, the way Wagtail refuses a protected object, to delete what
applications point to.

Applications protect their round (``Application.round``) and their faculty
(``Application.faculty``) with ``on_delete=PROTECT``, but they are kept out
of Wagtail's reference index (``ApplicationViewSet.add_to_reference_index``)
so that no applicant's personal data is copied there. Wagtail's delete
screens therefore cannot see them and would end in ``ProtectedError``.
The hooks in ``wagtail_hooks`` call ``refuse_if_protected`` on every path
that deletes pages or snippets: the page delete view (the round, or any
ancestor whose subtree holds one), the bulk delete of pages, and the
delete and bulk delete views of snippets (faculties); the bulk delete of
pages is replaced by ``ProtectedPageDeleteBulkAction`` so that its confirm
screen refuses too.
"""

from django.conf import settings
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.models import Page

from ..models import Application, Faculty


def pages_deleted_with(pages):
    """``pages`` and the translations Wagtail deletes along with them (the
    ``construct_translated_pages_to_cascade_actions`` hook)."""
    pages = list(pages)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        for fn in hooks.get_hooks("construct_translated_pages_to_cascade_actions"):
            found = fn(pages, "delete")
            if found and isinstance(found, dict):
                for more in found.values():
                    pages.extend(more)
    return pages


def applications_below(pages):
    """The number of applications (anonymised ones too: the row stays) to a
    round among ``pages`` or their descendants. One query."""
    condition = Q()
    for page in pages:
        condition |= Q(round__path__startswith=page.path)
    if not condition:
        return 0
    return Application.objects.filter(condition).count()


def applications_of(objects):
    """The number of applications that name one of ``objects`` (faculties)
    as their faculty; 0 for snippets applications do not point to."""
    faculties = [obj.pk for obj in objects if isinstance(obj, Faculty)]
    if not faculties:
        return 0
    return Application.objects.filter(faculty__in=faculties).count()


def refusal(request, objects, count, kind):
    """Wagtail's "in use, cannot be deleted" answer naming how many
    applications hold ``objects``; 200 for the confirm screen, 403 for a
    POST that would delete."""
    names = ", ".join(str(obj) for obj in objects[:5])
    if kind == "page":
        message = ngettext(
            "%(names)s cannot be deleted: %(count)s application belongs to a "
            "round on this page or below it.",
            "%(names)s cannot be deleted: %(count)s applications belong to a "
            "round on this page or below it.",
            count,
        )
    else:
        message = ngettext(
            "%(names)s cannot be deleted: %(count)s application names it.",
            "%(names)s cannot be deleted: %(count)s applications name it.",
            count,
        )
    context = {
        "page_title": _("Cannot delete"),
        "page_subtitle": names,
        "header_icon": "warning",
        "message": message % {"names": names, "count": count},
        "advice": _(
            "Applications are kept with their round and faculty until they "
            "are erased or the round's data is deleted under the retention "
            "rules. Unpublish the page instead if it should no longer be seen."
        ),
        "back_url": request.META.get("HTTP_REFERER") or "",
    }
    return TemplateResponse(
        request,
        "mentoring_cms/admin/delete_protected.html",
        context,
        status=403 if request.method == "POST" else 200,
    )


def refuse_page_deletion(request, pages):
    """The refusal for deleting ``pages`` (with their subtrees and
    translations), or ``None`` when no application stands in the way."""
    pages = [page for page in pages if isinstance(page, Page)]
    if not pages:
        return None
    count = applications_below(pages_deleted_with(pages))
    return refusal(request, pages, count, "page") if count else None


def refuse_snippet_deletion(request, instances):
    """The refusal for deleting snippet ``instances`` that applications
    point to, or ``None``."""
    instances = list(instances)
    count = applications_of(instances)
    return refusal(request, instances, count, "snippet") if count else None


class ProtectedPageDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of pages, whose confirm screen (GET) already
    refuses pages that applications stand in the way of; the POST is refused
    by the ``before_bulk_action`` hook as well."""

    def dispatch(self, request, *args, **kwargs):
        pages, _no_access = self.get_actionable_objects()
        refused = refuse_page_deletion(request, pages)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)
