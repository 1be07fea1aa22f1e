"""The dashboard across rounds as tables and charts ready to show or
export: every count and share of ``statistics.programme_figures`` passed
through ``small_groups.suppress`` / ``suppress_share``, so that no chart,
table or export built from it can show a group smaller than
``MENTORING_CMS_SMALL_GROUP_THRESHOLD`` (they show "fewer than 5"). A count
from which a small group could be worked out by subtraction (applications
beside the accepted, outcomes recorded beside the mentees) is hidden too
(``suppress_beside``).

Shapes: ``dashboard_tables()`` returns ``[Table]``; a ``Table`` has
``columns`` (headings) and ``rows`` (``Row``: the round's label and one
``small_groups.Cell`` per column); ``Table.chart`` gives the bars of its
inline SVG picture (geometry in SVG user units).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..small_groups import Cell, is_small, suppress, suppress_share
from .statistics import PROMOTION_WINDOWS, programme_figures

# Chart geometry, in SVG user units (the SVG scales to its box).
CHART_WIDTH = 640
LABEL_WIDTH = 200
BAR_AREA = 320
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 14
LABEL_CHARS = 26
# Series colours: Wagtail's teal, a dark blue and an orange-brown, each
# with at least 3:1 contrast against the white page (WCAG 1.4.11).
SERIES_FILLS = ("#007d7e", "#2e3a87", "#a3510e")

NOT_APPLICABLE = Cell(None, "–")


@dataclass
class Row:
    label: str
    cells: list


@dataclass
class Table:
    """One chart with its table: ``kind`` is "count" or "share"."""

    key: str
    title: str
    description: str
    columns: list
    rows: list
    kind: str = "count"

    @property
    def chart(self):
        return chart_of(self)


def _label(figures):
    return figures.title


def suppress_beside(count, rest):
    """A :class:`Cell` for ``count`` people shown beside figures from which
    the reader could work out a group of ``rest`` people by subtraction:
    suppressed when either is a small group. Hidden only to protect the
    rest, the cell says so rather than "fewer than 5", which would be
    untrue."""
    if is_small(rest) and not is_small(count):
        return Cell(None, str(_("not shown (small group)")))
    return suppress(count)


def _share_cells(part_by_window, whole):
    return [
        suppress_share(part_by_window[years], whole)
        if years in part_by_window
        else NOT_APPLICABLE
        for years in PROMOTION_WINDOWS
    ]


def _promotion_cells(figures, part_by_window):
    """Shares of the round's accepted mentees; "–" throughout while no
    outcome of the round is recorded (unknown, not 0 %)."""
    if not figures.outcomes_recorded:
        return [NOT_APPLICABLE for _years in PROMOTION_WINDOWS]
    return _share_cells(part_by_window, figures.accepted_mentees)


def dashboard_tables(figures=None):
    """The dashboard's tables (``[Table]``), oldest round first, in the
    active language. ``figures`` defaults to ``programme_figures()``."""
    figures = programme_figures() if figures is None else figures
    window_columns = [
        _("Within %(count)d year") % {"count": 1},
        *(_("Within %(count)d years") % {"count": n} for n in PROMOTION_WINDOWS[1:]),
    ]
    participation = Table(
        key="participants",
        title=_("Applications and participants"),
        description=_("Applications received and participants accepted per round."),
        columns=[_("Applications"), _("Accepted mentees"), _("Accepted mentors")],
        rows=[
            Row(
                _label(f),
                [
                    suppress_beside(f.applications, f.applications - f.accepted),
                    suppress(f.accepted_mentees),
                    suppress(f.accepted_mentors),
                ],
            )
            for f in figures
        ],
    )
    completion = Table(
        key="completion",
        title=_("Completion"),
        description=_(
            "Share of the accepted participants of each finished round who "
            "missed no mandatory gathering, and who logged at least the "
            "round's minimum number of meetings (rounds with an attendance "
            "register)."
        ),
        columns=[_("All mandatory gatherings"), _("Minimum meetings logged")],
        rows=[
            Row(
                _label(f),
                [
                    suppress_share(f.attended_all_mandatory, f.accepted),
                    suppress_share(f.met_minimum, f.accepted),
                ]
                if f.ended and f.register_kept
                else [NOT_APPLICABLE, NOT_APPLICABLE],
            )
            for f in figures
        ],
        kind="share",
    )
    applied = Table(
        key="applied",
        title=_("Mentees who applied for promotion"),
        description=_(
            "Share of each round's accepted mentees who applied for promotion "
            "to professor or docent within one, two and three years of the "
            "year the round started; shown once the period is over."
        ),
        columns=window_columns,
        rows=[Row(_label(f), _promotion_cells(f, f.applied_within)) for f in figures],
        kind="share",
    )
    promoted = Table(
        key="promoted",
        title=_("Mentees who were promoted"),
        description=_(
            "Share of each round's accepted mentees promoted to professor or "
            "docent within one, two and three years of the year the round "
            "started; shown once the period is over."
        ),
        columns=window_columns,
        rows=[Row(_label(f), _promotion_cells(f, f.promoted_within)) for f in figures],
        kind="share",
    )
    recorded = Table(
        key="recorded",
        title=_("Promotion outcomes recorded"),
        description=_(
            "How many of each round's accepted mentees have a promotion "
            "outcome recorded; the shares above count the others as not "
            "(yet) applied."
        ),
        columns=[_("Accepted mentees"), _("Outcomes recorded")],
        rows=[
            Row(
                _label(f),
                [
                    suppress(f.accepted_mentees),
                    suppress_beside(
                        f.outcomes_recorded, f.accepted_mentees - f.outcomes_recorded
                    ),
                ],
            )
            for f in figures
        ],
    )
    return [participation, completion, applied, promoted, recorded]


# The charts ------------------------------------------------------------------


@dataclass
class Bar:
    x: int
    y: int
    width: int
    fill: str
    text: str
    text_x: int


@dataclass
class Group:
    label: str
    short_label: str
    y: int
    bars: list


@dataclass
class Chart:
    width: int
    height: int
    groups: list
    legend: list


def _short(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def chart_of(table):
    """The grouped horizontal bar chart of ``table``: one group per round,
    one bar per column. A suppressed or missing cell draws no bar, only its
    text ("fewer than 5", "–"), so the picture tells no more than the
    table."""
    series = len(table.columns)
    group_height = series * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    shown = [
        cell.value for row in table.rows for cell in row.cells if not cell.suppressed
    ]
    largest = 100 if table.kind == "share" else max([1, *shown])
    scale = BAR_AREA / largest
    legend_height = 24
    groups = []
    for index, row in enumerate(table.rows):
        top = legend_height + index * group_height
        bars = []
        for position, cell in enumerate(row.cells):
            width = 0 if cell.suppressed else round(cell.value * scale)
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=top + position * (BAR_HEIGHT + BAR_GAP),
                    width=width,
                    fill=SERIES_FILLS[position % len(SERIES_FILLS)],
                    text=cell.text,
                    text_x=LABEL_WIDTH + width + 6,
                )
            )
        groups.append(Group(row.label, _short(row.label), top, bars))
    legend = [
        {
            "text": heading,
            "fill": SERIES_FILLS[position % len(SERIES_FILLS)],
            "x": LABEL_WIDTH + position * 160,
        }
        for position, heading in enumerate(table.columns)
    ]
    height = legend_height + max(len(table.rows), 1) * group_height
    return Chart(width=CHART_WIDTH, height=height, groups=groups, legend=legend)


def export_rows(tables):
    """``[[table, round, column, value]]`` for the CSV export: one line per
    cell, suppressed cells as their text ("fewer than 5")."""
    lines = []
    for table in tables:
        for row in table.rows:
            for heading, cell in zip(table.columns, row.cells, strict=True):
                lines.append([table.title, row.label, heading, cell_value(cell)])
    return lines


def cell_value(cell):
    """What a spreadsheet cell holds: the number, or the text when the
    value is suppressed or does not apply."""
    return cell.text if cell.suppressed else cell.value
