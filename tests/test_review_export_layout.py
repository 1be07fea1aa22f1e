"""The XLSX export as a reviewer opens it: one sheet per role with only that
role's questions, a bold frozen heading row with a filter, columns as wide
as their contents, and HR's internal notes. The file written while HR waits
and the one written in the background are the same workbook."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import get_language, override
from openpyxl import load_workbook

from mentoring_cms.admin.export_tasks import write_export_file
from mentoring_cms.admin.exports import XLSX_MAX_WIDTH
from mentoring_cms.models import Application, ExportFile
from mentoring_cms.operations import add_note
from mentoring_cms.step_forms import default_step_list

from .utils import make_application, set_admin_language

Role = Application.Role
LONG_NAME = "Åse Ødegård Æsøy-Kristiansen Bergheim"


@pytest.fixture
def applications(open_round, faculty, hr_user):
    mentee = make_application(
        round=open_round,
        faculty=faculty,
        reference="MP-2026-1001",
        full_name=LONG_NAME,
        attachment_name="cv.pdf",
    )
    mentor = make_application(
        round=open_round,
        faculty=faculty,
        role=Role.MENTOR,
        reference="MP-2026-1002",
        full_name="Bjørn Berg",
        answers={"motivation": "Dele erfaring.", "mentor_experience": "yes"},
    )
    add_note(mentee, "Sterk kandidat.", user=hr_user)
    add_note(mentee, "Nominert av fakultetet.", user=hr_user)
    return {"mentee": mentee, "mentor": mentor}


def inline_workbook(client):
    response = client.get(reverse("mentoring_applications:export", args=["xlsx"]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def background_workbook(client):
    user = client.get(reverse("wagtailadmin_home")).wsgi_request.user
    export = ExportFile.objects.create(requested_by=user, filters={}, language="nb")
    write_export_file.call(export.pk)
    export.refresh_from_db()
    assert export.status == ExportFile.Status.READY
    return load_workbook(io.BytesIO(export.file.read()))


def role_labels(role, other):
    """Labels of the questions only ``role`` is asked (not ``other``) by the
    default form, in the active language."""

    def labels(of):
        return {
            name: str(field.label)
            for _step, form_class in default_step_list(of, get_language())
            for name, field in form_class(role=of).fields.items()
            if name not in ("website", "notice_version")
        }

    asked, asked_other = labels(role), labels(other)
    return {label for name, label in asked.items() if name not in asked_other}


@pytest.mark.parametrize("make", [inline_workbook, background_workbook])
def test_one_formatted_sheet_per_role(hr_client, hr_user, applications, make):
    set_admin_language(hr_user, "nb")
    workbook = make(hr_client)
    with override("nb"):
        titles = [str(Role.MENTEE.label), str(Role.MENTOR.label)]
        only = {
            Role.MENTEE: role_labels(Role.MENTEE, Role.MENTOR),
            Role.MENTOR: role_labels(Role.MENTOR, Role.MENTEE),
        }
    assert workbook.sheetnames == titles
    mentee_sheet, mentor_sheet = workbook.worksheets
    for sheet, role, other, reference in (
        (mentee_sheet, Role.MENTEE, Role.MENTOR, "MP-2026-1001"),
        (mentor_sheet, Role.MENTOR, Role.MENTEE, "MP-2026-1002"),
    ):
        header = [cell.value for cell in sheet[1]]
        rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert [row[0] for row in rows] == [reference], sheet.title
        # Only this role's questions: nothing the other role alone is asked.
        assert not (set(header) & only[other]), sheet.title
        assert only[role] & set(header), sheet.title
        # The listing's own columns that only mentees are asked for.
        mentee_columns = {"Fast ansatt", "CV eller publikasjonsliste"}
        if role == Role.MENTEE:
            assert mentee_columns <= set(header)
        else:
            assert not (mentee_columns & set(header))
        assert header[-1] == "Interne notater", sheet.title
        # Bold, frozen heading row with a filter over every row.
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        last = sheet.cell(row=1, column=len(header)).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{len(rows) + 1}", sheet.title
        # Widths fit the contents, within a readable line.
        for index, heading in enumerate(header, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            width = sheet.column_dimensions[letter].width
            assert 8 <= width <= XLSX_MAX_WIDTH, (sheet.title, heading, width)
    name_column = [c.value for c in mentee_sheet[1]].index("Navn") + 1
    letter = mentee_sheet.cell(row=1, column=name_column).column_letter
    assert mentee_sheet.column_dimensions[letter].width >= len(LONG_NAME)
    notes = list(mentee_sheet.iter_rows(min_row=2, values_only=True))[0][-1]
    assert "Sterk kandidat." in notes and "Nominert av fakultetet." in notes
    assert notes.index("Sterk kandidat.") < notes.index("Nominert av fakultetet.")
    assert "hr" in notes
    mentor_notes = list(mentor_sheet.iter_rows(min_row=2, values_only=True))[0][-1]
    assert not mentor_notes
    submitted = [c.value for c in mentee_sheet[1]].index("Sendt inn") + 1
    assert (
        mentee_sheet.cell(row=2, column=submitted).number_format == "yyyy-mm-dd hh:mm"
    )


def test_notes_are_read_per_chunk_not_per_row(
    hr_client, hr_user, open_round, faculty, django_assert_max_num_queries
):
    for number in range(20):
        application = make_application(round=open_round, faculty=faculty)
        add_note(application, f"Notat {number}", user=hr_user)
    user = hr_user
    export = ExportFile.objects.create(requested_by=user, filters={}, language="nb")
    with django_assert_max_num_queries(20):
        write_export_file.call(export.pk)
    export.refresh_from_db()
    sheet = load_workbook(io.BytesIO(export.file.read())).worksheets[0]
    notes = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(notes) == 20 and all(note and "Notat" in note for note in notes)


def test_an_answer_the_role_is_not_asked_is_kept_under_other_answers(
    hr_client, hr_user, open_round, faculty
):
    set_admin_language(hr_user, "nb")
    make_application(
        round=open_round,
        faculty=faculty,
        role=Role.MENTOR,
        reference="MP-2026-1003",
        answers={"motivation": "Importert svar."},
    )
    sheet = inline_workbook(hr_client)[str(Role.MENTOR.label)]
    header = [cell.value for cell in sheet[1]]
    values = next(sheet.iter_rows(min_row=2, values_only=True))
    row = dict(zip(header, values, strict=True))
    assert "Importert svar." in row["Andre svar"]
