import functools

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import operations, tasks, wizards
from .admin import deletion, round_copy_views
from .admin import evaluation as evaluation_admin
from .admin import matching as matching_admin
from .admin import outcomes as outcomes_admin
from .admin import participation as participation_admin
from .admin.application_views import ChangeStatusBulkAction
from .admin.selection_viewset import MENU_ITEMS, SelectionViewSet, selection_menu_item
from .admin.summary_views import RoundSummaryPanel
from .admin.viewsets import MentoringViewSetGroup, ReviewerMenuItem
from .fallback import best_translation
from .matching import operations as matching_operations
from .models import (
    Application,
    ApplicationForm,
    ContactPerson,
    EvaluationForm,
    Faculty,
    FacultyCoordinator,
    RoundEvaluation,
)
from .models.pages import APPLICATION_VIEWS_HOOK
from .outcomes import promotion_views
from .page_cache import same_path
from .participation.views import PERSONAL_PAGE_SECTIONS_HOOK
from .permissions import ApplicationPermissionPolicy, user_can_review
from .selection import emails as selection_emails
from .selection import operations as selection_operations
from .url_names import url_name

register_snippet(Faculty)
register_snippet(ContactPerson)
register_snippet(ApplicationForm)


@hooks.register("before_serve_page")
def serve_in_requested_language(page, request, serve_args, serve_kwargs):
    """Wagtail serves the default language's tree under a language prefix that
    has no home page of its own; send the reader to a URL whose language
    matches the content instead."""
    language_code = get_language_from_path(request.path_info)
    if not language_code or language_code == page.locale.language_code:
        return None
    target = best_translation(page, language_code)
    if target is None:
        return None
    url = target.get_url(request)
    if url and not same_path(url, request.path):
        query = request.META.get("QUERY_STRING")
        return redirect(f"{url}?{query}" if query else url)
    return None


@hooks.register(APPLICATION_VIEWS_HOOK)
def application_views():
    """The round page's apply and confirmation pages are the wizards'."""
    return {
        "apply": wizards.application_wizard,
        "apply_done": wizards.application_confirmation,
    }


# Copy to next round ------------------------------------------------------


hooks.register("register_admin_urls", round_copy_views.admin_urls)
hooks.register("register_page_header_buttons", round_copy_views.copy_round_buttons)
hooks.register(
    "register_page_listing_more_buttons", round_copy_views.copy_round_buttons
)


# HR review ---------------------------------------------------------------


register_permission_policy(Application, ApplicationPermissionPolicy(Application))


@hooks.register("register_admin_viewset")
def register_mentoring_viewsets():
    return MentoringViewSetGroup()


@hooks.register("register_mentoring_cms_menu_item")
def register_round_summary_menu_item():
    return ReviewerMenuItem(
        _("Round summary"),
        reverse(url_name("summary")),
        name="mentoring-round-summary",
        icon_name="table",
        order=20,
    )


hooks.register("register_bulk_action", ChangeStatusBulkAction)


@hooks.register("construct_homepage_panels")
def add_round_summary_panel(request, panels):
    if user_can_review(request.user):
        panels.append(RoundSummaryPanel(request))


@hooks.register("register_log_actions")
def register_application_log_actions(actions):
    statuses = dict(Application.Status.choices)

    @actions.register_action(operations.LOG_STATUS_CHANGE)
    class StatusChange(LogFormatter):
        label = _("Change application status")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            names = {
                "old": statuses.get(data.get("old"), data.get("old")),
                "new": statuses.get(data.get("new"), data.get("new")),
            }
            if data.get("notified"):
                return (
                    _(
                        "Status changed from “%(old)s” to “%(new)s”; "
                        "the applicant was notified"
                    )
                    % names
                )
            return _("Status changed from “%(old)s” to “%(new)s”") % names

    actions.register_action(
        operations.LOG_NOTE_ADDED, _("Add internal note"), _("Internal note added")
    )
    actions.register_action(
        operations.LOG_ERASED,
        _("Erase application"),
        _("Application erased on request"),
    )
    actions.register_action(
        operations.LOG_ANONYMISED,
        _("Anonymise application"),
        _("Application anonymised after the retention period"),
    )


