"""Pages and faculties in the reader's language, for the admin and for
text written to staff (exports, emails to HR).

Rounds, gatherings and faculties are translatable; applications, matches and
attendance point at the default language's version. Every admin page shows
them in the active language (the reader's admin language) where a
translation exists, falling back to the stored (source) version: the rule
the applications listing (``admin.listing.annotated_applications``) and the
round summary follow.
"""

from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Page

from .snippets import Faculty


def _language(language=None):
    return language or get_language() or settings.LANGUAGE_CODE


def localized_titles(pages, language=None):
    """``{page pk: title}`` for ``pages`` (any page objects), each title in
    ``language`` (default: the active language) where the page has been
    translated, else the page's own title. One query, none when every page
    is already in ``language``."""
    language = _language(language)
    pages = [page for page in pages if page is not None]
    titles = {page.pk: page.title for page in pages}
    keys = {
        page.translation_key
        for page in pages
        if getattr(getattr(page, "locale", None), "language_code", None) != language
    }
    if not keys:
        return titles
    translated = dict(
        Page.objects.filter(
            translation_key__in=keys, locale__language_code=language
        ).values_list("translation_key", "title")
    )
    for page in pages:
        titles[page.pk] = translated.get(page.translation_key, page.title)
    return titles


def localize_titles(pages, language=None):
    """Set ``admin_title`` on each of ``pages`` (see ``localized_titles``)
    and return them as a list: what admin templates show. One query."""
    pages = [page for page in pages if page is not None]
    titles = localized_titles(pages, language)
    for page in pages:
        page.admin_title = titles[page.pk]
    return pages


def localized_title(page, language=None):
    """One page's title in ``language`` (see ``localized_titles``); ``""``
    for ``None``."""
    if page is None:
        return ""
    return localized_titles([page], language)[page.pk]


def faculty_names(language=None):
    """``{faculty pk: name}`` with every faculty (in any language) named in
    ``language`` where translated, else in the default language. One query
    (``Faculty.objects.localized`` for the default language's pks)."""
    language = _language(language)
    rows = Faculty.objects.values_list(
        "pk", "translation_key", "name", "locale__language_code"
    )
    by_key = {}
    rows = list(rows)
    for _pk, key, name, code in rows:
        by_key.setdefault(key, {})[code] = name
    return {
        pk: by_key[key].get(language) or by_key[key].get(settings.LANGUAGE_CODE) or name
        for pk, key, name, _code in rows
    }
