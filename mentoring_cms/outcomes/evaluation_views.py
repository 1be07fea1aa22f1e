"""The participant's evaluation page, reached from her personal page and
from the invitation email with her personal link
(``personal/<token>/evaluation/``).

The token names her application (``participation.links``); the page runs in
her correspondence language, and the questions are asked in that language
when the form has been translated into it. Refusals (not a participant, no
evaluation, not open yet, closed, answered already) get a page that says so
and stores nothing.
"""

from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_http_methods

from ..participation.gatherings import localized_round
from ..participation.links import personal_path
from ..participation.views import keep_language, render, with_application
from .evaluation import (
    ALREADY_ANSWERED,
    EvaluationRefused,
    check_can_answer,
    evaluation_of,
    form_for,
    submit_evaluation,
)
from .evaluation_forms import EvaluationAnswerForm

REFUSAL_STATUS = {ALREADY_ANSWERED: 409}


@require_http_methods(["GET", "POST"])
@with_application
def evaluation(request, application, token):
    """Ask the round's evaluation (GET) and store the answers (POST)."""
    language = translation.get_language()
    context = {
        "application": application,
        "round": localized_round(application.round, language),
        "page_url": personal_path(application),
    }
    evaluation_ = evaluation_of(application.round)
    try:
        check_can_answer(application, evaluation_)
    except EvaluationRefused as refusal:
        return _refused(request, context, refusal)
    form_obj, schemas = form_for(evaluation_, language)
    form = EvaluationAnswerForm(
        request.POST if request.method == "POST" else None,
        form_schema=form_obj.schema,
    )
    if request.method == "POST" and form.is_valid():
        try:
            submit_evaluation(application, form.stored_values(), schemas=schemas)
        except EvaluationRefused as refusal:
            return _refused(request, context, refusal)
        return redirect(
            keep_language(request, personal_path(application) + "?done=evaluation")
        )
    context.update(
        {
            "form": form,
            "steps": form.steps(),
            "error_list": form.error_list() if form.is_bound else [],
            "evaluation": evaluation_,
        }
    )
    status = 400 if form.is_bound else 200
    return render(request, "evaluation.html", context, status=status)


def _refused(request, context, refusal):
    context["refusal"] = refusal.message
    context["refusal_code"] = refusal.code
    status = REFUSAL_STATUS.get(refusal.code, 403)
    return render(request, "evaluation_refused.html", context, status=status)
