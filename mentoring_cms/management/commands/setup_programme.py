"""Set up a new site's programme data: the "Programme editors" group and,
from a CSV file, the faculties in every content language.

The CSV file (UTF-8) has a header row with ``code`` and one ``name_<lang>``
column per content language, the default language's required
(``code,name_nb,name_en``). The whole file is checked before anything is
stored, and stored in one transaction: a bad file (missing column, empty or
duplicate code, a name that is too long, not UTF-8) is refused with its line
number and nothing is imported. Running the command again with the same
file changes nothing; with changed names it updates them.
"""

import csv
import io
import uuid

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
)
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from mentoring_cms.models import Faculty
from mentoring_cms.outcomes.evaluation_defaults import (
    ensure_default_evaluation_form,
)

EDITORS_GROUP = "Programme editors"
# The faculty with code C has this translation key in every language, so the
# import finds its own rows again.
FACULTY_NAMESPACE = uuid.UUID("6f0b7f44-3c1e-4d8e-9a57-2f1f0c6b8a11")
# (app label, codename) of the model permissions the group holds.
EDITOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    *(
        ("mentoring_cms", f"{action}_{model}")
        for action in ("add", "change", "delete")
        for model in ("faculty", "contactperson")
    ),
    # The end-of-round evaluation: its form and when each round asks it.
    *(
        ("mentoring_cms", f"{action}_{model}")
        for action in ("add", "change", "delete")
        for model in ("evaluationform", "roundevaluation")
    ),
]
# Page permissions on the whole page tree: edit and publish in every language.
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
# Collection permissions on the root collection: images and documents in the
# pages' rich text.
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
NAME_MAX_LENGTH = Faculty._meta.get_field("name").max_length


def faculty_key(code):
    """The translation key of the faculty with ``code`` (a ``uuid.UUID``)."""
    return uuid.uuid5(FACULTY_NAMESPACE, code.strip().casefold())


def content_languages():
    """The content language codes, the default language first."""
    codes = [
        code
        for code, _name in getattr(
            settings, "WAGTAIL_CONTENT_LANGUAGES", settings.LANGUAGES
        )
    ]
    default = settings.LANGUAGE_CODE
    return [default] + [code for code in codes if code != default]


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CommandError(
            _(
                "Line %(line)d: the file is not UTF-8 text. Save it as CSV "
                "(UTF-8) and try again; nothing was imported."
            )
            % {"line": line}
        ) from error


def _numbered(reader):
    """``(line number, row)`` of a ``csv.DictReader``; a malformed line is a
    ``CommandError`` with its number."""
    while True:
        # A malformed record is reported at the line it starts on.
        starts = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CommandError(
                _("Line %(line)d: %(problem)s; nothing was imported.")
                % {"line": starts, "problem": error}
            ) from error
        yield reader.line_num, row


def read_faculties(data, languages):
    """Check and read the faculty CSV ``data`` (bytes).

    Returns a list of ``(code, {language: name})`` in file order; raises
    ``CommandError`` naming the line of the first problem.
    """
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    required = ["code", f"name_{languages[0]}"]
    missing = [name for name in required if name not in header]
    if missing:
        raise CommandError(
            _(
                "Line 1: the header lacks the column(s) %(missing)s. Expected: "
                "%(expected)s; nothing was imported."
            )
            % {
                "missing": ", ".join(missing),
                "expected": ",".join(["code"] + [f"name_{c}" for c in languages]),
            }
        )
    rows, seen = [], {}
    for line, row in _numbered(reader):
        if not any((value or "").strip() for value in row.values()):
            continue
        code = (row.get("code") or "").strip()
        names = {
            code_: (row.get(f"name_{code_}") or "").strip()
            for code_ in languages
            if f"name_{code_}" in header
        }
        problem = None
        if not code:
            problem = _("the code is empty")
        elif code.casefold() in seen:
            problem = _("the code %(code)s is already on line %(other)d") % {
                "code": code,
                "other": seen[code.casefold()],
            }
        elif not names[languages[0]]:
            problem = _("the name in %(language)s is empty") % {
                "language": languages[0]
            }
        elif any(len(name) > NAME_MAX_LENGTH for name in names.values()):
            problem = _("a name is longer than %(max)d characters") % {
                "max": NAME_MAX_LENGTH
            }
        if problem:
            raise CommandError(
                _("Line %(line)d: %(problem)s; nothing was imported.")
                % {"line": line, "problem": problem}
            )
        seen[code.casefold()] = line
        rows.append((code, {lang: name for lang, name in names.items() if name}))
    return rows


