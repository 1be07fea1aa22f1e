"""Canonical email addresses and the listing's search text.

Every stored address is rewritten in its canonical form
(``identifiers.canonical_email``: IDNA domain in Unicode, NFC, lower case),
and ``search_text`` is filled for every row.

Collisions: two applications that are still in force (not anonymised) to
the same round in the same role whose addresses become the same (one typed
with a Unicode domain, one in punycode) cannot both hold the canonical
address under ``mentoring_cms_one_application_per_person``. The one that
already holds the canonical address keeps it, otherwise the earliest
submitted; the others keep their address as typed, so nothing
is lost or merged, and HR finds both in the listing (searching either
form) and decides which to withdraw or erase. Their references are logged
as a warning, without addresses.
"""

import logging

from django.db import DatabaseError, migrations, models, transaction

from mentoring_cms.identifiers import canonical_email, search_text

logger = logging.getLogger("mentoring_cms.migrations")

BATCH = 2000


def canonicalise(apps, schema_editor):
    Application = apps.get_model("mentoring_cms", "Application")
    taken = set()
    rows = Application.objects.order_by("submitted_at", "pk").values_list(
        "pk",
        "round_id",
        "role",
        "email",
        "full_name",
        "reference",
        "anonymised_at",
    )
    # The keys held by the rows as stored, so that the canonical form of an
    # earlier row never takes an address a later row already holds as typed.
    holders = {}
    for pk, round_id, role, email, _name, _ref, anonymised_at in rows.iterator():
        if anonymised_at is None and email:
            holders.setdefault((round_id, role, email), pk)
    changed = []
    kept_as_typed = []
    for pk, round_id, role, email, name, reference, anonymised_at in rows.iterator():
        canonical = canonical_email(email)
        if anonymised_at is None and canonical:
            key = (round_id, role, canonical)
            holder = holders.get(key)
            if key in taken or (holder is not None and holder != pk):
                kept_as_typed.append(reference or str(pk))
                canonical = email
            else:
                taken.add(key)
        changed.append(
            Application(
                pk=pk,
                email=canonical,
                search_text=search_text(name, canonical, reference)[:600],
            )
        )
        if len(changed) >= BATCH:
            Application.objects.bulk_update(changed, ["email", "search_text"])
            changed = []
    if changed:
        Application.objects.bulk_update(changed, ["email", "search_text"])
    if kept_as_typed:
        logger.warning(
            "Applications whose email address is the same as an earlier "
            "application's to the same round and role kept their address as "
            "typed: %s",
            ", ".join(kept_as_typed),
        )


TRIGRAM_INDEX = "mentoring_cms_application_search_trgm"


def add_trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index lets HR's search (``LIKE '%…%'`` on
    ``search_text``) count its matches without reading every row. It needs
    the ``pg_trgm`` extension (trusted since PostgreSQL 13: a database owner
    may create it); where it cannot be created the search still works, by a
    sequential scan, and a warning says so."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            logger.warning(
                "pg_trgm could not be created: HR's search works without "
                "its index, by reading every application."
            )
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON "
            "mentoring_cms_application USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring_cms", "0006_round_mentor_form_intro"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="search_text",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=600,
                verbose_name="search text",
            ),
        ),
        migrations.RunPython(canonicalise, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["faculty", "-submitted_at", "-id"],
                name="mentoring_c_faculty_submitted",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["search_text"], name="mentoring_c_search_text"),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
