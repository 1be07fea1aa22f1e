"""One export column per question editors own.

The columns are the editors' questions of every application form (in the
forms' order, the mentee's forms first; a question asked in several forms
under one identifier is one column), headed by the question in the
reader's language, then the code-defined questions of older applications
that no form asks any more, then the matching step's questions (every
form asks them). A cell shows the answer as the application
keeps it (``snapshot``), or for an application stored before the forms
existed, as ``core`` shows it.
"""

from dataclasses import dataclass, field

from . import core, snapshot
from .describe import plain_value


@dataclass
class AnswerColumn:
    """``id``: the question's identifier; ``heading`` in the reader's
    language; ``roles``: the roles asked it (their sheets keep it)."""

    id: str
    heading: str
    roles: set = field(default_factory=set)


def answer_columns(form_schemas):
    """The answer columns for ``form_schemas``: ``(role, FormSchema in the
    reader's language)`` pairs of every application form."""
    columns = {}
    for role, form_schema in sorted(
        form_schemas, key=lambda pair: pair[0] != core.MENTEE
    ):
        for question in form_schema.editor_questions():
            column = columns.setdefault(
                question.id, AnswerColumn(question.id, question.label)
            )
            column.roles.add(role)
    for question in core.answer_questions():
        if question.name not in columns:
            columns[question.name] = AnswerColumn(
                question.name,
                str(question.column_heading()),
                {
                    role
                    for role in core.ROLES
                    if question.name in core.role_question_names(role)
                },
            )
    return list(columns.values())


def answer_cells(columns, language, faculties=None, topics=None):
    """A function of an application's ``(answers, snapshot entries)`` giving
    one cell per column of ``columns``: the answer as text in ``language``,
    empty when there is none. ``faculties`` and ``topics`` are the (value,
    label) choices of the questions that take theirs from the database
    (``core.answer_choices``): every faculty and every programme's topics."""
    converters = core.answer_cell_converters(faculties, topics)
    # Per column: its id and how an older application's answer to it (in
    # ``Application.answers``, no snapshot) becomes its cell: ``core``'s
    # way for the questions it knows, plain text for a question only
    # editors' forms ask.
    plan = [(column.id, converters.get(column.id, plain_value)) for column in columns]
    # Where each answer goes in a row without a snapshot.
    spots = {
        column_id: (index, convert) for index, (column_id, convert) in enumerate(plan)
    }
    width = len(plan)

    def cells(answers, entries):
        answers = answers or {}
        if not entries:
            # An application stored before the forms existed (or with none
            # of the editors' questions): no snapshot to read. A row has few
            # answers and many columns: go by the answers.
            row = [""] * width
            for name, value in answers.items():
                spot = spots.get(name)
                if spot is not None and value is not None:
                    row[spot[0]] = spot[1](value)
            return row
        by_id = {entry.get("id"): entry for entry in entries}
        row = []
        for column_id, convert in plan:
            entry = by_id.get(column_id)
            if entry is not None and entry.get("type") != "core":
                value = entry.get("value")
                row.append(
                    snapshot.answer_text(entry, language)
                    if snapshot.is_answered(value)
                    else ""
                )
            else:
                value = answers.get(column_id)
                row.append("" if value is None else convert(value))
        return row

    return cells
