"""The default end-of-round evaluation form, in Norwegian and English.

Short on purpose (the seed's evaluation took participants five minutes):
the programme overall, the gatherings, the mentor–mentee meetings, how many
meetings there were, whether they would recommend it, and what to change.
Created for a new site by ``setup_programme`` and by the demo content
(``ensure_default_evaluation_form``); editors change it like any snippet.
"""

import uuid

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale

from ..models import EvaluationForm

NAME = ("Evaluering av runden", "Evaluation of the round")
STEP_TITLE = ("Evaluering", "Evaluation")
STEP_INTRO = (
    "Svarene er anonyme: de lagres uten navn, og HR ser bare samlede tall.",
    "Your answers are anonymous: they are stored without your name, and HR "
    "only sees totals.",
)
GOOD_SCALE = [
    ("very_good", ("Svært godt", "Very good")),
    ("good", ("Godt", "Good")),
    ("fair", ("Middels", "Fair")),
    ("poor", ("Dårlig", "Poor")),
    ("very_poor", ("Svært dårlig", "Very poor")),
]
USEFUL_SCALE = [
    ("very_useful", ("Svært nyttige", "Very useful")),
    ("useful", ("Nyttige", "Useful")),
    ("somewhat_useful", ("Litt nyttige", "Somewhat useful")),
    ("not_useful", ("Ikke nyttige", "Not useful")),
]

# identifier: (type, label, help text, required, extra)
QUESTIONS = {
    "overall": (
        "single_choice",
        (
            "Hvordan vurderer du programmet alt i alt?",
            "How do you rate the programme overall?",
        ),
        ("", ""),
        True,
        {"choices": GOOD_SCALE},
    ),
    "gatherings_useful": (
        "single_choice",
        ("Hvor nyttige var samlingene?", "How useful were the gatherings?"),
        ("", ""),
        True,
        {"choices": USEFUL_SCALE},
    ),
    "meetings_useful": (
        "single_choice",
        (
            "Hvor nyttige var møtene med mentoren eller adepten din?",
            "How useful were the meetings with your mentor or mentee?",
        ),
        ("", ""),
        True,
        {"choices": USEFUL_SCALE},
    ),
    "meetings_held": (
        "number",
        (
            "Omtrent hvor mange møter hadde dere?",
            "About how many meetings did you have?",
        ),
        ("", ""),
        False,
        {"min_value": "0", "max_value": "50"},
    ),
    "recommend": (
        "yes_no",
        (
            "Vil du anbefale programmet til en kollega?",
            "Would you recommend the programme to a colleague?",
        ),
        ("", ""),
        True,
        {},
    ),
    "change": (
        "long_text",
        ("Hva bør vi endre?", "What should we change?"),
        (
            "Ikke skriv navn eller annet som kan identifisere deg eller andre.",
            "Please do not write names or anything else that could identify you "
            "or others.",
        ),
        False,
        {"limit": 2000},
    ),
}

LANGUAGES = ("nb", "en")


def _pick(pair, language):
    return pair[LANGUAGES.index(language)] if language in LANGUAGES else pair[0]


def english_pairs():
    """``{Norwegian text: English text}`` of every text of the default form
    (for the demo content's wagtail-localize translation)."""
    pairs = [NAME, STEP_TITLE, STEP_INTRO]
    for _kind, label, help_text, _required, extra in QUESTIONS.values():
        pairs += [label, help_text]
        pairs += [text for _id, text in extra.get("choices", [])]
    return {nb: en for nb, en in pairs if nb}


def default_body(language="nb"):
    """The raw StreamField JSON of the default evaluation form in
    ``language`` ("nb" or "en"): one step with the questions above."""
    blocks = []
    for identifier, (kind, label, help_text, required, extra) in QUESTIONS.items():
        value = {
            "identifier": identifier,
            "label": _pick(label, language),
            "help_text": _pick(help_text, language),
            "required": required,
        }
        if kind == "long_text":
            value.update({"limit": extra["limit"], "limit_unit": "characters"})
        if kind == "number":
            value.update(
                {"min_value": extra["min_value"], "max_value": extra["max_value"]}
            )
        if "choices" in extra:
            value["choices"] = [
                {"type": "item", "id": choice_id, "value": _pick(text, language)}
                for choice_id, text in extra["choices"]
            ]
        blocks.append({"type": kind, "id": f"evaluation-{identifier}", "value": value})
    return [
        {
            "type": "step",
            "id": "evaluation",
            "value": {
                "title": _pick(STEP_TITLE, language),
                "intro": _pick(STEP_INTRO, language),
                "questions": blocks,
            },
        }
    ]


def default_name(language="nb"):
    return _pick(NAME, language)


def ensure_default_evaluation_form():
    """The default evaluation form in the default language, created with a
    copy in every other language of ``settings.LANGUAGES`` (the same
    translation key) unless a form of that name exists. Returns the form in
    the default language."""
    source_code = settings.LANGUAGE_CODE
    with transaction.atomic():
        locale, _created = Locale.objects.get_or_create(language_code=source_code)
        form = EvaluationForm.objects.filter(
            locale=locale, name=default_name(source_code)
        ).first()
        if form is not None:
            return form
        key = uuid.uuid4()
        form = EvaluationForm.objects.create(
            translation_key=key,
            locale=locale,
            name=default_name(source_code),
            body=default_body(source_code),
        )
        for code, _name in settings.LANGUAGES:
            if code == source_code:
                continue
            other, _created = Locale.objects.get_or_create(language_code=code)
            EvaluationForm.objects.create(
                translation_key=key,
                locale=other,
                name=default_name(code),
                body=default_body(code),
            )
    return form
