"""The round's editor and its selection criteria: rows of the page, one
that has been scored cannot be removed, and a new round gets the seed's."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset

from mentoring_cms.models import Application, ProgramRoundPage, SelectionCriterion

from .selection_helpers import make_reviewer, review
from .test_pages import add_url, round_form
from .utils import make_application


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def criteria_rows(programme_round, delete_first=False):
    rows = []
    for index, criterion in enumerate(programme_round.selection_criteria.all()):
        row = {
            "id": criterion.pk,
            "label": criterion.label,
            "scale_min": criterion.scale_min,
            "scale_max": criterion.scale_max,
        }
        if delete_first and index == 0:
            row["DELETE"] = "on"
        rows.append(row)
    return inline_formset(rows, initial=len(rows))


def edit(client, programme_round, delete_first):
    data = round_form(
        title=programme_round.title,
        slug=programme_round.slug,
        period_start=programme_round.period_start.isoformat(),
        period_end=programme_round.period_end.isoformat(),
        application_opens=programme_round.application_opens.strftime("%Y-%m-%d %H:%M"),
        application_closes=programme_round.application_closes.strftime(
            "%Y-%m-%d %H:%M"
        ),
        selection_criteria=criteria_rows(programme_round, delete_first),
    )
    data["action-publish"] = "action-publish"
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[programme_round.pk]), data
    )


def test_a_scored_criterion_cannot_be_removed(admin_client, open_round, faculty):
    application = make_application(
        round=open_round, faculty=faculty, status=Application.Status.NOMINATED
    )
    review(application, make_reviewer("komite1"), 4)
    response = edit(admin_client, open_round, delete_first=True)
    assert response.status_code == 200
    assert "kan ikke fjernes" in response.content.decode()
    assert SelectionCriterion.objects.filter(round=open_round).count() == 3


def test_an_unscored_criterion_can_be_removed(admin_client, open_round):
    response = edit(admin_client, open_round, delete_first=True)
    assert response.status_code == 302
    assert SelectionCriterion.objects.filter(round=open_round).count() == 2


def test_a_round_made_in_the_editor_gets_the_three_criteria(admin_client, programme):
    response = admin_client.post(
        add_url(ProgramRoundPage, programme),
        round_form(selection_criteria=inline_formset([])),
    )
    assert response.status_code == 302
    programme_round = ProgramRoundPage.objects.get(slug="runde-2027")
    assert programme_round.selection_criteria.count() == 3


def test_copy_to_next_round_keeps_the_criteria_paired_in_both_languages(
    home, programme, open_round
):
    from mentoring_cms.round_copy import copy_round_to_next

    from .utils import translate_page

    translate_page(home, title="Home", slug="home-en")
    translate_page(programme, title="Mentoring programme", slug="mentoring")
    english = translate_page(open_round, title="Round")
    assert {c.translation_key for c in english.selection_criteria.all()} == {
        c.translation_key for c in open_round.selection_criteria.all()
    }
    new_round = copy_round_to_next(open_round)
    new_english = new_round.get_translation(english.locale)
    new_keys = {c.translation_key for c in new_round.selection_criteria.all()}
    assert len(new_keys) == 3
    assert new_keys.isdisjoint(
        {c.translation_key for c in open_round.selection_criteria.all()}
    )
    assert {c.translation_key for c in new_english.selection_criteria.all()} == (
        new_keys
    )
