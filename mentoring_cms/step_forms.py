"""The wizard's steps built from a round's application form.

Each step of an ``ApplicationForm`` becomes a step form class: the core
questions it places keep their fields and rules from the code-defined step
forms in ``forms`` (the duplicate check on the email, the qualifying
positions, the permanent position, the PDF check, the privacy notice…), with
the editor's wording where the editor gave one; the editor's questions get
their fields from ``questions.fields``. ``steps_for_form`` gives the
wizard's ``form_list``; a round without a form of its own or its programme's
asks the seed's default form (``questions.defaults``) the same way, so that
its questions are worded in one place only.
"""

import functools
import hashlib
import json
import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from . import forms as step_forms
from . import page_cache
from .questions import defaults, schema, snapshot
from .questions import fields as question_fields

logger = logging.getLogger(__name__)

# How long a round's form is kept in the cache at most; any change of a form
# or a page empties it before (``page_cache.invalidate``).
FORM_STATE_SECONDS = 3600

CORE_FORMS = {
    schema.MENTEE: step_forms.MenteePositionForm,
    schema.MENTOR: step_forms.MentorPositionForm,
}
ABOUT_KEYS = ("full_name", "email", "phone", "language")
CONSENT_KEYS = ("confirm_gatherings", "confirm_meetings", "accept_privacy")
# Fields of the form's machinery, kept by every step that has them.
MACHINERY = ("website", "notice_version")


def core_form_class(role, key):
    """The code-defined step form whose field and rules ask the core
    question ``key`` of ``role``."""
    if key in ABOUT_KEYS:
        return step_forms.AboutYouForm
    if key in CONSENT_KEYS:
        return step_forms.ConsentForm
    return CORE_FORMS[role]


class SchemaStepForm:
    """Mixed in front of the core step forms a step needs: keeps the
    fields of the step's questions, in the step's order, adds the editor's
    questions and rewords the core ones."""

    questions = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        ordered = {"website": fields["website"]}
        for question in self.questions:
            if question.is_core:
                field = fields[question.id]
                if question.label:
                    field.label = question.label
                if question.help_text:
                    field.help_text = question.help_text
            else:
                # Declared on the class (``step_form_class``): a copy.
                field = fields[question.id]
            ordered[question.id] = field
        if "notice_version" in fields:
            ordered["notice_version"] = fields["notice_version"]
        self.fields = ordered

    @property
    def editor_questions(self):
        return [question for question in self.questions if not question.is_core]

    def stored_answers(self):
        """The cleaned answers to the editor's questions as the snapshot
        keeps them (``questions.fields.stored_value``)."""
        return {
            question.id: question_fields.stored_value(
                question, self.cleaned_data.get(question.id)
            )
            for question in self.editor_questions
        }

    def display_value(self, name, field, value):
        question = next((q for q in self.editor_questions if q.id == name), None)
        if question is None:
            return super().display_value(name, field, value)
        entry = snapshot.take_snapshot(
            {
                get_language(): schema.FormSchema(
                    steps=(schema.Step("", "", "", (question,)),)
                )
            },
            {name: question_fields.stored_value(question, value)},
            source_language=get_language(),
        )[0]
        return snapshot.answer_text(entry, get_language())


def step_slug(role, step, index):
    """The step's name in the wizard's URLs and in an applicant's stored
    answers (``str``): the default forms' steps keep their names
    (``about``, ``motivation``…); a step an editor added is named after the
    first eight characters of its block id (``step-3f2a9c1e``), which stays
    the same when steps are reordered or reworded and in every translation
    of the form (wagtail-localize keeps block ids), so an applicant who is
    half-way keeps her answers. ``index`` (1-based) names a step without an
    id."""
    prefix = f"{role}-"
    if step.id.startswith(prefix):
        return step.id[len(prefix) :]
    key = "".join(char for char in step.id.lower() if char.isascii() and char.isalnum())
    return f"step-{key[:8] or index}"


def step_form_class(role, step):
    """A form class asking ``step`` (``questions.schema.Step``) of ``role``.

    The editor's questions are declared fields of the class, built in the
    active language (``step_list_for_state`` builds under the page's): each
    form gets its copy, as of any declared field, instead of building them
    again."""
    bases = []
    for question in step.questions:
        if question.is_core:
            base = core_form_class(role, question.id)
            if base not in bases:
                bases.append(base)
    if not bases:
        bases.append(step_forms.StepForm)
    return type(
        "SchemaStepForm",
        (SchemaStepForm, *bases),
        {
            "title": step.title,
            "intro": step.intro,
            "questions": step.questions,
            "core_keys": frozenset(q.id for q in step.questions if q.is_core),
            "__module__": __name__,
            **{
                question.id: question_fields.form_field(question)
                for question in step.questions
                if not question.is_core
            },
        },
    )


def steps_for_form(role, form_schema):
    """The wizard's ``(step name, form class)`` pairs for ``form_schema``,
    then the review."""
    steps, used = [], {"review"}
    for index, step in enumerate(form_schema.steps, start=1):
        name = step_slug(role, step, index)
        if name in used:
            # Two ids that agree in their first characters: the later step
            # takes its place as well, so that every name is unique.
            name = f"{name}-{index}"
        used.add(name)
        steps.append((name, step_form_class(role, step)))
    return [*steps, ("review", step_forms.ReviewForm)]


