"""A former mentee reports her promotion outcome herself, from her personal
page (reached by her signed link, ``participation.links``): a section of
the page and a form of its own. Rules and storage are
``promotion.record_outcome``'s."""

from django.shortcuts import redirect
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..participation.gatherings import localized_round
from ..participation.links import personal_path
from ..participation.views import render, with_application
from .promotion import OutcomeRefused, is_former_mentee, outcome_of, record_outcome
from .promotion_forms import OutcomeForm

# The report is part of the personal page, and its templates live with it.
SECTION_TEMPLATE = "mentoring_cms/participation/_promotion.html"


def personal_section(request, application, token):
    """The personal page's section on her promotion (former mentees only):
    ``{"template", "outcome", "report_url", "done"}`` or ``None``."""
    if not is_former_mentee(application):
        return None
    return {
        "template": SECTION_TEMPLATE,
        "outcome": outcome_of(application),
        "report_url": personal_path(application, "promotion"),
        "done": request.GET.get("done") == "outcome",
    }


@require_http_methods(["GET", "POST"])
@with_application
def report_outcome(request, application, token):
    """Her own report: whether and when she applied, for what, the result."""
    if not is_former_mentee(application):
        return render(
            request,
            "promotion_report.html",
            {
                "application": application,
                "page_url": personal_path(application),
                "error": _(
                    "A promotion outcome can be recorded only for an accepted "
                    "mentee of a round that has ended."
                ),
            },
            status=403,
        )
    outcome = outcome_of(application)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None, outcome=outcome
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record_outcome(application, by_mentee=True, **form.outcome_values())
            except OutcomeRefused as refusal:
                form.add_refusal(refusal)
            else:
                return redirect(personal_path(application) + "?done=outcome#promotion")
    return render(
        request,
        "promotion_report.html",
        {
            "application": application,
            "round": localized_round(application.round, translation.get_language()),
            "form": form,
            "page_url": personal_path(application),
        },
        status=status,
    )


urlpatterns = [
    path(
        "personal/<str:token>/promotion/",
        report_outcome,
        name="personal_promotion",
    ),
]
