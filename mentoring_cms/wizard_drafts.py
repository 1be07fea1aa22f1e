"""Save and continue later in the application wizards: the button on
every step, the page that asks for an email address when the wizard does not
know one yet, and the link that resumes the application in any browser.

What a step keeps when saved for later: every answer of the step that is
valid on its own is kept; an answer that is not (a malformed phone number,
an address that has already applied) is left out and named on the next page,
so that nothing invalid is kept on the server and she knows what to fix. An
empty required answer is simply not answered yet. The step counts as done
only when all of it is valid; the resumed wizard opens on the step she left
(or on the first one not done, when she left a later one).
"""

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from formtools.wizard.forms import ManagementForm

from . import drafts, ratelimit
from .conf import get_setting
from .identifiers import canonical_email
from .models import RoundStatus
from .validators import Form as TextForm
from .wizard_pages import TEMPLATE_DIR, error_list, render_page, role_title
from .wizard_storage import wizard_session_key

SAVE_BUTTON = "wizard_save_later"
EMAIL_BUTTON = "wizard_save_later_email"


class SaveLaterEmailForm(TextForm):
    """The address a saved application's link goes to, when the wizard has
    none yet (the step that asks for it is not answered)."""

    save_later_email = forms.EmailField(
        label=_("Your work email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address so that we can send you the link."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
    )

    def clean_save_later_email(self):
        return canonical_email(self.cleaned_data["save_later_email"])


class SaveForLaterMixin:
    """The wizard view's "Save and continue later" (see ``wizards``)."""

    def save_for_later(self, form):
        """Keep the posted step as far as it is valid (module docstring),
        then email the link, or ask for the address first."""
        step = self.steps.current
        valid = form.is_valid()
        invalid = {form.add_prefix(name) for name in form.errors}
        kept = {k: v for k, v in self.process_step(form).items() if k not in invalid}
        self.storage.set_step_data(step, kept)
        self.storage.set_step_files(step, self.process_step_files(form))
        self.mark_step(step, valid and not self.lost_file_notes(step))
        left_out = [
            str(form.fields[name].label).rstrip(".:")
            for name in form.errors
            if name in form.fields
            and (
                form.data.get(form.add_prefix(name))
                or form.files.get(form.add_prefix(name))
            )
        ]
        if form.data.get(form.add_prefix("website")):
            # The hidden field people never see is filled: a bot. It is
            # shown what a person would see, and no email goes out.
            return self.render_saved("", None, left_out)
        email = self.known_email()
        if email is None:
            return self.ask_for_email(SaveLaterEmailForm(), left_out)
        return self.send_draft(email, left_out)

    def save_later_with_email(self):
        """The POST of the page that asks for the address."""
        if not self.has_started():
            return self.render_expired()
        form = SaveLaterEmailForm(self.request.POST)
        if not form.is_valid():
            return self.ask_for_email(form, [], status=400)
        return self.send_draft(form.cleaned_data["save_later_email"], [])

    def known_email(self):
        """The canonical address answered on an earlier step, or None."""
        field = forms.EmailField(max_length=254)
        for step in self.get_form_list():
            data = self.storage.get_step_data(step)
            value = data.get(f"{self.get_form_prefix(step)}-email") if data else None
            if value:
                try:
                    return canonical_email(field.clean(value))
                except forms.ValidationError:
                    return None
        return None

    def ask_for_email(self, form, left_out, status=200):
        return render_page(
            self.request,
            self.page,
            "save_later.html",
            {
                "title": role_title(self.role),
                "form": form,
                "management_form": ManagementForm(
                    prefix=self.prefix, initial={"current_step": self.steps.current}
                ),
                "action": self.get_step_url(self.steps.current),
                "left_out": left_out,
                "email_button": EMAIL_BUTTON,
                "error_list": error_list(form),
            },
            status=status,
        )

    def send_draft(self, email, left_out):
        """Store the draft and queue the email with its link; rate-limited
        per client address and per email address."""
        for over in (
            ratelimit.is_over_limit(
                self.request, "draft-link", get_setting("DRAFT_LINK_RATE_LIMIT")
            ),
            ratelimit.is_over_limit_for(
                email, "draft-link", get_setting("DRAFT_LINK_EMAIL_RATE_LIMIT")
            ),
        ):
            if over:
                return self.render_page_with_retry("draft_rate_limited.html")
        draft = drafts.save_draft(
            page=self.page,
            role=self.role,
            state=self.storage.data,
            email=email,
            language=get_language(),
            key=self.storage.extra_data.get("draft_key"),
        )
        self.storage.extra_data = {
            **self.storage.extra_data,
            "draft_key": draft.key,
        }
        drafts.send_draft_link.enqueue(draft.pk)
        return self.render_saved(email, draft.expires_at, left_out)

    def render_saved(self, email, expires_at, left_out):
        return render_page(
            self.request,
            self.page,
            "draft_saved.html",
            {
                "title": role_title(self.role),
                "email": email,
                "expires_at": expires_at,
                "continue_url": self.get_step_url(self.steps.current),
                "left_out": left_out,
            },
        )

    def render_page_with_retry(self, template):
        rate = get_setting("DRAFT_LINK_RATE_LIMIT")
        response = render_page(
            self.request,
            self.page,
            template,
            {
                "title": role_title(self.role),
                "continue_url": self.get_step_url(self.steps.current),
            },
            status=429,
        )
        response["Retry-After"] = str(ratelimit.retry_after(rate))
        return response

    def close_draft(self):
        """The application is submitted: its draft keeps nothing more."""
        key = self.storage.extra_data.get("draft_key")
        if key:
            drafts.close_draft(key)


def _language(request):
    """The language the link asks for (``?lang=``), else the active one."""
    wanted = request.GET.get("lang")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return get_language() or settings.LANGUAGE_CODE


def _link_page(request, kind, status, page=None, role=None):
    """The page of a link that resumes nothing: ``kind`` is "expired",
    "invalid" or "submitted"."""
    response = TemplateResponse(
        request,
        f"{TEMPLATE_DIR}/draft_link.html",
        {
            "kind": kind,
            "round": page,
            "title": role_title(role) if role else "",
            "max_age_days": get_setting("DRAFT_MAX_AGE_DAYS"),
        },
        status=status,
    )
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    response.render()
    return response


@require_http_methods(["GET", "POST"])
def resume_draft(request, token):
    """Open a saved application. The GET shows what the link opens (the
    round and role, not the answers) with a button; its POST puts the
    answers and uploads into this browser's wizard, which opens at the step
    she left. So a GET changes nothing (mail scanners that open links do not
    copy her upload about), as everywhere in the plugin. An expired or
    tampered link, a submitted application and a closed round each get a
    page of their own, which shows none of the answers."""
    with translation.override(_language(request)):
        try:
            draft = drafts.find_draft(token)
        except drafts.ExpiredLink:
            return _link_page(request, "expired", 410)
        except drafts.InvalidLink:
            return _link_page(request, "invalid", 403)
        except drafts.DraftSubmitted as submitted:
            page = submitted.draft.round
            return _link_page(request, "submitted", 410, page, submitted.draft.role)
    page = draft.round
    with translation.override(draft.language):
        if not page.live or page.status_at(timezone.now()) != RoundStatus.OPEN:
            context = {"deadline_passed": True, "status": page.status}
            return _draft_page(request, draft, "closed.html", context, status=410)
        if request.method == "GET":
            return _draft_page(request, draft, "draft_resume.html", {"draft": draft})
    request.session[wizard_session_key(page, draft.role)] = drafts.restore_state(draft)
    url = page.get_url(request) + page.reverse_subpage(
        "apply_step", kwargs={"role": draft.role, "step": draft.step or "start"}
    )
    response = redirect(url)
    response["Referrer-Policy"] = "same-origin"
    return response


def _draft_page(request, draft, template, context, status=200):
    response = render_page(
        request,
        draft.round,
        template,
        {"title": role_title(draft.role), **context},
        status=status,
    )
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    response.render()
    return response
