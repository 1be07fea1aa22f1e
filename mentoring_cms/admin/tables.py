"""Wagtail's table for HR's listing, with its body written in Python.

The listing shows 50 rows of twelve cells. Wagtail's table template renders
each cell through a ``{% component %}`` tag and each row's attributes through
an included template, which cost more than the cells themselves (whose
columns, in ``columns``, write their HTML without templates). The body here
is the same markup, built by one method; the caption and the headers stay
Wagtail's (``tests/test_listing_table.py`` compares both with Wagtail's
``Table``)."""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from wagtail.admin.ui.tables import Table


def attrs_html(attrs):
    """``wagtailadmin/shared/attrs.html`` in Python: `` name="value"`` for
    each attribute, `` name`` for ``True``, nothing for ``False``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
            continue
        # ``stringformat:'s'`` keeps a safe value safe and makes a string of
        # anything else, which the template then escapes.
        if not isinstance(value, SafeData):
            value = str(value)
        parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class ApplicationTable(Table):
    """Wagtail's ``Table`` whose rows are rendered by ``render_rows_html``
    instead of a template loop; the markup is that of
    ``wagtailadmin/tables/table.html``."""

    template_name = "mentoring_cms/admin/tables/table.html"
    # The body, when ``render_rows`` wrote it before the page's template ran.
    rows_html = None

    def render_rows(self, request):
        """Write the body now, for the page's template to include.

        The view calls this before rendering the page: from the bottom of
        the page's few hundred nested template frames, the same 600 cells
        took up to three times as long on Python 3.11 when their calls
        kept crossing the boundary of the interpreter's frame stack (each
        crossing allocates and frees a chunk of it), which depends only on
        how deep the template is."""
        self.rows_html = self.render_rows_html({"table": self, "request": request})

    def get_context_data(self, parent_context):
        """Wagtail's context, and the body's rows as ``rows_html``."""
        context = super().get_context_data(parent_context)
        if self.rows_html is None:
            context["rows_html"] = self.render_rows_html(context)
        else:
            context["rows_html"] = self.rows_html
        return context

    def render_rows_html(self, parent_context):
        """The ``<tr>`` of every row: its attributes (``get_row_attrs``) and
        each column's ``render_cell_html``, given the context Wagtail's
        template gives a cell (``table``, ``request`` and ``row``)."""
        cell_context = dict(parent_context)
        columns = list(self.columns.values())
        html = []
        for row in self.rows:
            cell_context["row"] = row
            instance = row.instance
            html.append(f"<tr{attrs_html(row.attrs)}>")
            html.extend(
                conditional_escape(column.render_cell_html(instance, cell_context))
                for column in columns
            )
            html.append("</tr>")
        return mark_safe("\n".join(html))  # noqa: S308 - cells and attributes are escaped
