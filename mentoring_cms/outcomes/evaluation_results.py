"""A round's evaluation results, summarised so that nobody's answer shows.

``round_results(programme_round)`` reads the anonymous answers of a round
(one query) and gives, per question and per group (mentees, mentors, all),
counts per choice with their shares and averages of numbers, every figure a
``small_groups.Cell``. The rules (issue 17, "Privacy by design"):

* a group with fewer answers to a question than the threshold
  (``MENTORING_CMS_SMALL_GROUP_THRESHOLD``, default 5) shows no figure at
  all for that question, not even zeros (with one answer, "0" beside every
  other choice would give hers away);
* a count is shown only when neither it nor the rest of its group is small
  (``small_groups.suppress_share``): six answers split 5 and 1 show neither;
* the "all participants" group is shown only when no role group is small,
  since all minus the shown role would give the small one;
* free-text answers are shown only when the round has at least the
  threshold of answers, pooled without role and in alphabetical order (not
  the order they came in).

The cross-round dashboard reads the same function.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import small_groups
from ..models import Application, EvaluationAnswer
from ..questions import schema

ALL = "all"
TEXT_TYPES = (schema.SHORT_TEXT, schema.LONG_TEXT, schema.URL, schema.DATE)
YES, NO = "yes", "no"


@dataclass
class ChoiceRow:
    """One answer option: ``value`` (choice id, ``"yes"``/``"no"``),
    ``label`` in the active language, ``count`` and ``share`` (``Cell``)."""

    value: str
    label: str
    count: small_groups.Cell
    share: small_groups.Cell


@dataclass
class GroupSummary:
    """The figures of one group for one question: ``role`` is ``"mentee"``,
    ``"mentor"`` or ``"all"``; ``respondents`` (a ``Cell``) how many
    answered it; ``suppressed`` True when every figure is withheld;
    ``choices`` the ``ChoiceRow`` list of a choice or yes/no question;
    ``average`` a ``Cell`` (value a float rounded to 0.1) for a number."""

    role: str
    label: str
    respondents: small_groups.Cell
    suppressed: bool
    choices: list = field(default_factory=list)
    average: small_groups.Cell | None = None


@dataclass
class QuestionSummary:
    """One question: ``id``, ``type`` (``questions.schema`` types),
    ``label`` in the active language, ``groups`` (``GroupSummary`` for each
    role then ``"all"``) and ``texts`` (free-text answers, a list of str, or
    None when withheld or not a text question)."""

    id: str
    type: str
    label: str
    groups: list = field(default_factory=list)
    texts: list | None = None


@dataclass
class RoundResults:
    """``answers`` per group (``{role or "all": Cell}``), ``total`` (int),
    whether free texts are shown, and the ``questions``."""

    answers: dict
    total: int
    texts_shown: bool
    questions: list


def _text(labels, language):
    if isinstance(labels, dict):
        return labels.get(language) or next(iter(labels.values()), "") or ""
    return str(labels or "")


def _questions(rows, language):
    """The questions met in the answers, in the order first met:
    ``{id: {"type", "label", "choices": [(value, label)]}}``."""
    questions = {}
    for _role, entries in rows:
        for entry in entries or []:
            identifier = entry.get("id")
            if not identifier or entry.get("type") == schema.CORE:
                continue
            known = questions.setdefault(
                identifier,
                {
                    "type": entry.get("type"),
                    "label": _text(entry.get("label"), language),
                    "choices": {},
                },
            )
            for choice in entry.get("choices") or []:
                known["choices"].setdefault(
                    str(choice.get("value")), _text(choice.get("label"), language)
                )
    return questions


def _answered(value):
    return value not in (None, "", [])


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _group(role, label, values, question, minimum, withheld):
    respondents = len(values)
    suppressed = withheld or small_groups.is_small(respondents, minimum)
    hidden = small_groups.Cell(None, small_groups.suppressed_text(minimum))
    summary = GroupSummary(
        role=role,
        label=label,
        respondents=hidden
        if suppressed
        else small_groups.suppress(respondents, minimum),
        suppressed=suppressed,
    )
    kind = question["type"]
    options = []
    if kind in schema.CHOICE_TYPES:
        options = list(question["choices"].items())
    elif kind == schema.YES_NO:
        options = [(YES, _("Yes")), (NO, _("No"))]
    for value, option_label in options:
        if kind == schema.MULTIPLE_CHOICE:
            count = sum(1 for v in values if value in (v or []))
        elif kind == schema.YES_NO:
            count = sum(1 for v in values if v is (value == YES))
        else:
            count = sum(1 for v in values if v == value)
        if suppressed:
            count_cell, share = hidden, hidden
        elif respondents == 0:
            # Nobody in the group answered: nothing to hide, no share.
            count_cell, share = small_groups.Cell(0, "0"), small_groups.Cell(None, "–")
        else:
            share = small_groups.suppress_share(count, respondents, minimum)
            count_cell = (
                hidden if share.suppressed else small_groups.Cell(count, str(count))
            )
        summary.choices.append(ChoiceRow(value, option_label, count_cell, share))
    if kind == schema.NUMBER:
        numbers = [n for n in (_number(v) for v in values) if n is not None]
        if not numbers and not suppressed:
            summary.average = small_groups.Cell(None, "–")
        elif suppressed or small_groups.is_small(len(numbers), minimum):
            summary.average = hidden
        else:
            average = round(float(sum(numbers) / len(numbers)), 1)
            summary.average = small_groups.Cell(average, f"{average:.1f}")
    return summary


def round_results(programme_round, minimum=None):
    """The evaluation results of ``programme_round`` (the round in the
    default language) as a ``RoundResults``, labels in the active language;
    figures withheld by the rules above. One query."""
    minimum = small_groups.threshold() if minimum is None else minimum
    language = get_language()
    rows = list(
        EvaluationAnswer.objects.filter(round_id=programme_round.pk)
        .order_by("role", "answers")
        .values_list("role", "answers")
    )
    roles = list(Application.Role.choices)
    by_role = {
        role: [entries for r, entries in rows if r == role] for role, _l in roles
    }
    total = len(rows)
    small_role = any(small_groups.is_small(len(v), minimum) for v in by_role.values())
    answers = {
        role: small_groups.suppress(len(entries), minimum)
        for role, entries in by_role.items()
    }
    answers[ALL] = (
        small_groups.Cell(None, small_groups.suppressed_text(minimum))
        if small_role
        else small_groups.suppress(total, minimum)
    )
    texts_shown = total >= minimum
    questions = []
    for identifier, question in _questions(rows, language).items():

        def values_of(entry_lists, identifier=identifier):
            found = []
            for entries in entry_lists:
                for entry in entries or []:
                    if entry.get("id") == identifier and _answered(entry.get("value")):
                        found.append(entry.get("value"))
            return found

        summary = QuestionSummary(identifier, question["type"], question["label"])
        if question["type"] in TEXT_TYPES:
            if texts_shown:
                summary.texts = sorted(str(v) for v in values_of([e for _r, e in rows]))
            questions.append(summary)
            continue
        role_values = {role: values_of(by_role[role]) for role, _l in roles}
        any_small = any(
            small_groups.is_small(len(v), minimum) for v in role_values.values()
        )
        for role, label in roles:
            summary.groups.append(
                _group(role, str(label), role_values[role], question, minimum, False)
            )
        summary.groups.append(
            _group(
                ALL,
                _("All participants"),
                [v for values in role_values.values() for v in values],
                question,
                minimum,
                withheld=any_small,
            )
        )
        questions.append(summary)
    return RoundResults(answers, total, texts_shown, questions)
