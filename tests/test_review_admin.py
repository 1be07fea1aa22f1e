"""HR's listing, detail page, decisions, notes, bulk action and file download."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from mentoring_cms.models import Application, ApplicationNote

from .utils import (
    make_application,
    make_faculty,
    make_round,
    oslo,
    set_admin_language,
)

Status = Application.Status
SCRIPT = '<script>alert("x")</script><b>fet</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fet&lt;/b&gt;"

INDEX = "mentoring_applications:index"


def url(name, *args):
    return reverse(f"mentoring_applications:{name}", args=args)


def messages_of(response):
    """Every message the page shows: Wagtail's message area at the top and,
    on an application's page, the outcome of a decision beside its form."""
    shown = [*response.context["messages"]]
    shown += response.context.get("decision_messages") or []
    return [str(message) for message in shown]


# Listing -------------------------------------------------------------------


def test_listing_shows_columns_and_count(hr_client, open_round, faculty):
    make_application(
        round=open_round,
        faculty=faculty,
        full_name="Åse Ødegård",
        reference="MP-2026-0001",
    )
    make_application(
        round=open_round,
        role=Application.Role.MENTOR,
        full_name="Bjørn Berg",
        reference="MP-2026-0002",
    )
    response = hr_client.get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("MP-2026-0001", "Åse Ødegård", "Bjørn Berg", open_round.title):
        assert text in html
    assert "Fakultet for naturvitenskap" in html
    assert "data-mentoring-result-count" in html
    assert response.context["items_count"] == 2
    assert url("edit", Application.objects.get(reference="MP-2026-0001").pk) in html


def test_listing_shows_faculty_in_the_reviewers_language(
    hr_client, hr_user, open_round, faculty
):
    from .utils import get_locale

    english = faculty.copy_for_translation(get_locale("en"))
    english.name = "Faculty of Natural Sciences"
    english.save()
    make_application(round=open_round, faculty=faculty)
    set_admin_language(hr_user, "en")
    html = hr_client.get(reverse(INDEX)).content.decode()
    assert "Faculty of Natural Sciences" in html
    set_admin_language(hr_user, "nb")
    html = hr_client.get(reverse(INDEX)).content.decode()
    assert "Fakultet for naturvitenskap" in html


def test_search_by_name_email_and_reference(hr_client, open_round):
    make_application(
        round=open_round,
        full_name="Ingrid Ås",
        email="ingrid@uni.no",
        reference="MP-2026-0101",
    )
    make_application(
        round=open_round,
        full_name="Per Hansen",
        email="per@uni.no",
        reference="MP-2026-0102",
    )
    for query, expected in [
        ("Ingrid Ås", {"MP-2026-0101"}),
        ("ingrid", {"MP-2026-0101"}),
        ("per@uni", {"MP-2026-0102"}),
        ("0102", {"MP-2026-0102"}),
        ("MP-2026-01", {"MP-2026-0101", "MP-2026-0102"}),
        ("nobody", set()),
    ]:
        response = hr_client.get(reverse(INDEX), {"q": query})
        found = {app.reference for app in response.context["object_list"]}
        assert found == expected, query


def test_filters_by_round_role_faculty_status_and_date(
    hr_client, programme, open_round, faculty
):
    old_round = make_round(
        programme,
        title="Runde 2020",
        slug="runde-2020",
        application_opens=oslo(2020, 1, 1),
        application_closes=oslo(2020, 2, 1),
        period_start=datetime.date(2020, 3, 1),
        period_end=datetime.date(2020, 12, 1),
    )
    other = make_faculty(name="Det juridiske fakultet")
    a = make_application(
        round=open_round,
        faculty=faculty,
        reference="A",
        submitted_at=oslo(2026, 1, 10, 12),
    )
    b = make_application(
        round=open_round,
        faculty=other,
        role=Application.Role.MENTOR,
        reference="B",
        status=Status.UNDER_REVIEW,
        submitted_at=oslo(2026, 1, 20, 12),
    )
    c = make_application(round=old_round, faculty=faculty, reference="C")

    def refs(**params):
        response = hr_client.get(reverse(INDEX), params)
        assert response.status_code == 200
        return {app.reference for app in response.context["object_list"]}

    assert refs() == {"A", "B", "C"}
    assert refs(round=str(old_round.translation_key)) == {"C"}
    assert refs(role="mentor") == {"B"}
    assert refs(faculty=str(faculty.translation_key)) == {"A", "C"}
    assert refs(status=["under_review"]) == {"B"}
    assert refs(status=["under_review", "submitted"]) == {"A", "B", "C"}
    assert refs(submitted_at_from="2026-01-15", submitted_at_to="2026-01-31") == {"B"}
    assert refs(submitted_at_from="2026-01-10", submitted_at_to="2026-01-10") == {"A"}
    assert a and b and c