def _adopt_existing(key, default_locale, name):
    """Give a faculty an editor made by hand (same name in the default
    language, not imported before) and its translations the import's key,
    so the import updates it instead of adding a second one."""
    existing = (
        Faculty.objects.filter(locale=default_locale, name=name)
        .exclude(translation_key=key)
        .first()
    )
    if existing is not None:
        Faculty.objects.filter(translation_key=existing.translation_key).update(
            translation_key=key
        )


def _translate(source_faculty, locale, name):
    """Make or update the translation of ``source_faculty`` into ``locale``
    with ``name`` through wagtail-localize, as its "Translate" action does,
    so editors find it in the translation editor. Returns True when the
    translation was created or changed."""
    existing = source_faculty.get_translation_or_none(locale)
    if existing is not None and existing.name == name:
        return False
    source, created = TranslationSource.get_or_create_from_instance(source_faculty)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale
    )
    for segment in source.stringsegment_set.select_related("string", "context"):
        if segment.context.path != "name":
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": name,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )
    translation.save_target(publish=True)
    return True


@transaction.atomic
def import_faculties(rows, languages):
    """Create or update the faculties ``rows`` (from ``read_faculties``) in
    one transaction: the default language's row, and its translations made
    with wagtail-localize. Returns ``(created, updated)`` counts of names."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in languages
    }
    default = languages[0]
    created = updated = 0
    for code, names in rows:
        key = faculty_key(code)
        if not Faculty.objects.filter(translation_key=key).exists():
            _adopt_existing(key, locales[default], names[default])
        faculty = Faculty.objects.filter(
            translation_key=key, locale=locales[default]
        ).first()
        if faculty is None:
            faculty = Faculty.objects.create(
                translation_key=key, locale=locales[default], name=names[default]
            )
            created += 1
        elif faculty.name != names[default]:
            faculty.name = names[default]
            faculty.save(update_fields=["name"])
            updated += 1
        for language in languages[1:]:
            if language not in names:
                continue
            had = faculty.get_translation_or_none(locales[language]) is not None
            if _translate(faculty, locales[language], names[language]):
                if had:
                    updated += 1
                else:
                    created += 1
    return created, updated


@transaction.atomic
def ensure_editors_group():
    """The "Programme editors" group: Wagtail admin, the Faculty and
    ContactPerson snippets, translations, editing and publishing pages
    everywhere in the tree, and adding and choosing images and documents
    (for the pages' rich text). Returns ``(group, created)``."""
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for app_label, codename in EDITOR_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    root = Page.get_first_root_node()
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection = Collection.get_first_root_node()
    for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return group, created


class Command(BaseCommand):
    help = (
        "Set up a new site's programme data: the 'Programme editors' group and, "
        "with --faculties, the faculties from a CSV file "
        "(code,name_nb,name_en). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--faculties",
            metavar="CSV",
            help="UTF-8 CSV file with a header row: code,name_nb,name_en "
            "(one name_<language> column per content language).",
        )

    def handle(self, *args, faculties=None, **options):
        languages = content_languages()
        rows = None
        if faculties:
            try:
                with open(faculties, "rb") as csv_file:
                    data = csv_file.read()
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s")
                    % {"path": faculties, "error": error.strerror}
                ) from error
            rows = read_faculties(data, languages)
        with transaction.atomic():
            _group, group_created = ensure_editors_group()
            # A new site starts with the default evaluation form (nb and en).
            ensure_default_evaluation_form()
            if rows is not None:
                created, updated = import_faculties(rows, languages)
        if group_created:
            self.stdout.write(
                _("Created the group “%(name)s”.") % {"name": EDITORS_GROUP}
            )
        else:
            self.stdout.write(
                _("The group “%(name)s” has its permissions.") % {"name": EDITORS_GROUP}
            )
        if rows is not None:
            self.stdout.write(
                _(
                    "Faculties: %(count)d in the file; %(created)d names added, "
                    "%(updated)d changed."
                )
                % {"count": len(rows), "created": created, "updated": updated}
            )
