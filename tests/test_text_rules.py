"""The text rules of every form of mentoring_cms, tested as a kind: each
``forms.CharField`` of each form class defined in the package refuses text
made only of invisible characters when it is required, refuses direction
overrides (U+202E), and takes a text with browser (CRLF) line breaks up to
its ``max_length``, counting a line break as one character and storing it
as ``\\n``. A form class added without the rules (``validators.Form``,
``validators.ModelForm`` or ``InvisibleCharactersMixin``) fails here."""

import importlib
import pkgutil
import sys
from types import SimpleNamespace

import pytest
from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form

import mentoring_cms
from mentoring_cms.document_forms import CheckedDocumentForm
from mentoring_cms.questions import schema
from mentoring_cms.step_forms import step_form_class
from mentoring_cms.validators import (
    InvisibleCharactersMixin,
    clean_text,
    normalise_line_breaks,
)

pytestmark = pytest.mark.django_db

# Wagtail's page editor forms: their rich text fields carry Draftail's
# contentstate (JSON with character offsets), which removing characters
# would corrupt; editors' page text is checked by Wagtail itself.
PAGE_EDITOR_FORMS = {"FactsPageForm", "RoundPageForm", "SessionPageForm"}
# Bases only used through their subclasses (checked instead).
ABSTRACT_BASES = {"PositionForm": {"MenteePositionForm", "MentorPositionForm"}}


def form_classes():
    """Every form class defined at the top level of a mentoring_cms module
    (imported here, so none is missed)."""
    for info in pkgutil.walk_packages(mentoring_cms.__path__, "mentoring_cms."):
        if ".migrations" in info.name or info.name.endswith(".apps"):
            continue
        importlib.import_module(info.name)
    seen, todo, found = set(), [forms.BaseForm], []
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            todo.append(sub)
            module = sys.modules.get(sub.__module__)
            if (
                sub.__module__.startswith("mentoring_cms")
                and sub.__module__ != "mentoring_cms.validators"  # the bases
                and getattr(module, sub.__name__, None) is sub
            ):
                found.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def editor_questions_step():
    return schema.Step(
        id="step-editor",
        title="Mer",
        questions=(
            schema.Question(
                id="q-long", type=schema.LONG_TEXT, label="Lang", limit=2000
            ),
            schema.Question(
                id="q-short", type=schema.SHORT_TEXT, label="Kort", limit=100
            ),
            schema.Question(
                id="q-url", type=schema.URL, label="Nettside", required=False
            ),
        ),
    )


def build(cls, data, open_round):
    """An instance of ``cls`` bound to ``data``, with the arguments its
    views give it."""
    step_kwargs = {"round": open_round, "role": "mentee", "faculties": []}
    criterion = SimpleNamespace(pk=7, scale_min=1, scale_max=5, localized="Faglig")
    application = SimpleNamespace(
        get_status_display=lambda: "Submitted", allowed_transitions=lambda: []
    )
    special = {
        "ReviewForm": {"criteria": [criterion]},
        "DecisionForm": {"application": application},
        "EvaluationAnswerForm": {
            "form_schema": schema.FormSchema(steps=(editor_questions_step(),))
        },
    }
    if cls is CheckedDocumentForm:
        return get_document_form(get_document_model())(data)
    if issubclass(cls, InvisibleCharactersMixin) and hasattr(
        cls, "visible_answer_fields"
    ):
        return cls(data, **step_kwargs)
    if (
        cls.__module__ == "mentoring_cms.admin.selection_forms"
        and cls.__name__ == "ReviewForm"
    ):
        return cls(data, **special["ReviewForm"])
    return cls(data, **special.get(cls.__name__, {}))


def text_at_limit(field):
    """A text of exactly ``field.max_length`` characters, counting each line
    break as one: CRLF-broken lines for a text area, one line otherwise."""
    limit = field.max_length
    if not isinstance(field.widget, forms.Textarea):
        return "1" * limit  # passes format rules (a phone number) too
    line = "y" * 48
    lines = []
    while sum(len(each) + 1 for each in lines) + len(line) + 1 <= limit:
        lines.append(line)
    text = "\r\n".join(lines)
    text += "\r\n" + "z" * (limit - len(normalise_line_breaks(text)) - 1)
    assert len(normalise_line_breaks(text)) == limit
    return text


def cases(open_round):
    """(name, form class, field name, field) of every CharField."""
    skipped = PAGE_EDITOR_FORMS | set(ABSTRACT_BASES)
    classes = [cls for cls in form_classes() if cls.__name__ not in skipped]
    classes.append(step_form_class("mentee", editor_questions_step()))
    for cls in classes:
        form = build(cls, {}, open_round)
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField) and not field.disabled:
                yield f"{cls.__module__}.{cls.__name__}.{name}", cls, name, field


def field_errors(cls, name, value, open_round):
    form = build(cls, {}, open_round)
    form = build(cls, {form.add_prefix(name): value}, open_round)
    form.is_valid()
    return form, form.errors.as_data().get(name, [])


def test_every_form_class_is_found_and_page_forms_are_the_only_exceptions():
    found = form_classes()
    names = {cls.__name__ for cls in found}
    assert {"AbsenceForm", "GroupEmailForm", "NominationForm", "ConflictForm"} <= names
    assert {"EvaluationAnswerForm", "StepForm", "NoteForm", "ReviewForm"} <= names
    exempt = {cls.__name__ for cls in found if issubclass(cls, WagtailAdminPageForm)}
    assert exempt == PAGE_EDITOR_FORMS
    for subclasses in ABSTRACT_BASES.values():
        assert subclasses <= names


def test_every_text_field_follows_the_text_rules(open_round):
    failures = []
    checked = 0
    for label, cls, name, field in cases(open_round):
        checked += 1
        if field.required:
            _, errors = field_errors(cls, name, "\u200b\u200d\ufeff", open_round)
            if not any(error.code == "required" for error in errors):
                failures.append(f"{label}: invisible-only text accepted")
        _, errors = field_errors(cls, name, "ab\u202ecd", open_round)
        codes = [error.code for error in errors]
        if isinstance(field, forms.UUIDField):
            codes = ["control_characters"] if codes == ["invalid"] else codes
        if codes != ["control_characters"]:
            failures.append(f"{label}: U+202E gives {[e.messages for e in errors]}")
        _, errors = field_errors(cls, name, "Kari\x00Nordmann", open_round)
        if len(errors) != 1:
            failures.append(f"{label}: NUL gives {len(errors)} messages")
        if field.max_length and type(field) is forms.CharField:
            text = text_at_limit(field)
            form, errors = field_errors(cls, name, text, open_round)
            if errors:
                failures.append(f"{label}: text at max_length refused: {errors}")
            elif "\r" in form.cleaned_data.get(name, ""):
                failures.append(f"{label}: CR kept in the cleaned text")
    assert checked > 30
    assert not failures, "\n".join(failures)


def test_line_breaks_count_as_one_and_are_stored_as_newlines():
    assert normalise_line_breaks("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("a\u200b\r\nb") == "a\nb"
    assert normalise_line_breaks(None) is None
