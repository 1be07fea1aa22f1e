"""Selection criteria say whose applications they score (mentees, mentors or
both). The seed's "progress towards promotion" scores mentees only: the
criteria of existing rounds that carry its label (Norwegian or English, as
migration 0018 and new rounds wrote it) or the translation key 0018 gave it
are marked so, in the rows and in the round pages' revisions (so that the
next edit in the page editor keeps it). Going back drops the field."""

import importlib

from django.db import migrations, models

PROGRESS_LABELS = {
    "Hvor langt du er kommet i opprykksarbeidet",
    "Progress towards promotion",
}


def _progress_keys(apps):
    followup = importlib.import_module(
        "mentoring_cms.migrations.0018_selection_followup"
    )
    ProgramRoundPage = apps.get_model("mentoring_cms", "ProgramRoundPage")
    return {
        str(followup.criterion_key(key, "promotion_progress"))
        for key in ProgramRoundPage.objects.values_list("translation_key", flat=True)
    }


def mark_progress_as_mentee_only(apps, schema_editor):
    SelectionCriterion = apps.get_model("mentoring_cms", "SelectionCriterion")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    keys = _progress_keys(apps)
    marked = set()
    for criterion in SelectionCriterion.objects.all():
        if criterion.label in PROGRESS_LABELS or str(criterion.translation_key) in keys:
            criterion.applies_to = "mentee"
            criterion.save(update_fields=["applies_to"])
            marked.add(criterion.pk)
    page_type = ContentType.objects.filter(
        app_label="mentoring_cms", model="programroundpage"
    ).first()
    if page_type is None:
        return
    for revision in Revision.objects.filter(content_type=page_type):
        content = dict(revision.content or {})
        rows = content.get("selection_criteria")
        if not rows:
            continue
        changed = False
        for row in rows:
            if row.get("applies_to"):
                continue
            if (
                row.get("pk") in marked
                or row.get("label") in PROGRESS_LABELS
                or str(row.get("translation_key")) in keys
            ):
                row["applies_to"] = "mentee"
                changed = True
        if changed:
            revision.content = content
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("mentoring_cms", "0019_participation_followup"),
    ]

    operations = [
        migrations.AddField(
            model_name="selectioncriterion",
            name="applies_to",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Mentees and mentors"),
                    ("mentee", "Mentees only"),
                    ("mentor", "Mentors only"),
                ],
                default="",
                help_text="Whose applications the committee scores on this criterion.",
                max_length=10,
                verbose_name="applies to",
            ),
        ),
        migrations.RunPython(mark_progress_as_mentee_only, migrations.RunPython.noop),
    ]
