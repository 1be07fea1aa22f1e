"""CSV and XLSX exports of the HR listing, streamed row by row.

The XLSX workbook has one sheet per role, each with only the questions that
role is asked and HR's internal notes, under a bold, frozen heading row with
a filter.

Rows come from ``values_list(...).iterator(chunk_size=...)``: no model
instances and never every row in memory at once. CSV streams straight to the
client; XLSX is written by openpyxl's write-only workbook to a temporary file
that is then streamed.
"""

import csv
import datetime
import json
import tempfile

import msgspec
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Application, ApplicationForm, ApplicationNote, Faculty
from ..models.questions import pick_translation
from ..models.topics import all_topic_labels
from ..questions.columns import answer_cells, answer_columns
from ..questions.core import (
    COLUMNS,
    SUBMISSION_ANSWERS,
    column_question,
    positions_for_role,
    role_question_names,
    yes_no_text,
)
from ..questions.describe import other_answers
from .listing import label_maps

CHUNK_SIZE = 2000
CSV_ROWS_PER_WRITE = 500

# Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)


def neutralise(value):
    """Make a text cell harmless to spreadsheet programs: text starting
    with one of ``FORMULA_PREFIXES`` gets a leading apostrophe (OWASP's
    advice on CSV injection); anything else is returned as it is."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def export_columns():
    """The answer columns (``questions.columns.AnswerColumn``) of every
    application form, headed in the active language (one query)."""
    by_key = {}
    for form in ApplicationForm.objects.select_related("locale").order_by("name", "pk"):
        by_key.setdefault(form.translation_key, []).append(form)
    locale_forms = [
        pick_translation(forms, None, get_language()) for forms in by_key.values()
    ]
    return answer_columns([(form.role, form.schema) for form in locale_forms])


def headings(columns=None):
    """The column headings in the active language: the listing's columns,
    then one per question of the application forms (``export_columns``),
    the language the form was filled in and any answers no form knows."""
    columns = export_columns() if columns is None else columns
    return [
        *(str(label) for _name, label in COLUMNS),
        *(column.heading for column in columns),
        _("Language of the form"),
        _("Other answers"),
    ]


def role_columns(role, columns=None):
    """Indexes (into a formatted row, see ``row_formatter``) of the columns a
    sheet of ``role`` keeps: every column except the answers only the other
    role is asked for (a mentor has no CV column, a mentee no mentoring
    experience)."""
    columns = export_columns() if columns is None else columns
    asked = role_question_names(role)
    kept = []
    for i, (name, _label) in enumerate(COLUMNS):
        question = column_question(name)
        # Columns answering a question only the other role is asked (e.g.
        # "permanently employed", the CV) are left out.
        if question is not None and question not in asked:
            continue
        kept.append(i)
    start = len(COLUMNS)
    for offset, column in enumerate(columns):
        if role in column.roles:
            kept.append(start + offset)
    tail = start + len(columns)
    kept += [tail, tail + 1]
    return kept


# The labels of these columns are looked up per row (``listing.label_maps``)
# from the ids selected in their place.
LABELLED_COLUMNS = {"faculty_label": "faculty_id", "round_title": "round_id"}
EXPORT_FIELDS = [LABELLED_COLUMNS.get(name, name) for name, _label in COLUMNS]


# The answers and their snapshot are read as their JSON text and decoded by
# ``row_formatter`` (msgspec): a third of the time of the JSON field's own
# decoding, the largest part of an export's time per row.
JSON_COLUMNS = {
    "answers_text": Cast("answers", TextField()),
    "answer_snapshot_text": Cast("answer_snapshot", TextField()),
}


def export_values(queryset, *first):
    """The listing queryset as tuples of ``first`` (field names), the export
    columns (ids in place of ``LABELLED_COLUMNS``), then the answers and the
    snapshot as JSON text; ``row_formatter`` takes them without ``first``."""
    return queryset.annotate(**JSON_COLUMNS).values_list(
        *first, *EXPORT_FIELDS, *JSON_COLUMNS
    )


_decode_json = msgspec.json.Decoder().decode


def _json_value(text, empty):
    """The answers or snapshot of a row from their JSON ``text``; ``empty``
    for none. A value already decoded (a caller's dict or list) is taken as
    it is."""
    if not text:
        return empty
    if not isinstance(text, str | bytes):
        return text
    try:
        return _decode_json(text) or empty
    except msgspec.DecodeError:
        # Not expected from the database's JSON; read as the field would.
        return json.loads(text) or empty


def row_formatter(role=None, columns=None):
    """A function turning one exported tuple into display values. With a
    ``role``, answers to questions that role is not asked (older or imported
    data) go to "Other answers" rather than a column its sheet leaves out.

    Labels are resolved here, in the language active now: a streamed response
    is consumed after the view (and its language) has returned.
    """
    roles = {value: str(label) for value, label in Application.Role.choices}
    statuses = {value: str(label) for value, label in Application.Status.choices}
    languages = {
        value: str(label)
        for value, label in Application._meta.get_field("language").choices
    }
    positions = {
        value: str(label)
        for role in Application.Role.values
        for value, label in positions_for_role(role)
    }
    index = {name: i for i, (name, _label) in enumerate(COLUMNS)}
    lookups = [
        (index["role"], roles),
        (index["status"], statuses),
        (index["position"], positions),
        (index["language"], languages),
    ]
    faculty_labels, round_titles = label_maps(language=get_language())
    labelled = [
        (index["faculty_label"], faculty_labels),
        (index["round_title"], round_titles),
    ]
    employed = index["permanently_employed"]
    yes_no = {value: yes_no_text(value) for value in (None, True, False)}
    moments = [index["submitted_at"], index["status_changed_at"]]
    zone = timezone.get_current_timezone()
    columns = export_columns() if columns is None else columns
    language = get_language()
    answer_cell = answer_cells(
        columns,
        language,
        faculties=Faculty.objects.choices(language),
        topics=all_topic_labels(language).items(),
    )
    known = {column.id for column in columns if role is None or role in column.roles}
    known |= set(SUBMISSION_ANSWERS)

    def format_row(values):
        *row, answers, entries = values
        answers = _json_value(answers, {})
        entries = _json_value(entries, [])
        for i, labels in lookups:
            row[i] = labels.get(row[i], row[i])
        for i, labels in labelled:
            row[i] = labels.get(row[i])
        value = row[employed]
        row[employed] = yes_no[value] if value in yes_no else yes_no_text(value)
        for i in moments:
            row[i] = row[i].astimezone(zone) if row[i] else None
        row += answer_cell(answers, entries)
        row.append(languages.get(answers.get("form_language"), ""))
        other = other_answers(answers, known)
        row.append("\n".join(f"{label}: {text}" for label, text in other))
        return row

    return format_row


def iter_rows(queryset, format_row):
    for values in export_values(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield format_row(values)


class _Echo:
    """A file-like object whose ``write`` hands back what it was given."""

    def write(self, value):
        return value


def csv_cell(value):
    """``value`` as one cell of a CSV export: empty for ``None``, a moment
    as ``YYYY-MM-DD HH:MM``, anything else as text made harmless to
    spreadsheet programs (``neutralise``)."""
    if value.__class__ is str:
        # Most cells: text.
        return "'" + value if value[:1] in _FORMULA_STARTS else value
    if value is None:
        return ""
    if value.__class__ is datetime.datetime:
        # The same text as strftime("%Y-%m-%d %H:%M"), in a fifth of the time.
        return value.isoformat(" ", "minutes")[:16]
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralise(str(value))


def iter_csv(queryset):
    """Text chunks of the CSV file; labels are fixed when this is called."""
    columns = export_columns()
    return _iter_csv(queryset, headings(columns), row_formatter(columns=columns))


def _iter_csv(queryset, header, format_row):
    writer = csv.writer(_Echo())
    # The byte order mark makes Excel read the file as UTF-8 (æ, ø, å).
    yield "\ufeff" + writer.writerow(header)
    lines = []
    starts = _FORMULA_STARTS
    for row in iter_rows(queryset, format_row):
        # ``csv_cell`` of each value, with its common case (text) inline:
        # a call per cell is a third of the export's time.
        lines.append(
            writer.writerow(
                [
                    ("'" + value if value[:1] in starts else value)
                    if value.__class__ is str
                    else csv_cell(value)
                    for value in row
                ]
            )
        )
        if len(lines) >= CSV_ROWS_PER_WRITE:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def no_store(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(queryset, filename):
    response = StreamingHttpResponse(
        iter_csv(queryset), content_type="text/csv; charset=utf-8"
    )
    return no_store(response, f"{filename}.csv")


def _xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if hasattr(value, "strftime"):
        # Excel has no time zones: write the Oslo (local) time.
        return value.replace(tzinfo=None)
    # Text as typed: ``write`` stores it as a text cell, which no
    # spreadsheet runs ("+47 …" needs no apostrophe, unlike in the CSV).
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


# Column widths, in characters: from what the first rows of a sheet hold,
# never narrower than a short heading plus the filter button, never wider
# than a readable line (longer texts wrap in the cell when opened).
XLSX_WIDTH_SAMPLE_ROWS = 500
XLSX_MIN_WIDTH = 8
XLSX_MAX_WIDTH = 60
XLSX_HEADING_WIDTH = 30
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _display_length(value):
    if value is None:
        return 0
    if hasattr(value, "strftime"):
        return len(XLSX_DATE_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(header, rows):
    """Widths (characters) for the columns of ``header`` that fit ``rows``."""
    widths = []
    for i, heading in enumerate(header):
        content = max((_display_length(row[i]) for row in rows), default=0)
        heading_width = min(len(heading), XLSX_HEADING_WIDTH) + 3
        widths.append(
            min(XLSX_MAX_WIDTH, max(XLSX_MIN_WIDTH, heading_width, content + 2))
        )
    return widths


def notes_by_application(ids):
    """{application id: text of its internal notes, oldest first, each as
    "date author: text"} for the applications ``ids`` (one query)."""
    notes = (
        ApplicationNote.objects.filter(application_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("application_id", "created_at", "author__username", "text")
    )
    texts = {}
    for application_id, created_at, author, text in notes:
        moment = timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M")
        line = f"{moment} {author or '–'}: {text}"
        texts.setdefault(application_id, []).append(line)
    return {key: "\n\n".join(lines) for key, lines in texts.items()}


def _role_rows(queryset, role, format_row, keep):
    """The formatted rows of one role, each with its internal notes last;
    notes are read for a chunk of rows at a time."""
    values = export_values(queryset.filter(role=role), "pk")
    chunk = []
    for row in values.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) >= CHUNK_SIZE:
            yield from _with_notes(chunk, format_row, keep)
            chunk = []
    if chunk:
        yield from _with_notes(chunk, format_row, keep)


def _with_notes(chunk, format_row, keep):
    notes = notes_by_application([row[0] for row in chunk])
    for pk, *values in chunk:
        row = format_row(values)
        yield [row[i] for i in keep] + [notes.get(pk, "")]


def write_sheet(workbook, title, header, rows):
    """One sheet: a bold, frozen heading row with a filter, columns as wide
    as the first rows need, then every row streamed. Returns the row count."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    first = []
    for row in rows:
        first.append(row)
        if len(first) >= XLSX_WIDTH_SAMPLE_ROWS:
            break
    for i, width in enumerate(column_widths(header, first), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(header))
    count = len(first)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    cells = []
    for heading in header:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        cell.alignment = wrap
        cells.append(cell)
    sheet.append(cells)

    def write(row):
        # openpyxl would write a text starting with "=" as a formula: such a
        # cell is marked as text, so it is shown as typed and never run.
        values = []
        for value in row:
            value = _xlsx_cell(value)
            if hasattr(value, "strftime"):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = XLSX_DATE_FORMAT
                value = cell
            elif isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                value = cell
            values.append(value)
        sheet.append(values)

    for row in first:
        write(row)
    for row in rows:
        write(row)
        count += 1
    # The filter covers every row written; openpyxl writes it after the rows.
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    return count


def write_xlsx(queryset, output):
    """Write the rows to ``output`` (a path or binary file), one sheet per
    role holding only the columns that role is asked for, plus HR's internal
    notes; row by row (openpyxl's write-only mode). Returns the number of
    rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    columns = export_columns()
    header = headings(columns)
    count = 0
    for role, label in Application.Role.choices:
        keep = role_columns(role, columns)
        rows = _role_rows(queryset, role, row_formatter(role, columns), keep)
        count += write_sheet(
            workbook,
            str(label),
            [header[i] for i in keep] + [_("Internal notes")],
            rows,
        )
    workbook.save(output)
    return count


def xlsx_response(queryset, filename):
    # The workbook goes to an anonymous temporary file (deleted when closed),
    # so memory stays flat however many rows there are.
    output = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(queryset, output)
    output.seek(0)
    response = FileResponse(
        output,
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    return no_store(response, f"{filename}.xlsx")
