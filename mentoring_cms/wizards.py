"""The mentee and mentor application wizards, served under a round page
(``ProgramRoundPage.apply``): thin views around the step forms in ``forms``
and ``operations.submit_application``.

Wizard state lives in the session, one per round (all its languages) and
role, so two tabs applying to two rounds or in two roles do not mix.
"""

import functools
import logging
import uuid
from collections import OrderedDict

from django import forms
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.shortcuts import redirect as plain_redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from . import ratelimit
from .conf import get_setting
from .forms import faculty_choices
from .matching_step import (
    STEP_NAME,
    derive_track,
    matching_step_kwargs,
    with_matching_step,
)
from .models import Application, RoundStatus
from .operations import DuplicateApplication, RoundNotOpen, submit_application
from .questions import snapshot
from .questions.core import question_label
from .step_forms import (
    asked_questions_for_state,
    default_step_list,
    multiple_choice_names,
    round_form_state,
    step_list_for_state,
)
from .storage import wizard_file_storage
from .wizard_drafts import EMAIL_BUTTON, SAVE_BUTTON, SaveForLaterMixin
from .wizard_files import StoredFilesMixin, lost_file_message
from .wizard_pages import (
    SUBMITTED_SESSION_KEY,
    TEMPLATE_DIR,
    WizardPagesMixin,
    application_confirmation,
    error_list,
    render_page,
    role_title,
    with_query,
)
from .wizard_storage import wizard_prefix

logger = logging.getLogger(__name__)

# The reference of the application each wizard (round and role) submitted.
SUBMITTED_WIZARDS_SESSION_KEY = "mentoring_cms_submitted_wizards"
# The longest value the session keeps for a field without its own limit.
STORED_VALUE_MAX_CHARS = 3000


