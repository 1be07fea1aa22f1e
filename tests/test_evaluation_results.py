"""HR's evaluation results: figures per role, withheld for groups below the
threshold, free text only from the threshold on, and the same in the CSV
and XLSX exports (issue 17, "Privacy by design")."""

import csv
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from mentoring_cms.models import Application
from mentoring_cms.outcomes.evaluation_results import round_results

from .evaluation_helpers import answer, ask_evaluation
from .participation_helpers import make_running_round, participant
from .utils import set_admin_language

SECRET = "Min helt unike hemmelighet"
FEWER = "fewer than 5"


@pytest.fixture
def running(programme):
    programme_round = make_running_round(programme)
    ask_evaluation(programme_round)
    return programme_round


@pytest.fixture
def hr(hr_client, hr_user):
    set_admin_language(hr_user, "en")
    return hr_client


def results_url(programme_round):
    return (
        reverse("mentoring_evaluation_results")
        + f"?round={programme_round.translation_key}"
    )


def export_url(programme_round, fmt):
    return (
        reverse("mentoring_evaluation_export", args=[fmt])
        + f"?round={programme_round.translation_key}"
    )


def answers(programme_round, count, role=Application.Role.MENTEE, **values):
    for _n in range(count):
        answer(participant(programme_round, role=role), **values)


def question_cells(html, identifier):
    """The data cells of the results table of one question."""
    table = html.split(f'data-mentoring-evaluation-question="{identifier}"')[1]
    table = table.split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", body, re.S)]


def csv_rows(response):
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def xlsx_rows(response):
    data = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def test_one_answer_shows_nothing_of_it(hr, running):
    answer(participant(running), overall="very_poor", change=SECRET, meetings_held="3")
    html = hr.get(results_url(running)).content.decode()
    assert SECRET not in html
    cells = question_cells(html, "overall")
    # Rows: mentees, mentors (none answered: zeros reveal nobody), all. Every
    # cell of the mentees and of all participants is withheld, zeros
    # included (they would give the one answer away).
    width = len(cells) // 3
    mentees, mentors, everyone = (cells[i * width : (i + 1) * width] for i in range(3))
    assert width == 6
    assert all(cell == FEWER for cell in mentees + everyone), cells
    assert set(mentors) == {"0"}
    assert "data-mentoring-texts-withheld" in html

    rows = csv_rows(hr.get(export_url(running, "csv")))
    body = [row for row in rows[1:] if row]
    assert body
    shown = [row for row in body if row[1] != "Mentor"]
    assert all(row[3] in (FEWER, "") and row[5] in (FEWER, "") for row in shown)
    assert all(row[6] == FEWER for row in shown)
    assert SECRET not in str(rows)

    sheets = xlsx_rows(hr.get(export_url(running, "xlsx")))
    assert list(sheets) == ["Results"]
    assert all(
        row[3] in (FEWER, None) for row in sheets["Results"][1:] if row[1] != "Mentor"
    )
    assert SECRET not in str(sheets)


@override_settings(MENTORING_CMS_SMALL_GROUP_THRESHOLD=1)
def test_without_the_threshold_the_one_answer_would_show(hr, running):
    """The test above fails if the threshold is ignored: with a threshold of
    one, the same answer is plain to see."""
    answer(participant(running), overall="very_poor", change=SECRET)
    html = hr.get(results_url(running)).content.decode()
    assert SECRET in html
    assert "1 (100 %)" in question_cells(html, "overall")


def test_at_the_threshold_the_figures_and_texts_show(hr, running):
    answers(running, 5, overall="good", meetings_held="6", change=SECRET)
    html = hr.get(results_url(running)).content.decode()
    mentee_row = question_cells(html, "overall")[:6]
    assert mentee_row == ["5", "0 (0 %)", "5 (100 %)", "0 (0 %)", "0 (0 %)", "0 (0 %)"]
    assert SECRET in html
    assert "6.0" in question_cells(html, "meetings_held")
    rows = csv_rows(hr.get(export_url(running, "csv")))
    good = [r for r in rows if len(r) > 3 and r[1] == "Mentee" and r[2] == "Good"]
    assert good[0][3:5] == ["5", "100 %"]
    assert ["What should we change?", SECRET] in rows
    sheets = xlsx_rows(hr.get(export_url(running, "xlsx")))
    assert ["What should we change?", SECRET] in sheets["Free-text answers"]


