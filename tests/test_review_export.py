"""CSV and XLSX exports of the filtered listing."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from mentoring_cms.admin.exports import neutralise
from mentoring_cms.models import Application
from mentoring_cms.questions.core import COLUMN_FIELDS, MACHINERY_FIELDS
from mentoring_cms.step_forms import default_step_list

from .utils import make_application, make_faculty, set_admin_language

EXPORT = "mentoring_applications:export"


def export_url(fmt):
    return reverse(EXPORT, args=[fmt])


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response):
    """The rows of every sheet (one per role) under one heading row: the
    headings of all sheets in order, a cell a sheet lacks read as ""."""
    body = b"".join(response.streaming_content)
    header, records = [], []
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        own, *rows = [
            ["" if value is None else value for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        header += [heading for heading in own if heading not in header]
        records += [dict(zip(own, row, strict=True)) for row in rows]
    return [header, *([record.get(h, "") for h in header] for record in records)]


@pytest.fixture
def applications(open_round, faculty):
    law = make_faculty(name="Det juridiske fakultet")
    return [
        make_application(
            round=open_round,
            faculty=faculty,
            reference="MP-2026-0001",
            full_name="Åse Ødegård Æsøy",
            email="ase@uni.no",
            phone="+47 900 00 000",
            department='=HYPERLINK("http://evil.example","klikk")',
            academic_field="@SUM(A1:A2)",
        ),
        make_application(
            round=open_round,
            faculty=law,
            role=Application.Role.MENTOR,
            reference="MP-2026-0002",
            full_name="-2+3",
            email="bjorn@uni.no",
            department="\tTab",
            academic_field="\rCR",
        ),
    ]


def by_reference(rows):
    header, *body = rows
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in body}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_contents(hr_client, hr_user, applications, fmt):
    set_admin_language(hr_user, "nb")
    response = hr_client.get(export_url(fmt))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications.{fmt}"'
    )
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    header, rows = by_reference(rows)
    assert header[:4] == ["Referanse", "Navn", "E-post på jobb", "Telefon"]
    assert set(rows) == {"MP-2026-0001", "MP-2026-0002"}
    first = list(rows["MP-2026-0001"].values())
    assert "Åse Ødegård Æsøy" in first
    assert "ase@uni.no" in first
    assert "Fakultet for naturvitenskap" in first
    # Formula-like text: in the CSV neutralised with a leading apostrophe;
    # in the XLSX kept as typed in a text cell, which never runs (see
    # test_export_xlsx_has_no_formulas).
    mark = "'" if fmt == "csv" else ""
    assert f"{mark}+47 900 00 000" in first
    assert f'{mark}=HYPERLINK("http://evil.example","klikk")' in first
    assert f"{mark}@SUM(A1:A2)" in first
    second = list(rows["MP-2026-0002"].values())
    assert f"{mark}-2+3" in second
    assert f"{mark}\tTab" in second
    assert "Det juridiske fakultet" in second


def test_export_xlsx_has_no_formulas(hr_client, applications):
    body = b"".join(hr_client.get(export_url("xlsx")).streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


def test_export_uses_the_listing_filters_and_search(hr_client, applications):
    response = hr_client.get(export_url("csv"), {"role": "mentor"})
    _header, rows = by_reference(read_csv(response))
    assert set(rows) == {"MP-2026-0002"}
    response = hr_client.get(export_url("xlsx"), {"q": "ase@uni"})
    _header, rows = by_reference(read_xlsx(response))
    assert set(rows) == {"MP-2026-0001"}
    response = hr_client.get(export_url("csv"), {"status": ["accepted"]})
    assert len(read_csv(response)) == 1  # the header only


def test_listing_links_to_exports_with_current_filters(hr_client, applications):
    html = hr_client.get(
        reverse("mentoring_applications:index"), {"role": "mentor"}
    ).content.decode()
    assert export_url("csv") + "?role=mentor" in html
    assert export_url("xlsx") + "?role=mentor" in html


def test_export_escapes_nothing_and_executes_nothing(hr_client, open_round):
    # Text is exported as given (a spreadsheet is not HTML), but never as a
    # formula.
    make_application(round=open_round, full_name="<script>alert(1)</script>")
    _header, rows = by_reference(read_csv(hr_client.get(export_url("csv"))))
    (row,) = rows.values()
    assert "<script>alert(1)</script>" in row.values()


def test_wagtails_own_export_parameter_is_ignored(hr_client, applications):
    for fmt in ("csv", "xlsx"):
        response = hr_client.get(
            reverse("mentoring_applications:index"), {"export": fmt}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")


def test_unknown_format_is_404(hr_client, applications):
    response = hr_client.get(export_url("pdf"), follow=True)
    assert response.status_code == 404


def test_export_query_count_is_constant(
    hr_client, open_round, faculty, django_assert_max_num_queries
):
    for _ in range(30):
        make_application(round=open_round, faculty=faculty)
    with django_assert_max_num_queries(12):
        response = hr_client.get(export_url("csv"))
        b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+47", "'+47"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Åse", "Åse"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (5, 5),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nb",
            {
                "Hvilket opprykk arbeider du mot?": "Professor",
                "Hvor langt har du kommet i opprykksarbeidet?": "Jeg er godt i gang",
                "Hvorfor vil du delta?": "Jeg vil bli professor.",
                "Har du vært mentor før?": "",
                "Jeg vil delta på alle samlingene i runden.": "Ja",
                "Andre svar": "Imported note: «gammelt svar»",
            },
        ),
        (
            "en",
            {
                "Which promotion are you working towards?": "Professor",
                "How far has your promotion work come?": "I am well under way",
                "Why do you want to take part?": "Jeg vil bli professor.",
                "Have you been a mentor before?": "",
                "I will attend all the gatherings of the round.": "Yes",
                "Other answers": "Imported note: «gammelt svar»",
            },
        ),
    ],
)
def test_export_has_a_translated_column_for_every_answer(
    hr_client, hr_user, open_round, faculty, fmt, language, expected
):
    make_application(
        round=open_round,
        faculty=faculty,
        reference="MP-2026-0003",
        answers={
            "promotion_target": "professor",
            "promotion_progress": "under_way",
            "motivation": "Jeg vil bli professor.",
            "confirm_gatherings": True,
            "form_language": "en",
            "imported_note": "«gammelt svar»",
        },
    )
    set_admin_language(hr_user, language)
    response = hr_client.get(export_url(fmt))
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    header, rows = by_reference(rows)
    row = rows["MP-2026-0003"]
    for heading, value in expected.items():
        assert row[heading] == value, heading
    # Every question of both roles' default forms that is not a listing
    # column has its own column, headed by the form's label.
    for role in ("mentee", "mentor"):
        for _step, form_class in default_step_list(role, language):
            with override(language):
                for name, field in form_class(role=role).fields.items():
                    if name in COLUMN_FIELDS or name in MACHINERY_FIELDS:
                        continue
                    assert str(field.label) in header, name
    with override(language):
        assert row[gettext("Language of the form")] == "English"


def test_csv_quotes_separators_quotes_and_line_breaks(hr_client, open_round):
    make_application(
        round=open_round,
        reference="MP-2026-0004",
        full_name='Berg, "Bjørn"; jr.',
        answers={"motivation": "Første linje,\nandre linje; «sitat»"},
    )
    body = b"".join(hr_client.get(export_url("csv")).streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\xef\xbb\xbf") == 1
    text = body.decode("utf-8-sig")
    assert '"Berg, ""Bjørn""; jr."' in text
    assert '"Første linje,\nandre linje; «sitat»"' in text
    assert "\r\n" in text
    _header, rows = by_reference(list(csv.reader(io.StringIO(text))))
    assert 'Berg, "Bjørn"; jr.' in rows["MP-2026-0004"].values()
    assert "Første linje,\nandre linje; «sitat»" in rows["MP-2026-0004"].values()


@pytest.mark.parametrize(
    "query", ["round=garbage", "status=bogus", "role=chef"], ids=str
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_invalid_filter_exports_nothing(hr_client, applications, query, fmt):
    response = hr_client.get(f"{export_url(fmt)}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mentoring_applications:index')}?{query}"
    listing = hr_client.get(response["Location"]).content.decode()
    assert "Filtrene er ikke gyldige" in listing
    for application in applications:
        assert application.reference not in listing


def test_an_invalid_filter_queues_no_background_export(
    hr_client, applications, settings
):
    settings.MENTORING_CMS_XLSX_INLINE_MAX_ROWS = 0
    response = hr_client.post(f"{export_url('xlsx')}?status=bogus")
    assert response.status_code == 302
    assert "exports" not in response["Location"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_faculty_and_round_are_named_in_the_readers_language(
    hr_client, hr_user, programme, open_round, fmt
):
    """The export names each application's faculty and round as the
    listing does (``listing.annotated_applications``): in HR's language
    where there is a translation, else as they are, whichever language
    version the application points at."""
    from mentoring_cms.models import ProgramRoundPage

    from .application_helpers import make_faculty_pair, translate_page

    science_nb, science_en = make_faculty_pair("Realfag", "Natural Sciences")
    law = make_faculty(name="Jus")
    other_round = ProgramRoundPage(
        title="Runde uten engelsk",
        slug="runde-uten-engelsk",
        application_opens=open_round.application_opens,
        application_closes=open_round.application_closes,
        period_start=open_round.period_start,
        period_end=open_round.period_end,
    )
    programme.add_child(instance=other_round)
    translate_page(open_round, "en", title="Round in English")
    make_application(round=open_round, faculty=science_nb, reference="MP-2026-0101")
    make_application(round=open_round, faculty=science_en, reference="MP-2026-0102")
    make_application(round=other_round, faculty=law, reference="MP-2026-0103")
    make_application(round=open_round, faculty=None, reference="MP-2026-0104")
    expected = {
        "nb": {
            "MP-2026-0101": ("Realfag", open_round.title),
            "MP-2026-0102": ("Realfag", open_round.title),
            "MP-2026-0103": ("Jus", "Runde uten engelsk"),
            "MP-2026-0104": ("", open_round.title),
        },
        "en": {
            "MP-2026-0101": ("Natural Sciences", "Round in English"),
            "MP-2026-0102": ("Natural Sciences", "Round in English"),
            "MP-2026-0103": ("Jus", "Runde uten engelsk"),
            "MP-2026-0104": ("", "Round in English"),
        },
    }
    for language, names in expected.items():
        set_admin_language(hr_user, language)
        header, rows = by_reference(
            read_csv(hr_client.get(export_url(fmt)))
            if fmt == "csv"
            else read_xlsx(hr_client.get(export_url(fmt)))
        )
        faculty_heading, round_heading = header[7], header[11]
        for reference, (faculty_name, round_title) in names.items():
            assert rows[reference][faculty_heading] == faculty_name, reference
            assert rows[reference][round_heading] == round_title, reference
