"""Columns of HR's listing whose cells are written without templates, in
the markup of Wagtail's own column classes: the listing shows 50 rows of
twelve cells, and rendering a template per cell was most of its time
(``tests/test_review_admin.py`` checks that the HTML is Wagtail's)."""

from django.contrib.admin.utils import quote
from django.utils.dateformat import format as date_format
from django.utils.encoding import force_str
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)

# Wagtail's own label of a row's checkbox
# (``wagtailadmin/bulk_actions/listing_checkbox_cell.html``), translated by
# the catalogues that translate that template.
SELECT = "Select"


def choice_label(model, field_name):
    """An accessor giving what ``instance.get_<field_name>_display()`` gives,
    with the field's choices looked up once rather than for every cell
    (Django builds, and hashes every translated label of, the choices
    anew on each call)."""
    labels = dict(model._meta.get_field(field_name).flatchoices)

    def label(instance):
        value = getattr(instance, field_name)
        return force_str(labels.get(value, value), strings_only=True)

    return label


def _cell_value(column, instance):
    """The value ``Column.get_cell_context_data`` gives the cell template."""
    value = column.get_value(instance)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not str(value).strip():
        return column.empty_value_display
    return value


def _td(column, extra=""):
    """The opening of a cell with the column's classes (and ``extra``)."""
    classes = " ".join(name for name in (column.classname, extra) if name)
    if classes:
        return format_html('<td class="{}">', classes)
    return mark_safe("<td>")


class TextColumn(Column):
    """Wagtail's ``Column`` (``wagtailadmin/tables/cell.html``)."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None:
            value = ""
        elif not str(value).strip():
            value = self.empty_value_display
        if self.classname:
            return format_html('<td class="{}">{}</td>', self.classname, value)
        return format_html("<td>{}</td>", value)


class SubmittedColumn(DateColumn):
    """Wagtail's ``DateColumn`` (``wagtailadmin/tables/date_cell.html`` with
    ``human_readable_date``)."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if not value:
            return format_html("<td>{}</td>", "")
        local = template_localtime(value)
        tooltip = get_format("DATETIME_FORMAT") or "N j, Y, P"
        return format_html(
            '<td><button type="button" class="w-human-readable-date" '
            'data-controller="w-tooltip" data-w-tooltip-content-value="{}" '
            'data-w-tooltip-placement-value="top">'
            '<time class="w-human-readable-date__date" datetime="{}">{}</time>'
            "</button></td>",
            date_format(local, tooltip),
            date_format(local, "c"),
            capfirst(timesince_simple(value)),
        )


class NameColumn(TitleColumn):
    """Wagtail's ``TitleColumn`` (``wagtailadmin/tables/title_cell.html``)
    for a title that links to its row's page. A cell with buttons, a label
    or no link is left to Wagtail's template."""

    def render_cell_html(self, instance, parent_context):
        url = self.get_link_url(instance, parent_context)
        buttons = getattr(self, "get_buttons", None)
        if (
            not url
            or self.link_classname is not None
            or self.get_link_attrs(instance, parent_context)
            or (buttons is not None and buttons(instance, parent_context))
        ):
            return super().render_cell_html(instance, parent_context)
        value = _cell_value(self, instance)
        title_id = self.get_title_id(instance, parent_context)
        if title_id:
            title = format_html('<span id="{}">{}</span>', title_id, value)
        else:
            title = format_html("{}", value)
        return format_html(
            '{}<div class="title-wrapper"><a href="{}">{}</a></div></td>',
            _td(self, "title"),
            url,
            title,
        )


class StatusColumn(StatusTagColumn):
    """Wagtail's ``StatusTagColumn`` (``wagtailadmin/tables/status_tag_cell.html``
    with the ``status`` tag)."""

    def render_cell_html(self, instance, parent_context):
        value = _cell_value(self, instance)
        classes = (
            "w-status w-status--primary" if self.get_primary(instance) else "w-status"
        )
        return format_html(
            '{}<span class="{}">{}</span></td>', _td(self), classes, value or ""
        )


class CheckboxColumn(BulkActionsCheckboxColumn):
    """Wagtail's ``BulkActionsCheckboxColumn``
    (``wagtailadmin/bulk_actions/listing_checkbox_cell.html``) for objects
    other than pages."""

    def render_cell_html(self, instance, parent_context):
        if self.obj_type == "page":
            return super().render_cell_html(instance, parent_context)
        return format_html(
            '<td class="bulk-action-checkbox-cell"><input type="checkbox" '
            'data-object-id="{}" data-bulk-action-checkbox '
            'class="bulk-action-checkbox" aria-label="{}" aria-describedby="{}" />'
            "</td>",
            quote(str(instance.pk)),
            gettext(SELECT),
            self.get_aria_describedby(instance),
        )
