"""Answering a round's evaluation: who may, when, and storing it anonymously.

Rules (issue 17), all enforced here so that every view goes through them:

* only accepted participants of the round (mentees and mentors) answer; a
  withdrawn, rejected, waiting or anonymised application does not;
* the round must ask an evaluation (``RoundEvaluation``), and today (Oslo)
  must lie between its opening and closing days, both included;
* each application answers once: the ``EvaluationReceipt`` and the
  anonymous ``EvaluationAnswer`` are written in one transaction, under a
  row lock on the application, and the receipt's unique key refuses a
  second answer that slips past the check.

The answer keeps only the round, the role, the day and the answers (see
``models.evaluation``).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import (
    Application,
    EvaluationAnswer,
    EvaluationReceipt,
    RoundEvaluation,
)
from ..models.questions import pick_translation
from ..questions import snapshot

NOT_PARTICIPANT = "not_participant"
NO_EVALUATION = "no_evaluation"
NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
ALREADY_ANSWERED = "already_answered"


class EvaluationRefused(Exception):
    """The person cannot answer (now); ``code`` says why (one of the names
    above) and ``message`` says it in the active language. Nothing was
    stored."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def evaluation_of(programme_round):
    """The ``RoundEvaluation`` of ``programme_round`` (the round in the
    default language) with its form, or None (one query)."""
    return (
        RoundEvaluation.objects.filter(round_id=programme_round.pk)
        .select_related("form")
        .first()
    )


def form_for(evaluation, language):
    """``(form in language, {language: FormSchema})`` of ``evaluation``'s
    form: the translation into ``language`` when there is one, else the
    default language's (one query)."""
    forms = evaluation.forms()
    form = pick_translation(forms, None, language) or evaluation.form
    schemas = {item.locale.language_code: item.schema for item in forms} or {
        form.locale.language_code: form.schema
    }
    return form, schemas


def _date(day):
    return formats.date_format(day, "DATE_FORMAT")


def check_can_answer(application, evaluation, day=None):
    """Raise ``EvaluationRefused`` unless ``application`` may answer
    ``evaluation`` (a ``RoundEvaluation`` or None) on ``day`` (default
    today in Oslo). Reads the receipt (one query)."""
    if application.status != Application.Status.ACCEPTED or (
        application.anonymised_at is not None
    ):
        raise EvaluationRefused(
            _("Only accepted participants of the round can answer its evaluation."),
            NOT_PARTICIPANT,
        )
    if evaluation is None:
        raise EvaluationRefused(_("This round has no evaluation."), NO_EVALUATION)
    if EvaluationReceipt.objects.filter(application=application).exists():
        raise EvaluationRefused(
            _(
                "You have already answered the evaluation of this round. "
                "Thank you! Each participant answers once."
            ),
            ALREADY_ANSWERED,
        )
    state = evaluation.state_on(day)
    if state == RoundEvaluation.NOT_YET:
        raise EvaluationRefused(
            _("The evaluation opens on %(date)s.")
            % {"date": _date(evaluation.opens_on)},
            NOT_OPEN_YET,
        )
    if state == RoundEvaluation.CLOSED:
        raise EvaluationRefused(
            _("The evaluation closed on %(date)s.")
            % {"date": _date(evaluation.closes_on)},
            CLOSED,
        )


def submit_evaluation(application, values, *, schemas, day=None):
    """Store ``values`` (``{identifier: stored value}``, see
    ``questions.fields.stored_value``) as an anonymous answer of
    ``application``'s round and role, with the questions as asked in every
    language of ``schemas`` (``{language: FormSchema}``), and its receipt,
    in one transaction. Returns the ``EvaluationAnswer``.

    Raises ``EvaluationRefused`` (nothing stored) when the application may
    not answer (``check_can_answer``), re-checked under a row lock."""
    day = day or timezone.localdate()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .filter(pk=application.pk)
            .first()
        )
        if locked is None:
            raise EvaluationRefused(
                _("Only accepted participants of the round can answer its evaluation."),
                NOT_PARTICIPANT,
            )
        evaluation = RoundEvaluation.objects.filter(round_id=locked.round_id).first()
        check_can_answer(locked, evaluation, day)
        source = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in schemas else None
        entries = snapshot.take_snapshot(schemas, values, source or next(iter(schemas)))
        try:
            with transaction.atomic():
                EvaluationReceipt.objects.create(application=locked)
        except IntegrityError:
            raise EvaluationRefused(
                _(
                    "You have already answered the evaluation of this round. "
                    "Thank you! Each participant answers once."
                ),
                ALREADY_ANSWERED,
            ) from None
        return EvaluationAnswer.objects.create(
            round_id=locked.round_id,
            role=locked.role,
            answered_on=day,
            answers=entries,
        )