# Running the round: participation ------------------------------------------


hooks.register("register_admin_urls", participation_admin.admin_urls)
hooks.register("register_mentoring_cms_menu_item", participation_admin.menu_item)
hooks.register("register_log_actions", participation_admin.register_log_actions)


# The end-of-round evaluation (issue 17) --------------------------------------

# Editors build the form (translated with wagtail-localize like the
# application forms) and say when each round asks it; HR reads the results.
register_snippet(EvaluationForm)
register_snippet(RoundEvaluation)
hooks.register("register_admin_urls", evaluation_admin.admin_urls)
hooks.register("register_mentoring_cms_menu_item", evaluation_admin.menu_item)
# Its answer counts per round join the programme dashboard.
hooks.register(
    outcomes_admin.DASHBOARD_SECTIONS_HOOK, evaluation_admin.dashboard_section
)


# Deleting what applications point to ------------------------------------


@hooks.register("before_delete_page")
def refuse_deleting_rounds_with_applications(request, page):
    return deletion.refuse_page_deletion(request, [page])


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_rounds_with_applications(
    request, action_type, objects, action_class_instance
):
    if action_type != "delete":
        return None
    return deletion.refuse_page_deletion(request, objects)


# Registered after Wagtail's own page bulk delete (a later order wins), so
# that its confirm screen already refuses.
hooks.register(
    "register_bulk_action", deletion.ProtectedPageDeleteBulkAction, order=100
)


@hooks.register("before_delete_snippet")
def refuse_deleting_faculties_with_applications(request, instances):
    return deletion.refuse_snippet_deletion(request, instances)


# Matching mentors and mentees -------------------------------------------


hooks.register("register_admin_urls", matching_admin.admin_urls)
hooks.register("register_mentoring_cms_menu_item", matching_admin.menu_item)
hooks.register("register_permissions", matching_admin.permissions_to_register)


@hooks.register("register_log_actions")
def register_matching_log_actions(actions):
    actions.register_action(
        matching_operations.LOG_RUN, _("Run the matching"), _("Matching run")
    )
    actions.register_action(
        matching_operations.LOG_CONSTRAINT,
        _("Change a pair constraint"),
        _("Pair locked, set, forbidden or released"),
    )
    actions.register_action(
        matching_operations.LOG_PUBLISHED,
        _("Publish pairs"),
        _("Pairs published"),
    )


# Selection (issue 14) ------------------------------------------------------


register_snippet(FacultyCoordinator)
hooks.register(tasks.APPLICATION_RECEIVED_HOOK, selection_emails.notify_coordinators)


@hooks.register("register_admin_viewset")
def register_selection_viewset():
    return SelectionViewSet()


for _item in MENU_ITEMS:
    hooks.register(
        "register_mentoring_cms_menu_item",
        functools.partial(selection_menu_item, _item),
    )


@hooks.register("register_log_actions")
def register_selection_log_actions(actions):
    # The messages say what happened, never to whom or why (no personal data).
    actions.register_action(
        selection_operations.LOG_NOMINATED,
        _("Nominate mentee"),
        _("Nominated by the faculty"),
    )
    actions.register_action(
        selection_operations.LOG_NOMINATION_WITHDRAWN,
        _("Withdraw nomination"),
        _("Nomination withdrawn by the faculty"),
    )
    actions.register_action(
        selection_operations.LOG_REVIEW_SUBMITTED,
        _("Submit review"),
        _("Review submitted"),
    )
    actions.register_action(
        selection_operations.LOG_CONFLICT_DECLARED,
        _("Declare conflict of interest"),
        _("Conflict of interest declared"),
    )


# Outcomes (issue 17): promotion outcomes and the dashboard across rounds -----


hooks.register("register_admin_urls", outcomes_admin.admin_urls)
hooks.register("register_mentoring_cms_menu_item", outcomes_admin.dashboard_menu_item)
hooks.register("register_mentoring_cms_menu_item", outcomes_admin.outcomes_menu_item)
hooks.register("register_log_actions", outcomes_admin.register_log_actions)
hooks.register(PERSONAL_PAGE_SECTIONS_HOOK, promotion_views.personal_section)
