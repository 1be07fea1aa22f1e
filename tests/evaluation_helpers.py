"""Builders for the evaluation tests: a running round asking the default
evaluation form, its participants, and valid answers."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mentoring_cms.models import RoundEvaluation
from mentoring_cms.outcomes.evaluation import form_for, submit_evaluation
from mentoring_cms.outcomes.evaluation_defaults import ensure_default_evaluation_form
from mentoring_cms.participation.links import make_token

# A valid POST of the default form: every required question answered.
VALID = {
    "overall": "very_good",
    "gatherings_useful": "useful",
    "meetings_useful": "very_useful",
    "meetings_held": "8",
    "recommend": "yes",
    "change": "Flere samlinger.",
}


def ask_evaluation(programme_round, opens_in=-1, closes_in=10):
    """The round asks the default evaluation form from ``opens_in`` to
    ``closes_in`` days from today."""
    today = timezone.localdate()
    return RoundEvaluation.objects.create(
        round=programme_round,
        form=ensure_default_evaluation_form(),
        opens_on=today + datetime.timedelta(days=opens_in),
        closes_on=today + datetime.timedelta(days=closes_in),
    )


def evaluation_url(application):
    return reverse(
        "mentoring_cms:personal_evaluation", kwargs={"token": make_token(application)}
    )


def answer(application, **values):
    """Store ``application``'s answers through the operation (stored values,
    see ``questions.fields.stored_value``)."""
    evaluation = RoundEvaluation.objects.get(round_id=application.round_id)
    _form, schemas = form_for(evaluation, "nb")
    stored = {
        "overall": "good",
        "gatherings_useful": "useful",
        "meetings_useful": "useful",
        "meetings_held": "8",
        "recommend": True,
        "change": "",
    }
    stored.update(values)
    return submit_evaluation(application, stored, schemas=schemas)