def test_a_small_role_hides_itself_and_the_total(running):
    answers(running, 6, overall="good")
    answers(running, 1, role=Application.Role.MENTOR, overall="very_poor")
    results = round_results(running)
    overall = next(q for q in results.questions if q.id == "overall")
    mentees, mentors, everyone = overall.groups
    assert not mentees.suppressed
    assert mentors.suppressed and everyone.suppressed
    assert all(c.count.suppressed for c in mentors.choices + everyone.choices)
    assert results.answers["all"].suppressed
    assert results.answers["mentee"].value == 6
    # Free text: the round has enough answers.
    assert results.texts_shown


def test_a_split_with_a_small_side_hides_both_sides(running):
    answers(running, 5, overall="good")
    answers(running, 1, overall="poor")
    results = round_results(running)
    overall = next(q for q in results.questions if q.id == "overall")
    mentees = overall.groups[0]
    counts = {c.value: c.count for c in mentees.choices}
    assert counts["good"].suppressed and counts["poor"].suppressed
    assert counts["fair"].value == 0
    assert mentees.respondents.value == 6


def test_averages_need_the_threshold_of_numbers(running):
    answers(running, 4, meetings_held="8")
    answers(running, 2, meetings_held=None)
    results = round_results(running)
    held = next(q for q in results.questions if q.id == "meetings_held")
    assert held.groups[0].average.suppressed


def test_exported_free_text_cannot_run_as_a_formula(hr, running):
    answers(running, 5, change='=HYPERLINK("http://x")')
    rows = csv_rows(hr.get(export_url(running, "csv")))
    texts = [row[1] for row in rows if row and row[0] == "What should we change?"]
    assert texts and all(text.startswith("'=") for text in texts)


def test_results_are_in_the_admin_language(hr_client, hr_user, running):
    set_admin_language(hr_user, "nb")
    answers(running, 5)
    html = hr_client.get(results_url(running)).content.decode()
    assert "Evalueringsresultater" in html
    assert "Alle deltakere" in html


def test_results_need_the_reviewer_permission(client, editor_user, running):
    answers(running, 5)
    for url in (results_url(running), export_url(running, "csv")):
        assert client.get(url).status_code == 302
    client.force_login(editor_user)
    for url in (results_url(running), export_url(running, "xlsx")):
        assert client.get(url).status_code == 403


def test_an_unknown_export_format_is_not_found(hr, running):
    assert hr.get(export_url(running, "pdf"), follow=True).status_code == 404


def dashboard_section(html):
    section = html.split("data-mentoring-evaluation-section")[1]
    return section.split("</table>")[0]


def section_cells(html):
    row = dashboard_section(html).split("<tbody>")[1]
    return re.findall(r"<td[^>]*>([^<]*)</td>", row)


def test_the_programme_dashboard_counts_each_rounds_answers(hr, running):
    answers(running, 6)
    answers(running, 5, role=Application.Role.MENTOR)
    html = hr.get(reverse("mentoring_outcomes_dashboard")).content.decode()
    assert section_cells(html) == ["6", "5", "11"]
    assert results_url(running).replace("&", "&amp;") in dashboard_section(html)


def test_the_dashboard_never_shows_one_persons_answer_count(hr, running):
    # One mentor answered: her count, and the total that would give it away
    # by subtraction, are withheld.
    answers(running, 6)
    answers(running, 1, role=Application.Role.MENTOR)
    html = hr.get(reverse("mentoring_outcomes_dashboard")).content.decode()
    assert section_cells(html) == ["6", FEWER, FEWER]


def test_the_dashboard_section_takes_the_same_queries_for_more_rounds(
    hr, programme, django_assert_num_queries
):
    from mentoring_cms.admin.evaluation import dashboard_section as section_for

    first = make_running_round(programme)
    ask_evaluation(first)
    answers(first, 2)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            section_for(None)
        return len(captured)

    one = count()
    for year in (2030, 2031, 2032):
        more = make_running_round(
            programme, slug=f"runde-{year}", title=f"Runde {year}"
        )
        ask_evaluation(more)
        answers(more, 1)
    assert count() == one


def test_the_dashboard_exports_carry_the_evaluation_answers_suppressed(hr, running):
    answers(running, 6)
    answers(running, 1, role=Application.Role.MENTOR)
    csv_lines = csv_rows(hr.get(reverse("mentoring_outcomes_export", args=["csv"])))
    evaluation = {
        row[2]: row[3]
        for row in csv_lines
        if row and row[0] == "End-of-round evaluation"
    }
    assert evaluation == {
        "Mentees who answered": "6",
        "Mentors who answered": FEWER,
        "All who answered": FEWER,
    }
    sheets = xlsx_rows(hr.get(reverse("mentoring_outcomes_export", args=["xlsx"])))
    [row] = sheets["End-of-round evaluation"][1:]
    assert [str(value) for value in row[1:]] == ["6", FEWER, FEWER]
