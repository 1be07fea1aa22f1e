"""The pages of an application wizard besides its steps: closed, expired,
unavailable, rate limited, the confirmation, and the step's error summary."""

from django import forms
from django.http import Http404, QueryDict
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from . import ratelimit
from .models import Application, ProgramPage

SUBMITTED_SESSION_KEY = "mentoring_cms_submitted"
TEMPLATE_DIR = "mentoring_cms/application"
# Parameters of the wizard's own links, which must not follow the applicant
# to the next step; every other parameter (utm_source, …) is kept.
WIZARD_PARAMETERS = ("return",)


def with_query(url, request, drop=WIZARD_PARAMETERS):
    """``url`` with the query string of ``request`` added (minus the names in
    ``drop``), so that a redirect keeps what the link came with, such as a
    newsletter's ``utm_source``. Parameters already in ``url`` win."""
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    if "?" in url:
        url, existing = url.split("?", 1)
        for name, values in QueryDict(existing).lists():
            query.setlist(name, values)
    encoded = query.urlencode()
    return f"{url}?{encoded}" if encoded else url


def role_title(role):
    if role == Application.Role.MENTOR:
        return gettext("Apply as mentor")
    return gettext("Apply as mentee")


def render_page(request, page, template, context=None, status=200):
    context = {"page": page, "self": page, "round": page, **(context or {})}
    response = TemplateResponse(
        request, f"{TEMPLATE_DIR}/{template}", context, status=status
    )
    add_never_cache_headers(response)
    return response


class WizardPagesMixin:
    """The wizard view's pages other than its steps (see ``wizards``)."""

    # Pages ------------------------------------------------------------------

    def render_closed(self, deadline_passed=False):
        return render_page(
            self.request,
            self.page,
            "closed.html",
            {
                "title": role_title(self.role),
                "deadline_passed": deadline_passed,
                "status": self.page.status,
            },
        )

    def render_expired(self):
        return render_page(
            self.request,
            self.page,
            "expired.html",
            {
                "title": role_title(self.role),
                "start_url": self.get_step_url(self.steps.first),
            },
        )

    def render_unavailable(self):
        # A 5xx status: SessionMiddleware then leaves the session as the last
        # successful step saved it.
        response = render_page(
            self.request,
            self.page,
            "unavailable.html",
            {
                "title": role_title(self.role),
                "review_url": self.get_step_url(self.steps.last),
            },
            status=503,
        )
        response["Retry-After"] = "30"
        return response

    def render_rate_limited(self, rate):
        response = render_page(
            self.request,
            self.page,
            "rate_limited.html",
            {"title": role_title(self.role)},
            status=429,
        )
        response["Retry-After"] = str(ratelimit.retry_after(rate))
        return response


def error_list(form):
    """(link target, label, message) for the error summary of a step."""
    errors = []
    for message in form.non_field_errors():
        errors.append(("step-form", "", message))
    for bound in form:
        if bound.name == "website":
            continue
        target = bound.auto_id
        if isinstance(bound.field.widget, forms.RadioSelect):
            target = f"{bound.auto_id}_0"
        label = str(bound.label).rstrip(".:")
        for message in bound.errors:
            errors.append((target, label, message))
    return errors


def application_confirmation(request, page, role, reference):
    """The confirmation page, for the session that submitted the application."""
    if role not in Application.Role.values or reference not in request.session.get(
        SUBMITTED_SESSION_KEY, []
    ):
        raise Http404
    programme = ProgramPage.objects.parent_of(page).first()
    return render_page(
        request,
        page,
        "confirmation.html",
        {
            "title": role_title(role),
            "role": role,
            "reference": reference,
            # HR's contact persons, as the programme page names them.
            "contact_persons": programme.get_contact_persons() if programme else [],
            "first_gathering": page.next_gathering_for(role),
        },
    )
