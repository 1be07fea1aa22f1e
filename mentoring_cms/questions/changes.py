"""Which changes to a form are safe once applicants have answered it.

Adding questions (optional or not) and rewording are always allowed: a
submitted application keeps the questions as they were asked (see
``snapshot``). Removing a question, changing its type or making it
required is refused for a question that already has answers, because the
answers would no longer belong to a question of the form, or the
applications already in would lack a required answer.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def _name(question):
    return f"“{question.label or question.id}”"


def refused_changes(old, new, answered):
    """The messages refusing the changes from ``old`` to ``new`` (both
    ``schema.FormSchema``) for the identifiers in ``answered`` (those that
    hold answers in submitted applications), in the order of ``old``; an
    empty list when the change is safe. Each message names the question."""
    messages = []
    for question in old.editor_questions():
        if question.id not in answered:
            continue
        changed = new.question(question.id)
        if changed is None:
            messages.append(
                gettext(
                    "The question %(question)s (%(identifier)s) already has "
                    "answers and cannot be removed. Make it optional instead, "
                    "or use a new form for the next round."
                )
                % {"question": _name(question), "identifier": question.id}
            )
        elif changed.type != question.type:
            messages.append(
                gettext(
                    "The question %(question)s (%(identifier)s) already has "
                    "answers and cannot change its type."
                )
                % {"question": _name(question), "identifier": question.id}
            )
        elif changed.required and not question.required:
            messages.append(
                gettext(
                    "The question %(question)s (%(identifier)s) already has "
                    "answers and cannot be made required."
                )
                % {"question": _name(question), "identifier": question.id}
            )
    return messages


def check_changes(old, new, answered):
    """Raise ``ValidationError`` (code ``"answered_question_changed"``) with
    every message of ``refused_changes``, or return None."""
    messages = refused_changes(old, new, answered)
    if messages:
        raise ValidationError(
            [ValidationError(m, code="answered_question_changed") for m in messages]
        )
