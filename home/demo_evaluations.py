"""The demo's end-of-round evaluation: the default evaluation form in
Norwegian with its English translation (through wagtail-localize, like the
application forms), the 2022 round's evaluation window, and anonymous
answers from most of its participants, so that HR's results page shows
figures straight away."""

import datetime
import random

from mentoring_cms.models import (
    Application,
    EvaluationAnswer,
    EvaluationForm,
    RoundEvaluation,
)
from mentoring_cms.outcomes import evaluation_defaults as defaults
from mentoring_cms.outcomes.evaluation import form_for, submit_evaluation

# Share of each round's participants who answered, and the weights of the
# answers (the better answers more common, as in the seed's survey).
ANSWER_SHARE = 0.7
CHANGES = [
    "Flere samlinger på tvers av fakulteter.",
    "Mer tid til erfaringsutveksling i gruppene.",
    "Tydeligere forventninger til møtene i starten.",
    "Et eget opplegg for søknad om opprykk.",
    "",
    "",
]


def load_evaluation_form(translator, nb, en):
    """The default evaluation form in ``nb`` and its translation into
    ``en``; returns the Norwegian form."""
    translator.english.update(defaults.english_pairs())
    form = EvaluationForm.objects.filter(
        locale=nb, name=defaults.default_name("nb")
    ).first()
    if form is None:
        form = EvaluationForm.objects.create(
            locale=nb,
            name=defaults.default_name("nb"),
            body=defaults.default_body("nb"),
        )
    translator.translate(form, en)
    return form


def _values(rng, form_schema):
    values = {}
    for question in form_schema.editor_questions():
        if question.type == "single_choice":
            choices = [choice.value for choice in question.choices]
            weights = list(range(len(choices), 0, -1))
            values[question.id] = rng.choices(choices, weights=weights)[0]
        elif question.type == "yes_no":
            values[question.id] = rng.random() < 0.85
        elif question.type == "number":
            values[question.id] = str(rng.randint(5, 11))
        elif question.type == "long_text":
            values[question.id] = rng.choice(CHANGES)
    return values


def load_round_evaluation(programme_round, form, *, seed=2023):
    """The evaluation of ``programme_round`` (opens the day it ends, open
    for a month) and answers from about 70 % of its accepted participants,
    each with her receipt; nothing when the round has answers already.
    Returns the number of answers created."""
    opens_on = programme_round.period_end
    evaluation, _created = RoundEvaluation.objects.get_or_create(
        round=programme_round,
        defaults={
            "form": form,
            "opens_on": opens_on,
            "closes_on": opens_on + datetime.timedelta(days=30),
        },
    )
    if EvaluationAnswer.objects.filter(round=programme_round).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    _form, schemas = form_for(evaluation, "nb")
    form_schema = schemas.get("nb") or form.schema
    participants = Application.objects.filter(
        round=programme_round,
        status=Application.Status.ACCEPTED,
        anonymised_at__isnull=True,
        evaluation_receipt__isnull=True,
    ).order_by("pk")
    created = 0
    for application in participants:
        if rng.random() > ANSWER_SHARE:
            continue
        submit_evaluation(
            application,
            _values(rng, form_schema),
            schemas=schemas,
            day=evaluation.opens_on + datetime.timedelta(days=rng.randint(0, 20)),
        )
        created += 1
    return created
