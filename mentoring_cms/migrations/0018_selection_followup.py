"""Selection follow-up (issue 14): the record of reviewer reminders
(``ReviewReminder``), and every round made before selection criteria
existed gets the seed's three (the ones a new round gets,
``models.selection.DEFAULT_CRITERIA``), each scored 1–5.

A round and its translations (same ``translation_key``) are treated
together, as wagtail-localize keeps them: when none of them has criteria,
each gets the three, labelled in its own language, sharing one translation
key per criterion (made from the round's key, so that going back finds
exactly these rows). A translation without criteria whose source round has
some gets copies of the source's rows (same keys; a label that is one of
the defaults is put into the translation's language). Revisions that
stored an empty list of criteria get the new rows too, so that the next
edit of the page does not remove them.

Going back removes only the default rows this migration made (found by
their keys) that no review has scored yet, and takes them out of the
revisions again; copies made for translations are kept (they are what
wagtail-localize would have made).
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import translation

# The seed's criteria as they were when this migration was written: codes
# and the msgids of ``models.selection.DEFAULT_CRITERIA`` (so the labels
# come from the same catalogue entries).
DEFAULT_CRITERIA = (
    ("motivation", "Motivation"),
    ("justification", "Justification"),
    ("promotion_progress", "Progress towards promotion"),
)
DEFAULT_SCALE = (1, 5)
KEY_NAMESPACE = uuid.UUID("0c3c8f0e-6a0f-4d0e-9a57-5e1ec7104e14")


def criterion_key(round_key, code):
    """The translation key of default criterion ``code`` added to the round
    group with translation key ``round_key``."""
    return uuid.uuid5(KEY_NAMESPACE, f"{round_key}/{code}")


def _label(msgid, language_code):
    with translation.override(language_code):
        return translation.gettext(msgid)


def _translated_label(label, source_language, target_language):
    """``label`` in ``target_language`` when it is one of the defaults in
    ``source_language``; otherwise as it is."""
    for _code, msgid in DEFAULT_CRITERIA:
        if _label(msgid, source_language) == label:
            return _label(msgid, target_language)
    return label


def _serialised(row):
    return {
        "pk": row.pk,
        "translation_key": str(row.translation_key),
        "locale": row.locale_id,
        "sort_order": row.sort_order,
        "round": row.round_id,
        "label": row.label,
        "scale_min": row.scale_min,
        "scale_max": row.scale_max,
    }


def _revisions(apps, page_pk):
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type = ContentType.objects.filter(
        app_label="mentoring_cms", model="programroundpage"
    ).first()
    if page_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type=page_type, object_id=str(page_pk))


def _store_in_revisions(apps, page, rows):
    """Put ``rows`` into the revisions of ``page`` that stored no criteria."""
    for revision in _revisions(apps, page.pk):
        content = dict(revision.content or {})
        if "selection_criteria" in content and not content["selection_criteria"]:
            content["selection_criteria"] = [_serialised(row) for row in rows]
            revision.content = content
            revision.save(update_fields=["content"])


def add_default_criteria(apps, schema_editor):
    ProgramRoundPage = apps.get_model("mentoring_cms", "ProgramRoundPage")
    SelectionCriterion = apps.get_model("mentoring_cms", "SelectionCriterion")
    rounds = ProgramRoundPage.objects.select_related("locale").order_by("pk")
    groups = {}
    for programme_round in rounds:
        groups.setdefault(programme_round.translation_key, []).append(programme_round)
    with_criteria = set(
        SelectionCriterion.objects.values_list("round_id", flat=True).distinct()
    )
    for round_key, pages in groups.items():
        missing = [page for page in pages if page.pk not in with_criteria]
        if not missing:
            continue
        sources = [page for page in pages if page.pk in with_criteria]
        if sources:
            # The round in the default language if it has criteria.
            source = next(
                (
                    page
                    for page in sources
                    if page.locale.language_code == settings.LANGUAGE_CODE
                ),
                sources[0],
            )
            templates = [
                (row.translation_key, row.label, row.scale_min, row.scale_max)
                for row in SelectionCriterion.objects.filter(
                    round_id=source.pk
                ).order_by("sort_order", "pk")
            ]
            source_language = source.locale.language_code
        else:
            templates = [
                (
                    criterion_key(round_key, code),
                    msgid,
                    DEFAULT_SCALE[0],
                    DEFAULT_SCALE[1],
                )
                for code, msgid in DEFAULT_CRITERIA
            ]
            source_language = None
        for page in missing:
            language = page.locale.language_code
            rows = []
            for order, (key, label, scale_min, scale_max) in enumerate(templates):
                if source_language is None:
                    label = _label(label, language)
                else:
                    label = _translated_label(label, source_language, language)
                rows.append(
                    SelectionCriterion.objects.create(
                        round_id=page.pk,
                        locale_id=page.locale_id,
                        translation_key=key,
                        sort_order=order,
                        label=label,
                        scale_min=scale_min,
                        scale_max=scale_max,
                    )
                )
            _store_in_revisions(apps, page, rows)


def remove_default_criteria(apps, schema_editor):
    ProgramRoundPage = apps.get_model("mentoring_cms", "ProgramRoundPage")
    SelectionCriterion = apps.get_model("mentoring_cms", "SelectionCriterion")
    Score = apps.get_model("mentoring_cms", "Score")
    scored = set(Score.objects.values_list("criterion_id", flat=True).distinct())
    for page in ProgramRoundPage.objects.order_by("pk"):
        keys = {
            criterion_key(page.translation_key, code) for code, _ in DEFAULT_CRITERIA
        }
        added = SelectionCriterion.objects.filter(
            round_id=page.pk, translation_key__in=keys
        ).exclude(pk__in=scored)
        removed = set(added.values_list("pk", flat=True))
        if not removed:
            continue
        added.delete()
        for revision in _revisions(apps, page.pk):
            content = dict(revision.content or {})
            rows = content.get("selection_criteria")
            if not rows:
                continue
            kept = [row for row in rows if row.get("pk") not in removed]
            if len(kept) != len(rows):
                content["selection_criteria"] = kept
                revision.content = content
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("mentoring_cms", "0017_promotion_outcomes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Reviewer reminders: one per reviewer and round, stored once sent.
        migrations.CreateModel(
            name="ReviewReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="mentoring_cms.programroundpage",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("round", "user"),
                        name="mentoring_cms_one_review_reminder",
                    )
                ],
            },
        ),
        migrations.RunPython(add_default_criteria, remove_default_criteria),
    ]
