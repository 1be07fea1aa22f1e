"""HR's listing table writes its rows in Python (``admin.tables``); the
table must stay the HTML Wagtail's own ``Table`` renders for the same
columns and rows: every cell of every row, the row attributes, the headers
and their ordering links."""

import re

import pytest
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from wagtail.admin.ui.tables import Table

from mentoring_cms.admin.tables import ApplicationTable, attrs_html
from mentoring_cms.models import Application

from .utils import make_application, set_admin_language

INDEX = "mentoring_applications:index"


def listing_table(client, query=""):
    """The listing's table (an ``ApplicationTable``) and the page's HTML."""
    response = client.get(reverse(INDEX) + query)
    assert response.status_code == 200
    table = response.context["table"]
    assert isinstance(table, ApplicationTable)
    return table, response


def wagtails_table(table, table_class=Table):
    """Wagtail's table of the same columns, rows, ordering and links."""
    return table_class(
        list(table.columns.values()),
        list(table.data),
        ordering=table.ordering,
        base_url=table.base_url,
    )


def tbody(html):
    return re.search(r"<tbody>.*?</tbody>", html, re.S).group(0)


@pytest.fixture
def applications(open_round, faculty):
    make_application(
        round=open_round,
        faculty=faculty,
        full_name="<i>Åse</i> & Ødegård",
        status=Application.Status.ACCEPTED,
    )
    make_application(
        round=open_round,
        role=Application.Role.MENTOR,
        full_name="Bjørn Berg",
        status=Application.Status.SUBMITTED,
    )


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("query", ["", "?ordering=full_name", "?q=Berg"])
def test_listing_table_is_wagtails_table(
    hr_client, hr_user, applications, language, query
):
    set_admin_language(hr_user, language)
    table, response = listing_table(hr_client, query)
    assert len(table.columns) == 12
    request = response.wsgi_request
    with translation.override(language):
        ours = table.render_html({"request": request})
        wagtails = wagtails_table(table).render_html({"request": request})
    assert parse_html(ours) == parse_html(wagtails)
    # The body on the page (written by the view before the page's template
    # ran) is Wagtail's body too, one cell per column in every row.
    page_body = tbody(response.content.decode())
    assert parse_html(page_body) == parse_html(tbody(wagtails))
    assert page_body.count("<td") == len(table.columns) * len(table.data)


class RowAttributes:
    """Row attributes of every kind ``wagtailadmin/shared/attrs.html`` handles."""

    def get_row_attrs(self, instance):
        return {
            "class": "highlight" if instance.role == "mentor" else "",
            "id": f"application-{instance.pk}",
            "data-label": f'{instance.full_name} "quoted" <tag>',
            "data-safe": mark_safe("<b>safe</b>"),
            "data-number": 7,
            "data-none": None,
            "hidden": instance.role == "mentor",
            "data-off": False,
        }


class AttributedApplicationTable(RowAttributes, ApplicationTable):
    pass


class AttributedTable(RowAttributes, Table):
    pass


def test_row_attributes_are_wagtails(hr_client, applications):
    table, response = listing_table(hr_client)
    context = {"request": response.wsgi_request}
    ours = wagtails_table(table, AttributedApplicationTable).render_html(context)
    wagtails = wagtails_table(table, AttributedTable).render_html(context)
    assert parse_html(ours) == parse_html(wagtails)
    assert ' class="highlight"' in ours
    assert "data-off" not in ours


def test_attrs_html_escapes_like_wagtails_template():
    assert attrs_html(
        {"a": '"<x>"', "b": True, "c": False, "d": mark_safe("<i>"), "e": 3}
    ) == (' a="&quot;&lt;x&gt;&quot;" b d="<i>" e="3"')


def test_empty_listing_shows_wagtails_message_and_no_table(hr_client, open_round):
    response = hr_client.get(reverse(INDEX))
    html = response.content.decode()
    assert "<tbody>" not in html
    message = capfirst(str(response.context["no_results_message"]))
    assert f"<p>{message}</p>" in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_choice_label_is_djangos_display(open_round, language):
    from mentoring_cms.admin.columns import choice_label

    application = make_application(
        round=open_round,
        role=Application.Role.MENTOR,
        status=Application.Status.UNDER_REVIEW,
    )
    with translation.override(language):
        for field in ("role", "status"):
            display = getattr(application, f"get_{field}_display")()
            assert choice_label(Application, field)(application) == display
        application.status = "not-a-status"
        assert choice_label(Application, "status")(application) == "not-a-status"