class ApplicationWizardView(
    SaveForLaterMixin, StoredFilesMixin, WizardPagesMixin, NamedUrlSessionWizardView
):
    """One role's application to one round, step by step.

    Differences from django-formtools' named-URL wizard: the application is
    submitted by the POST of the last step (never by a GET), Back keeps what
    was typed without validating it, "Save and continue later" keeps the
    step's valid answers and emails a link (``wizard_drafts``), and a missing
    session, an unknown step or a jump past unfinished steps lead to a page,
    never an error.
    """

    role = None
    storage_name = "mentoring_cms.wizard_storage.ApplicationSessionStorage"
    template_name = f"{TEMPLATE_DIR}/step.html"
    file_storage = wizard_file_storage

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.page = kwargs["page"]

    def get_prefix(self, request, *args, **kwargs):
        return wizard_prefix(self.page, self.role)

    @cached_property
    def page_url(self):
        return self.page.get_url(self.request)

    def redirect(self, url):
        """A redirect that keeps the request's query string."""
        return plain_redirect(with_query(url, self.request))

    def get_step_url(self, step):
        return self.page_url + self.page.reverse_subpage(
            "apply_step", kwargs={"role": self.role, "step": step}
        )

    # The round's application form ----------------------------------------

    _form_state = None

    def get_form_list(self):
        """The steps of the round's form in the page's language (the seed's
        default form for a round without a form)."""
        if self._form_state is None:
            self._form_state = self.load_form_state()
            language = self.page.locale.language_code
            steps = step_list_for_state(self.role, self._form_state, language)
            self.form_list = OrderedDict(with_matching_step(steps))
            # formtools works the list out again on every call (dozens per
            # request); it cannot change within one.
            self._steps_of_request = super().get_form_list()
        return self._steps_of_request

    def load_form_state(self):
        return round_form_state(self.page, self.role)

    # State of the steps -------------------------------------------------

    @property
    def valid_steps(self):
        return self.storage.extra_data.setdefault("valid_steps", [])

    def mark_step(self, step, valid):
        steps = [s for s in self.valid_steps if s != step]
        if valid:
            steps.append(step)
        extra_data = dict(self.storage.extra_data)
        extra_data["valid_steps"] = steps
        if valid and step in extra_data.get("lost_files", {}):
            extra_data["lost_files"] = {
                s: notes for s, notes in extra_data["lost_files"].items() if s != step
            }
        # The application's reference is drawn on the first answer: every
        # request that submits this wizard (a double click, three at once)
        # carries it, so a repeat recognises the application it made.
        if not extra_data.get("reference"):
            extra_data["reference"] = Application.new_reference(timezone.now())
        self.storage.extra_data = extra_data

    @property
    def drawn_reference(self):
        return self.storage.extra_data.get("reference")

    def first_incomplete_step(self):
        for step in self.get_form_list():
            if step != self.steps.last and step not in self.valid_steps:
                return step
        return self.steps.last

    def step_index(self, step):
        return list(self.get_form_list()).index(step)

    def has_started(self):
        return bool(self.storage.data.get(self.storage.step_data_key))

    # Forms ----------------------------------------------------------------

    @cached_property
    def faculties(self):
        return faculty_choices()

    def get_form_kwargs(self, step=None):
        kwargs = {"round": self.page, "role": self.role}
        form_class = self.get_form_list().get(step)
        if step in ("position", "matching") or "faculty" in getattr(
            form_class, "core_keys", ()
        ):
            kwargs["faculties"] = self.faculties
        if step == STEP_NAME:
            kwargs.update(
                matching_step_kwargs(self.get_form_list(), self.get_form_initial)
            )
        return kwargs

    submitting = False

    def get_form(self, step=None, data=None, files=None):
        form = super().get_form(step, data, files)
        if self.submitting:
            form.check_duplicates = False
        return form

    def get_form_initial(self, step):
        """What was typed on ``step`` before, shown without validating it."""
        data = self.storage.get_step_data(step)
        prefix = f"{self.get_form_prefix(step)}-"
        initial = {}
        if data:
            form_class = self.get_form_list()[step]
            for key, values in data.lists():
                if key.startswith(prefix) and values:
                    name = key[len(prefix) :]
                    initial[name] = (
                        values
                        if name in multiple_choice_names(form_class)
                        else values[-1]
                    )
        return initial

    def process_step(self, form):
        """What the session keeps of a step: the form's own fields only (no
        CSRF token, no buttons, nothing else posted), each with its last
        value, cut at the field's length limit (``STORED_VALUE_MAX_CHARS``
        for fields without one) so that Back keeps an over-long answer
        without keeping megabytes."""
        stored = {}
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            key = form.add_prefix(name)
            values = form.data.getlist(key)
            if values:
                limit = getattr(field, "max_length", None) or STORED_VALUE_MAX_CHARS
                if isinstance(field, forms.MultipleChoiceField):
                    # One value per choice offered, at most.
                    offered = len(field.choices)
                    stored[key] = [str(v)[:limit] for v in values[:offered]]
                else:
                    stored[key] = [str(values[-1])[:limit]]
        return stored

    # Requests ---------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def round_is_open(self):
        return self.page.status_at(timezone.now()) == RoundStatus.OPEN

    def get(self, request, *args, step=None, **kwargs):
        if not self.round_is_open():
            if self.has_started():
                self.storage.reset()
            return self.render_closed()
        form_list = self.get_form_list()
        if (
            step == self.steps.last
            and not self.has_started()
            and self.submitted_reference()
        ):
            # Back from the confirmation: the application is stored.
            return self.redirect(self.confirmation_url(self.submitted_reference()))
        first_incomplete = self.first_incomplete_step()
        if step not in form_list:
            # The start link, or an unknown step: carry on where there is
            # something left to answer.
            return self.redirect(self.get_step_url(first_incomplete))
        if self.step_index(step) > self.step_index(first_incomplete):
            return self.redirect(self.get_step_url(first_incomplete))
        if step == self.steps.last:
            lost_step = self.open_stored_files()
            if lost_step:
                return self.redirect(self.get_step_url(lost_step))
        self.storage.show_step(step)
        return self.render(self.get_form(step))

    def post(self, request, *args, step=None, **kwargs):
        if ratelimit.is_over_limit(request, "step", get_setting("STEP_RATE_LIMIT")):
            return self.render_rate_limited(get_setting("STEP_RATE_LIMIT"))
        if not self.round_is_open():
            if self.has_started():
                self.storage.reset()
            return self.render_closed(deadline_passed=True)
        form_list = self.get_form_list()
        management_form = ManagementForm(request.POST, prefix=self.prefix)
        if not management_form.is_valid():
            return self.render_expired()
        posted_step = management_form.cleaned_data["current_step"]
        if posted_step not in form_list:
            return self.redirect(self.get_step_url(self.first_incomplete_step()))
        if posted_step != self.steps.first and not self.has_started():
            if self.submitted_reference():
                # A repeat of the submission (double click, Back and submit
                # again): show what was stored, store nothing more.
                return self.redirect(self.confirmation_url(self.submitted_reference()))
            return self.render_expired()
        first_incomplete = self.first_incomplete_step()
        if self.step_index(posted_step) > self.step_index(first_incomplete):
            return self.redirect(self.get_step_url(first_incomplete))
        self.storage.current_step = posted_step
        if EMAIL_BUTTON in request.POST:
            return self.save_later_with_email()
        seen_notes = self.lost_file_notes(posted_step)
        form = self.get_form(
            posted_step, data=request.POST, files=self.files_for_post(posted_step)
        )
        self.note_lost_files()
        if "wizard_back" in request.POST:
            return self.leave_step(form, self.get_prev_step(posted_step))
        if SAVE_BUTTON in request.POST:
            return self.save_for_later(form)
        for field, name in self.lost_file_notes(posted_step).items():
            # Found gone just now: say so before going on without it.
            if field not in seen_notes and form.add_prefix(field) not in request.FILES:
                form.add_error(field, lost_file_message(name))
        if not form.is_valid():
            # A good upload is kept even when another answer must be fixed:
            # browsers do not refill file inputs.
            self.storage.set_step_files(posted_step, self.process_step_files(form))
            return self.render(form)
        self.storage.set_step_data(posted_step, self.process_step(form))
        self.storage.set_step_files(posted_step, self.process_step_files(form))
        self.mark_step(posted_step, True)
        if posted_step == self.steps.last:
            if ratelimit.is_over_limit(request, "submit", get_setting("RATE_LIMIT")):
                return self.render_rate_limited(get_setting("RATE_LIMIT"))
            lost_step = self.open_stored_files()
            if lost_step:
                if self.application_stored():
                    # A request of this wizard submitted at the same moment
                    # and removed the upload it had stored.
                    return self.confirm(self.drawn_reference)
                return self.redirect(self.get_step_url(lost_step))
            # Submit now, on this POST: formtools' named-URL wizard would
            # submit on a later GET. render_done validates every step again;
            # duplicates are left to submit_application, which knows whether
            # this session has just submitted (a double click).
            self.submitting = True
            try:
                return self.render_done(form, **kwargs)
            except (OperationalError, InterfaceError) as error:
                # The database went away mid-submit: the transaction rolled
                # back, and render_done did not get to reset the wizard, so
                # the answers (and upload) wait for the applicant to retry.
                logger.error(
                    "Submitting an application failed: the database is "
                    "unavailable (%s).",
                    type(error).__name__,
                )
                return self.render_unavailable()
        next_step = self.get_next_step(posted_step)
        if request.POST.get("wizard_return") == "review" and (
            self.first_incomplete_step() == self.steps.last
        ):
            next_step = self.steps.last
        self.storage.current_step = next_step
        return self.redirect(self.get_step_url(next_step))

    def render_done(self, form, **kwargs):
        """Validate every step again and submit, as formtools' ``render_done``
        does (on this POST, not after a redirect), except that the last
        step's form, validated on this POST, is not built again."""
        final_forms = {}
        for step in self.get_form_list():
            if step == self.steps.last:
                final_forms[step] = form
                continue
            step_form = self.get_form(
                step=step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
            if not step_form.is_valid():
                return self.render_revalidation_failure(step, step_form, **kwargs)
            final_forms[step] = step_form
        response = self.done(list(final_forms.values()), form_dict=final_forms)
        self.storage.reset()
        return response

    def leave_step(self, form, target):
        """Keep what was typed, valid or not, and show ``target``."""
        step = self.steps.current
        valid = form.is_valid()
        self.storage.set_step_data(step, self.process_step(form))
        self.storage.set_step_files(step, self.process_step_files(form))
        self.mark_step(step, valid and not self.lost_file_notes(step))
        first_incomplete = self.first_incomplete_step()
        if target is None or self.step_index(target) > self.step_index(
            first_incomplete
        ):
            target = step if target is None else first_incomplete
        self.storage.current_step = target
        return self.redirect(self.get_step_url(target))

    def render_revalidation_failure(self, step, form, **kwargs):
        """A step that passed before no longer does (the privacy notice or
        the faculties changed): show it with its errors."""
        self.mark_step(step, False)
        self.storage.current_step = step
        return self.render(form)

    def done(self, form_list, form_dict=None, **kwargs):
        answers = {}
        editor_answers = {}
        for form in form_list:
            answers.update(form.cleaned_data)
            if hasattr(form, "stored_answers"):
                editor_answers.update(form.stored_answers())
        # ``Application.answers`` keeps yes/no as the form's "yes"/"no" (as
        # before), dates and numbers as text; the snapshot has them typed.
        answers.update(
            {k: v for k, v in editor_answers.items() if not isinstance(v, bool)}
        )
        derive_track(answers, self.role)
        if any(form.cleaned_data.get("website") for form in form_list):
            return self.discard_as_bot()
        language = get_language()
        try:
            application = submit_application(
                **self.snapshot_of(editor_answers),
                programme_round=self.page.get_source_round(),
                role=self.role,
                answers=answers,
                language=answers.get("language") or language,
                form_language=language,
                privacy_notice_version=(
                    f"{language}-r{self.page.live_revision_id or 0}-"
                    f"{answers.get('notice_version', '')}"
                ),
                attachment=answers.get("attachment"),
                reference=self.drawn_reference,
            )
        except RoundNotOpen:
            return self.render_closed(deadline_passed=True)
        except DuplicateApplication as duplicate:
            reference = duplicate.existing_reference
            if reference and (
                reference == self.drawn_reference
                or reference in self.submitted_references()
            ):
                # Made by this wizard: by a request that ran at the same
                # moment, or one whose response never arrived.
                return self.confirm(reference)
            return render_page(
                self.request,
                self.page,
                "duplicate.html",
                {"title": role_title(self.role), "role": self.role},
                status=409,
            )
        return self.confirm(application.reference)

    def snapshot_of(self, editor_answers):
        """The snapshot of the answers to the round's form, for
        ``submit_application``: the questions as they were asked, also for
        a round without a form (the seed's default form, which has no
        translation key to record)."""
        state = self._form_state
        if not state:
            return {}
        entries = snapshot.with_values(
            asked_questions_for_state(
                state, self.role, functools.partial(question_label, self.role)
            ),
            editor_answers,
        )
        if not state.get("key"):
            return {"answer_snapshot": entries}
        return {
            "answer_snapshot": entries,
            "form_translation_key": uuid.UUID(state["key"]),
        }

    def discard_as_bot(self):
        """Look like a normal submission, store nothing."""
        return self.confirm(Application.new_reference(timezone.now()))

    def submitted_references(self):
        return self.request.session.get(SUBMITTED_SESSION_KEY, [])

    def submitted_reference(self):
        """The reference of the application this wizard (round and role)
        submitted in this session, if any."""
        wizards = self.request.session.get(SUBMITTED_WIZARDS_SESSION_KEY, {})
        return wizards.get(self.prefix)

    def confirm(self, reference):
        self.close_draft()
        # Only this session may see the confirmation of its application.
        references = [r for r in self.submitted_references() if r != reference]
        self.request.session[SUBMITTED_SESSION_KEY] = [*references, reference][-10:]
        wizards = dict(self.request.session.get(SUBMITTED_WIZARDS_SESSION_KEY, {}))
        wizards.pop(self.prefix, None)
        wizards[self.prefix] = reference
        self.request.session[SUBMITTED_WIZARDS_SESSION_KEY] = dict(
            list(wizards.items())[-10:]
        )
        return self.redirect(self.confirmation_url(reference))

    def confirmation_url(self, reference):
        return self.page_url + self.page.reverse_subpage(
            "apply_done", kwargs={"role": self.role, "reference": reference}
        )

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        form_list = self.get_form_list()
        valid_steps = set(self.valid_steps)
        first_incomplete = self.first_incomplete_step()
        reachable = list(form_list)[: self.step_index(first_incomplete) + 1]
        steps = [
            {
                "name": name,
                "title": form_class.title,
                "number": number,
                "url": self.get_step_url(name) if name in reachable else None,
                "current": name == step,
                "done": name in valid_steps,
            }
            for number, (name, form_class) in enumerate(form_list.items(), start=1)
        ]
        form.prepare_for_display()
        context.update(
            {
                "page": self.page,
                "self": self.page,
                "round": self.page,
                "role": self.role,
                "form_intro": self.page.form_intro_for(self.role),
                "title": role_title(self.role),
                "step_list": steps,
                "step_number": self.step_index(step) + 1,
                "step_count": len(form_list),
                "step_title": form_list[step].title,
                "is_review": step == self.steps.last,
                "back_allowed": step != self.steps.first,
                "return_to_review": self.request.GET.get("return") == "review"
                or self.request.POST.get("wizard_return") == "review",
                "stored_files": self.stored_file_names(step),
                "error_list": error_list(form),
            }
        )
        if not form.is_bound:
            for field, name in self.lost_file_notes(step).items():
                if field in form.fields:
                    context["error_list"].append(
                        (
                            form[field].auto_id,
                            str(form[field].label).rstrip(".:"),
                            lost_file_message(name),
                        )
                    )
        context["step_intro"] = getattr(form_list[step], "intro", "")
        if "accept_privacy" in form.fields:
            context["show_privacy_notice"] = True
            context["privacy_notice"] = self.page.privacy_notice
        if step == self.steps.last:
            context["sections"] = self.review_sections(form_list)
        return context

    def review_sections(self, form_list):
        sections = []
        for name in list(form_list)[:-1]:
            form = self.get_form(
                name,
                data=self.storage.get_step_data(name),
                files=self.storage.get_step_files(name),
            )
            # Showing the answers; the submission checks duplicates again.
            form.check_duplicates = False
            values = form.cleaned_data if form.is_valid() else {}
            sections.append(
                {
                    "title": form.title,
                    "rows": form.describe(values),
                    "change_url": self.get_step_url(name) + "?return=review",
                }
            )
        return sections


class MenteeApplicationWizard(ApplicationWizardView):
    role = Application.Role.MENTEE


class MentorApplicationWizard(ApplicationWizardView):
    role = Application.Role.MENTOR


# formtools wants a form list when the view is made: the default form's;
# every request asks the steps of the round's form (``get_form_list``).
WIZARDS = {
    view.role: view.as_view(
        form_list=with_matching_step(default_step_list(view.role)),
        url_name="apply_step",
    )
    for view in (MenteeApplicationWizard, MentorApplicationWizard)
}


__all__ = ["application_confirmation", "application_wizard"]


def application_wizard(request, page, role, step=None):
    if role not in WIZARDS:
        raise Http404
    return WIZARDS[role](request, page=page, step=step)