def test_sorting_and_pagination(hr_client, open_round):
    for name in ("Cecilie", "Anne", "Berit"):
        make_application(round=open_round, full_name=name)
    response = hr_client.get(reverse(INDEX), {"ordering": "full_name"})
    names = [app.full_name for app in response.context["object_list"]]
    assert names == ["Anne", "Berit", "Cecilie"]
    response = hr_client.get(reverse(INDEX), {"ordering": "-full_name"})
    assert [app.full_name for app in response.context["object_list"]][0] == "Cecilie"
    assert response.context["paginator"].per_page == 50


def test_listing_query_count_does_not_grow_with_rows(hr_client, open_round, faculty):
    def build(count):
        start = Application.objects.count()
        Application.objects.bulk_create(
            Application(
                round=open_round,
                faculty=faculty,
                role="mentee",
                position="associate_professor",
                full_name=f"Søker {i}",
                email=f"s{i}@example.org",
                reference=f"MP-Q-{i:05d}",
            )
            for i in range(start, count)
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = hr_client.get(reverse(INDEX))
        assert response.status_code == 200
        return len(captured)

    build(10)
    hr_client.get(reverse(INDEX))  # warm caches (content types, profile)
    few = queries()
    build(1000)
    many = queries()
    assert few == many
    assert many <= 25


def test_listing_escapes_applicant_input(hr_client, open_round, faculty):
    faculty.name = SCRIPT
    faculty.save()
    make_application(round=open_round, faculty=faculty, full_name=SCRIPT)
    html = hr_client.get(reverse(INDEX)).content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html or "&lt;script&gt;" in html
    # The faculty filter lists the faculty name escaped as well.
    html = hr_client.get(
        reverse(INDEX), {"faculty": str(faculty.translation_key)}
    ).content.decode()
    assert SCRIPT not in html


def test_search_and_bulk_confirmation_escape_applicant_input(hr_client, open_round):
    application = make_application(round=open_round, full_name=SCRIPT)
    html = hr_client.get(reverse(INDEX), {"q": SCRIPT}).content.decode()
    assert SCRIPT not in html
    html = hr_client.get(bulk_url(application.pk)).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_decision_form_preselects_nothing(hr_client, open_round):
    application = make_application(round=open_round)
    response = hr_client.get(url("edit", application.pk))
    form = response.context["decision_form"]
    assert form.fields["status"].choices[0][0] == ""
    assert [value for value, _label in form.fields["status"].choices[1:]] == [
        "under_review",
        "rejected",
        "withdrawn",
    ]
    hr_client.post(url("status", application.pk), {"status": ""})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# Detail --------------------------------------------------------------------


def test_detail_shows_answers_in_step_order(hr_client, open_round, faculty):
    application = make_application(
        round=open_round,
        faculty=faculty,
        full_name="Åse Ødegård",
        answers={
            "motivation": "Bli professor innen 2028.",
            "promotion_progress": "under_way",
            "confirm_gatherings": True,
            "something_new": "Ekstra svar",
        },
    )
    response = hr_client.get(url("edit", application.pk))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [
        html.index(text)
        for text in (
            "Åse Ødegård",
            "Fakultet for naturvitenskap",
            "Jeg er godt i gang",
            "Bli professor innen 2028.",
            "Ekstra svar",
        )
    ]
    assert positions == sorted(positions)


def test_detail_labels_follow_the_reviewers_admin_language(
    hr_client, hr_user, open_round, faculty
):
    application = make_application(
        round=open_round, faculty=faculty, answers={"motivation": "Fordi."}
    )
    set_admin_language(hr_user, "en")
    html = hr_client.get(url("edit", application.pk)).content.decode()
    assert "Why do you want to take part?" in html
    assert "Fordi." in html
    set_admin_language(hr_user, "nb")
    html = hr_client.get(url("edit", application.pk)).content.decode()
    assert "Hvorfor vil du delta?" in html
    assert "Fordi." in html


def test_detail_escapes_applicant_input(hr_client, open_round, faculty):
    application = make_application(
        round=open_round,
        faculty=faculty,
        full_name=SCRIPT,
        department=SCRIPT,
        answers={"motivation": SCRIPT, SCRIPT: SCRIPT},
    )
    ApplicationNote.objects.create(application=application, text=SCRIPT)
    html = hr_client.get(url("edit", application.pk)).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_unknown_application_is_404_for_reviewers(hr_client, open_round):
    response = hr_client.get(url("edit", 987654), follow=True)
    assert response.status_code == 404


# Decisions -----------------------------------------------------------------


def test_status_change_view_moves_and_logs(hr_client, hr_user, open_round, faculty):
    application = make_application(round=open_round, faculty=faculty)
    response = hr_client.post(
        url("status", application.pk), {"status": "under_review"}, follow=True
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert any(application.reference in m for m in messages_of(response))
    entry = ModelLogEntry.objects.get(object_id=str(application.pk))
    assert entry.user == hr_user
    html = response.content.decode()
    assert 'id="history"' in html


def test_status_change_refused_shows_message_and_changes_nothing(
    hr_client, hr_user, open_round, faculty
):
    set_admin_language(hr_user, "en")
    open_round.faculty_quota = 1
    open_round.save()
    make_application(round=open_round, faculty=faculty, status=Status.NOMINATED)
    application = make_application(
        round=open_round, faculty=faculty, status=Status.UNDER_REVIEW
    )
    response = hr_client.post(
        url("status", application.pk), {"status": "nominated"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    text = " ".join(messages_of(response))
    assert "Fakultet for naturvitenskap" in text
    assert "is 1" in text
    # A status the form does not offer is refused too.
    response = hr_client.post(
        url("status", application.pk), {"status": "accepted"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert "Choose one of the statuses offered" in " ".join(messages_of(response))
    assert not ModelLogEntry.objects.filter(object_id=str(application.pk)).exists()


def test_forged_post_cannot_change_other_fields(hr_client, open_round, faculty):
    application = make_application(round=open_round, faculty=faculty)
    before = Application.objects.filter(pk=application.pk).values().get()
    hr_client.post(
        url("status", application.pk),
        {
            "status": "bogus",
            "full_name": "Forged",
            "email": "forged@example.org",
            "round": 1,
            "answers": "{}",
        },
    )
    hr_client.post(
        url("note", application.pk),
        {"text": "", "full_name": "Forged", "application": 999},
    )
    assert Application.objects.filter(pk=application.pk).values().get() == before
    hr_client.post(
        url("status", application.pk),
        {"status": "under_review", "full_name": "Forged", "email": "x@example.org"},
    )
    after = Application.objects.get(pk=application.pk)
    assert after.status == Status.UNDER_REVIEW
    assert after.full_name == before["full_name"]
    assert after.email == before["email"]


def test_status_message_escapes_reference(hr_client, open_round):
    application = make_application(round=open_round, reference="<i>MP</i>")
    response = hr_client.post(
        url("status", application.pk), {"status": "under_review"}, follow=True
    )
    html = response.content.decode()
    assert "<i>MP</i>" not in html
    assert "&lt;i&gt;MP&lt;/i&gt;" in html


def test_notes_are_added_logged_and_shown(hr_client, hr_user, open_round):
    application = make_application(round=open_round)
    response = hr_client.post(
        url("note", application.pk), {"text": "Ring fakultetet."}, follow=True
    )
    assert response.status_code == 200
    note = ApplicationNote.objects.get(application=application)
    assert note.author == hr_user
    assert "Ring fakultetet." in response.content.decode()
    entry = ModelLogEntry.objects.get(object_id=str(application.pk))
    assert "Ring" not in str(entry.data) and "Ring" not in entry.message


def test_empty_note_is_refused(hr_client, open_round):
    application = make_application(round=open_round)
    hr_client.post(url("note", application.pk), {"text": "  "})
    assert not ApplicationNote.objects.exists()


# Bulk action ---------------------------------------------------------------


def bulk_url(*ids):
    base = reverse(
        "wagtail_bulk_action", args=["mentoring_cms", "application", "change_status"]
    )
    return base + "?" + "&".join(f"id={pk}" for pk in ids)


def test_bulk_change_status(hr_client, open_round, faculty):
    apps = [make_application(round=open_round, faculty=faculty) for _ in range(3)]
    response = hr_client.get(bulk_url(apps[0].pk, apps[1].pk))
    assert response.status_code == 200
    assert apps[0].reference in response.content.decode()
    response = hr_client.post(
        bulk_url(apps[0].pk, apps[1].pk),
        {"status": "under_review", "next": reverse(INDEX)},
        follow=True,
    )
    assert response.status_code == 200
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[apps[0].pk] == statuses[apps[1].pk] == Status.UNDER_REVIEW
    assert statuses[apps[2].pk] == Status.SUBMITTED
    assert ModelLogEntry.objects.filter(action__endswith="status_change").count() == 2


def test_bulk_change_reports_refusals(hr_client, hr_user, open_round, faculty):
    set_admin_language(hr_user, "en")
    reviewed = make_application(
        round=open_round, faculty=faculty, status=Status.UNDER_REVIEW
    )
    fresh = make_application(round=open_round, faculty=faculty)
    response = hr_client.post(
        bulk_url(reviewed.pk, fresh.pk), {"status": "nominated"}, follow=True
    )
    text = " ".join(messages_of(response))
    assert fresh.reference in text and "cannot change" in text
    fresh.refresh_from_db()
    reviewed.refresh_from_db()
    assert fresh.status == Status.SUBMITTED
    assert reviewed.status == Status.NOMINATED


def test_bulk_action_with_unknown_ids_changes_and_reveals_nothing(
    hr_client, open_round
):
    application = make_application(round=open_round)
    for ids in [(999999,), ("abc",), ("1 OR 1=1",)]:
        response = hr_client.post(bulk_url(*ids), {"status": "rejected"}, follow=True)
        assert response.status_code == 404
    # Unknown ids next to a real one are ignored.
    hr_client.post(bulk_url(application.pk, 999999), {"status": "under_review"})
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert Application.objects.count() == 1


def test_bulk_action_rejects_forged_status_and_fields(hr_client, open_round):
    application = make_application(round=open_round)
    before = Application.objects.filter(pk=application.pk).values().get()
    response = hr_client.post(
        bulk_url(application.pk),
        {"status": "submitted", "full_name": "Forged", "reference": "X"},
    )
    assert response.status_code == 200  # the form again, with its error
    hr_client.post(bulk_url(application.pk), {"status": "made_up"})
    assert Application.objects.filter(pk=application.pk).values().get() == before


# Attachment ----------------------------------------------------------------


def test_attachment_download_headers(hr_client, open_round):
    from .application_helpers import make_pdf_bytes

    application = make_application(round=open_round, attachment_name="../../cv.pdf")
    content = make_pdf_bytes()
    application.attachment.save("cv.pdf", ContentFile(content), save=True)
    response = hr_client.get(url("attachment", application.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert application.reference in response["Content-Disposition"]
    assert "cv" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_attachment_missing_is_404(hr_client, open_round):
    application = make_application(round=open_round)
    response = hr_client.get(url("attachment", application.pk), follow=True)
    assert response.status_code == 404


def test_menu_is_shown_to_reviewers_only(client, hr_user, editor_user):
    client.force_login(hr_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in html
    assert url("summary") in html
    client.force_login(editor_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) not in html
    assert url("summary") not in html


def test_bulk_change_message_uses_singular_and_plural(hr_client, hr_user, open_round):
    set_admin_language(hr_user, "nb")
    one = make_application(round=open_round)
    response = hr_client.post(bulk_url(one.pk), {"status": "under_review"}, follow=True)
    assert messages_of(response)[0].startswith(
        f"1 søknad har fått status «Under behandling»: {one}."
    )
    two = [make_application(round=open_round) for _ in range(2)]
    response = hr_client.post(
        bulk_url(*(app.pk for app in two)), {"status": "under_review"}, follow=True
    )
    assert any(
        m.startswith("2 søknader har fått status") for m in messages_of(response)
    )


def test_bulk_select_all_keeps_the_listings_filters(hr_client, programme, open_round):
    other_round = make_round(programme, title="Runde B", slug="runde-b")
    in_a = [make_application(round=open_round) for _ in range(2)]
    in_b = make_application(round=other_round)
    base = reverse(
        "wagtail_bulk_action", args=["mentoring_cms", "application", "change_status"]
    )
    query = f"?id=all&round={open_round.translation_key}"
    response = hr_client.get(base + query)
    assert response.status_code == 200
    assert in_b.reference not in response.content.decode()
    hr_client.post(base + query, {"status": "under_review"})
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[app.pk] for app in in_a] == [Status.UNDER_REVIEW] * 2
    assert statuses[in_b.pk] == Status.SUBMITTED

    # A search narrows "select all" too.
    response = hr_client.post(
        base + f"?id=all&q={in_b.reference}", {"status": "rejected"}
    )
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[in_b.pk] == Status.REJECTED
    assert [statuses[app.pk] for app in in_a] == [Status.UNDER_REVIEW] * 2


def test_listing_cells_are_escaped_like_wagtails(hr_client, open_round):
    # The listing writes its text cells without a template (for speed); the
    # markup and escaping stay those of Wagtail's cell template. The faculty
    # is such a cell; the name is Wagtail's own title column (the link).
    faculty = make_faculty(name="<i>Fakultet</i> & Ødegård")
    make_application(
        round=open_round, faculty=faculty, full_name="<b>Åse</b> & Ødegård"
    )
    html = hr_client.get(reverse("mentoring_applications:index")).content.decode()
    assert "<td>&lt;i&gt;Fakultet&lt;/i&gt; &amp; Ødegård</td>" in html
    assert "&lt;b&gt;Åse&lt;/b&gt; &amp; Ødegård" in html
    assert "<b>Åse</b>" not in html
    assert "<i>Fakultet</i>" not in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_template_free_cells_match_wagtails_own(open_round, faculty, language):
    """The listing's cells written without templates give the same HTML as
    Wagtail's column classes (whitespace aside)."""
    import re

    from django.utils import translation
    from wagtail.admin.ui.tables import Column, DateColumn

    from mentoring_cms.admin.listing_views import SubmittedColumn, TextColumn

    application = make_application(
        round=open_round, faculty=faculty, full_name="<i>Åse</i> Ødegård"
    )
    context = {"row": None, "table": None, "request": None}

    def squeeze(html):
        html = re.sub(r"<td\s+>", "<td>", html)
        return re.sub(r"\s*\n\s*", "", re.sub(r">\s+<", "><", html)).strip()

    with translation.override(language):
        for ours, wagtails in [
            (TextColumn("full_name"), Column("full_name")),
            (
                TextColumn("status", accessor="get_status_display"),
                Column("status", accessor="get_status_display"),
            ),
            (SubmittedColumn("submitted_at"), DateColumn("submitted_at")),
        ]:
            assert squeeze(ours.render_cell_html(application, context)) == squeeze(
                wagtails.render_cell_html(application, context)
            )