def form_version(bodies):
    """A short fingerprint of a form's ``bodies`` (``{language: raw
    StreamField JSON}``): what the built step lists are kept under."""
    text = json.dumps(bodies, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _query_form_state(page, role):
    forms = page.application_forms_for(role)
    if not forms:
        return {}
    bodies = {form.locale.language_code: list(form.body.raw_data) for form in forms}
    return {
        "key": str(forms[0].translation_key),
        "bodies": bodies,
        "version": form_version(bodies),
    }


@functools.cache
def default_form_state(role):
    """The form state (shaped as ``round_form_state``'s) of the seed's
    default form of ``role`` in every language it is written in
    (``questions.defaults.default_body``), without a translation key: no
    ``ApplicationForm`` holds it. What a round asks when neither it nor its
    programme names a form. Built once; not to be changed by callers."""
    bodies = {
        language: defaults.default_body(role, language)
        for language in defaults.LANGUAGES
    }
    return {"key": None, "bodies": bodies, "version": form_version(bodies)}


def default_step_list(role, language=None):
    """The wizard's ``(step name, form class)`` pairs of the seed's default
    form of ``role`` in ``language`` (else the site's default language):
    the steps a round without a form asks."""
    return step_list_for_state(
        role, default_form_state(role), language or settings.LANGUAGE_CODE
    )


# What is built from a version of a form (step classes, parsed schemas,
# snapshot questions), so that a request does not build it again; each
# store keeps at most STEP_LISTS_KEPT entries.
STEP_LISTS_KEPT = 64
_STEP_LISTS = {}
_SCHEMAS = {}
_ASKED = {}


def _kept(store, version, key, build):
    """``build()``, kept in ``store`` under ``key`` when the form has a
    ``version`` (a state without one is built every time); a full store is
    emptied first."""
    if not version:
        return build()
    value = store.get(key)
    if value is None:
        value = build()
        if len(store) >= STEP_LISTS_KEPT:
            store.clear()
        store[key] = value
    return value


def step_list_for_state(role, state, language):
    """The wizard's ``(step name, form class)`` pairs for a form state of
    ``round_form_state`` in ``language`` (else the site's default one, else
    English), built once per version of the form."""

    def build():
        bodies = state["bodies"]
        # The page's language, else the site's default one, else English
        # (the seed's default form is written in nb and en only), else any.
        chosen = next(
            (
                code
                for code in (language, settings.LANGUAGE_CODE, "en")
                if bodies.get(code)
            ),
            next(iter(bodies)),
        )
        # Messages of the editor's questions in the page's language.
        with translation.override(language):
            return steps_for_form(role, schemas_for_state(state)[chosen])

    version = state.get("version")
    return _kept(_STEP_LISTS, version, (role, version, language), build)


def schemas_for_state(state):
    """``{language code: questions.schema.FormSchema}`` of a form state of
    ``round_form_state``, parsed once per version of the form; ``{}`` for a
    round without a form."""
    if not state:
        return {}
    version = state.get("version")
    return _kept(
        _SCHEMAS,
        version,
        version,
        lambda: {
            language: schema.schema_from_raw(body)
            for language, body in state["bodies"].items()
        },
    )


def asked_questions_for_state(state, role, core_label):
    """``questions.snapshot.asked_questions`` of a form state of
    ``round_form_state`` for ``role`` (``core_label`` words its core
    questions), built once per version of the form and role; callers add the
    values with ``snapshot.with_values`` and never change the list."""
    version = state.get("version")
    return _kept(
        _ASKED,
        version,
        (version, role),
        lambda: snapshot.asked_questions(
            schemas_for_state(state), core_label=core_label
        ),
    )


def round_form_state(page, role):
    """The form applicants in ``role`` answer in the round ``page``, in
    every language: ``{"key": translation key, "bodies": {language: raw
    StreamField JSON}}``; for a round without a form (neither its own nor
    its programme's) the seed's default form, ``default_form_state``. Kept
    in the page cache's Django cache under its generation, so that no step
    of the wizard queries it while nothing changed; one query otherwise."""
    try:
        cache = page_cache.get_cache()
        key = (
            f"{page_cache.key_prefix()}:application-form:"
            f"{page_cache.current_generation(cache)}:{page.pk}:{role}"
        )
        state = cache.get(key)
    except Exception:  # a cache that is down costs the query
        logger.warning("The cache could not be read for an application form.")
        return _query_form_state(page, role) or default_form_state(role)
    if state is None:
        state = _query_form_state(page, role)
        try:
            cache.set(key, state, FORM_STATE_SECONDS)
        except Exception:
            logger.warning("The cache could not keep an application form.")
    return state or default_form_state(role)


def multiple_choice_names(form_class):
    """The names of the questions of ``form_class`` answered with several
    values (an editor's multiple choice)."""
    return {
        question.id
        for question in getattr(form_class, "questions", ())
        if question.type == "multiple_choice"
    }


def asks(form_class, name):
    """Whether a step's form class asks question ``name``: a declared field,
    or a question of an editor-built step (``step_form_class``)."""
    return name in getattr(form_class, "base_fields", {}) or any(
        getattr(question, "id", None) == name
        for question in getattr(form_class, "questions", ())
    )
