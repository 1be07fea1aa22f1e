"""Migration 0018: rounds made before selection criteria existed get the
seed's three, in each language the round is translated into, paired by
translation key; going back removes only what it added."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mentoring_cms.models import Application, ProgramRoundPage, SelectionCriterion

from .selection_helpers import make_reviewer, review
from .utils import make_application, make_round, translate_page

migration = importlib.import_module("mentoring_cms.migrations.0018_selection_followup")

NB_LABELS = [
    "Motivasjon",
    "Begrunnelse",
    "Hvor langt du er kommet i opprykksarbeidet",
]
EN_LABELS = ["Motivation", "Justification", "Progress towards promotion"]


def labels(page):
    return list(
        SelectionCriterion.objects.filter(round=page)
        .order_by("sort_order")
        .values_list("label", flat=True)
    )


def keys(page):
    return list(
        SelectionCriterion.objects.filter(round=page)
        .order_by("sort_order")
        .values_list("translation_key", flat=True)
    )


def without_criteria(*pages):
    """As before migration 0013: the rounds have no criteria, and the
    latest revision of each stored none."""
    SelectionCriterion.objects.filter(round__in=pages).delete()
    for page in pages:
        ProgramRoundPage.objects.get(pk=page.pk).save_revision()


@pytest.fixture
def translated_round(home, programme, open_round):
    translate_page(home, title="Home", slug="home-en")
    translate_page(programme, title="Mentoring programme", slug="mentoring")
    english = translate_page(open_round, title="Round")
    without_criteria(open_round, english)
    return open_round, english


def test_rounds_without_criteria_get_the_defaults_in_both_languages(
    translated_round, programme
):
    norwegian, english = translated_round
    other = make_round(programme, title="Runde med egne", slug="egne")
    own_criteria = list(SelectionCriterion.objects.filter(round=other))

    migration.add_default_criteria(django_apps, None)

    assert labels(norwegian) == NB_LABELS
    assert labels(english) == EN_LABELS
    assert keys(norwegian) == keys(english)
    assert len(set(keys(norwegian))) == 3
    assert all(
        (c.scale_min, c.scale_max) == (1, 5)
        for c in SelectionCriterion.objects.filter(round=norwegian)
    )
    assert set(
        SelectionCriterion.objects.filter(round=norwegian).values_list(
            "locale__language_code", flat=True
        )
    ) == {"nb"}
    # A round that had criteria keeps exactly its own.
    assert list(SelectionCriterion.objects.filter(round=other)) == own_criteria
    # The next edit of the page starts from the revision: it holds them too.
    page = ProgramRoundPage.objects.get(pk=norwegian.pk)
    latest = page.get_latest_revision_as_object()
    assert [c.label for c in latest.selection_criteria.all()] == NB_LABELS

    # Run again: nothing more is added.
    migration.add_default_criteria(django_apps, None)
    assert SelectionCriterion.objects.filter(round=norwegian).count() == 3
    assert SelectionCriterion.objects.filter(round=english).count() == 3


def test_the_added_criteria_can_be_scored(translated_round, faculty):
    norwegian, _english = translated_round
    migration.add_default_criteria(django_apps, None)
    application = make_application(
        round=norwegian, faculty=faculty, status=Application.Status.NOMINATED
    )
    reviewed = review(application, make_reviewer("komite1"), 5, 3, 4)
    assert reviewed.mean == 4
    assert reviewed.scores.count() == 3


def test_a_translation_without_criteria_gets_the_sources_keys(
    home, programme, open_round
):
    translate_page(home, title="Home", slug="home-en")
    translate_page(programme, title="Mentoring programme", slug="mentoring")
    english = translate_page(open_round, title="Round")
    first = SelectionCriterion.objects.filter(round=open_round).order_by("sort_order")[
        0
    ]
    first.label = "Egen vurdering"
    first.save()
    without_criteria(english)

    migration.add_default_criteria(django_apps, None)

    assert keys(english) == keys(open_round)
    # A default label is put into English; the round's own label is kept.
    assert labels(english) == ["Egen vurdering", *EN_LABELS[1:]]


def test_going_back_removes_only_what_was_added(translated_round, programme, faculty):
    norwegian, english = translated_round
    other = make_round(programme, title="Runde med egne", slug="egne")
    own = set(SelectionCriterion.objects.filter(round=other).values_list("pk"))
    migration.add_default_criteria(django_apps, None)
    application = make_application(
        round=norwegian, faculty=faculty, status=Application.Status.NOMINATED
    )
    review(application, make_reviewer("komite1"), 4)

    migration.remove_default_criteria(django_apps, None)

    # Scored criteria stay with their scores; the English ones go.
    assert labels(norwegian) == NB_LABELS
    assert labels(english) == []
    assert set(SelectionCriterion.objects.filter(round=other).values_list("pk")) == (
        own
    )
    latest = ProgramRoundPage.objects.get(pk=english.pk).get_latest_revision()
    assert latest.content["selection_criteria"] == []


# serialized_rollback, like every transactional test here: the next test
# then finds the root page and groups the migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_runs_forwards_and_backwards(home, programme):
    programme_round = make_round(programme)
    without_criteria(programme_round)
    app = "mentoring_cms"
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([(app, "0017_promotion_outcomes")])
        assert labels(programme_round) == []
        executor = MigrationExecutor(connection)
        executor.migrate([(app, "0018_selection_followup")])
        assert labels(programme_round) == NB_LABELS
        executor = MigrationExecutor(connection)
        executor.migrate([(app, "0017_promotion_outcomes")])
        assert labels(programme_round) == []
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)


roles_migration = importlib.import_module(
    "mentoring_cms.migrations.0020_criterion_roles"
)


def test_migration_0020_marks_progress_towards_promotion_as_mentee_only(
    home, programme, open_round
):
    translate_page(home, title="Home", slug="home-en")
    translate_page(programme, title="Mentoring programme", slug="mentoring")
    english = translate_page(open_round, title="Round")
    # As before 0020: every criterion scored both roles, in rows and revisions.
    SelectionCriterion.objects.update(applies_to="")
    ProgramRoundPage.objects.get(pk=open_round.pk).save_revision()
    roles_migration.mark_progress_as_mentee_only(django_apps, None)
    for page in (open_round, english):
        assert list(
            SelectionCriterion.objects.filter(round=page)
            .order_by("sort_order")
            .values_list("applies_to", flat=True)
        ) == ["", "", "mentee"]
    revision = ProgramRoundPage.objects.get(pk=open_round.pk).get_latest_revision()
    assert [row["applies_to"] for row in revision.content["selection_criteria"]] == [
        "",
        "",
        "mentee",
    ]
