import datetime
from urllib.parse import unquote, urlsplit

from django import template
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, Subquery
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext
from wagtail.models import Page, Site

from ..page_cache import cached_value
from ..translation_sync import fact_fields_of

register = template.Library()


def _language_name(code):
    # Each language is named in itself, so a reader finds their own.
    try:
        return capfirst(get_language_info(code)["name_local"])
    except KeyError:
        return dict(settings.LANGUAGES).get(code, code)


def _routed_subpage(page, own, request):
    """The part of the URL below ``page`` when the request was routed to one
    of its own views (a step of an application: ``apply/mentee/position/``),
    so that the other languages lead to the same view; those paths are the
    same in every language."""
    if request is None or getattr(request, "routable_resolver_match", None) is None:
        return ""
    own_url = own.get_url(request) if own is not None else None
    if not own_url:
        return ""
    # Wagtail's URL percent-encodes non-ASCII slugs; request.path is decoded.
    own_path = unquote(urlsplit(own_url).path)
    if not request.path.startswith(own_path):
        return ""
    return iri_to_uri(request.path[len(own_path) :])


def translations_by_language(page, request=None):
    """Where ``page`` lives in every configured language: its live
    translation, or that language's home page when it has none.

    One query finds the page's translations and the site root's together; the
    result is kept on the request because the switcher and the hreflang
    alternates both need it.
    """
    cache = getattr(request, "_mentoring_cms_translations", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._mentoring_cms_translations = cache
    if page.pk in cache:
        return cache[page.pk]
    if request is None or getattr(request, "is_preview", False):
        result = _translations_by_language(page, request)
    else:
        # The same for every visitor of this URL until content changes; the
        # query string plays no part (and makes no new entries).
        parts = (
            page.pk,
            get_language(),
            request.scheme,
            request.get_host(),
            request.path,
        )
        result = cached_value(
            "translations",
            parts,
            lambda: _translations_by_language(page, request),
        )
    cache[page.pk] = result
    return result


def _translations_by_language(page, request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = page.get_site()
    # One query: the page's translations and the site root's, the latter
    # found through a subquery on the root's translation key.
    matches = Q(translation_key=page.translation_key)
    if site is not None:
        matches |= Q(
            translation_key=Subquery(
                Page.objects.filter(pk=site.root_page_id).values("translation_key")[:1]
            )
        )
    pages = list(
        Page.objects.filter(matches)
        .live()
        .select_related("locale")
        .only("id", "url_path", "translation_key", "locale__language_code")
    )
    root_key = next(
        (p.translation_key for p in pages if site and p.pk == site.root_page_id), None
    )
    translations, roots = {}, {}
    for candidate in pages:
        code = candidate.locale.language_code
        if candidate.translation_key == page.translation_key:
            translations[code] = candidate
        if candidate.translation_key == root_key:
            roots[code] = candidate

    current_code = next(
        (code for code, p in translations.items() if p.pk == page.pk), None
    ) or (page.locale.language_code)
    subpage = _routed_subpage(page, translations.get(current_code), request)
    result = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code) or roots.get(code)
        url = target.get_url(request) if target else None
        if url and subpage and code in translations:
            url += subpage
        if not url:
            url = f"/{code}/"
        result.append(
            {
                "code": code,
                "name": _language_name(code),
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request else url,
                "translated": code in translations,
                "current": code == current_code,
            }
        )
    return result


@register.inclusion_tag(
    "mentoring_cms/includes/language_switcher.html", takes_context=True
)
def language_switcher(context, page):
    """Links to ``page`` in the other languages (or to their home pages)."""
    return {"languages": translations_by_language(page, context.get("request"))}


@register.inclusion_tag(
    "mentoring_cms/includes/language_alternates.html", takes_context=True
)
def language_alternates(context, page):
    """``<link rel="alternate" hreflang>`` for each live translation of ``page``."""
    languages = [
        item
        for item in translations_by_language(page, context.get("request"))
        if item["translated"]
    ]
    default = next(
        (item for item in languages if item["code"] == settings.LANGUAGE_CODE), None
    )
    return {"languages": languages, "default": default}


@register.filter(expects_localtime=True)
def sentence_end(value, format_name="DATETIME_FORMAT"):
    """``value`` (a date, datetime or time, in the site's time zone; or a
    date or time already formatted, a str) in the language's ``format_name``,
    to stand last in a sentence whose full stop follows it: a format that
    ends in an abbreviation's full stop ("11:59 p.m.") lends it to the
    sentence, so that the sentence ends in one full stop, not two.
    ``format_name`` may be any Django format name, "TIME_FORMAT" too."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, datetime.time):
        text = time_filter(value, format_name)
    else:
        text = date_filter(value, format_name)
    return text[:-1] if text.endswith(".") else text


def _fact_display(instance, field):
    value = field.value_from_object(instance)
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        return date_filter(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_filter(value, "DATE_FORMAT")
    return str(value)


@register.inclusion_tag("mentoring_cms/admin/translation_facts.html")
def translation_facts(translation):
    """The facts of the page that wagtail-localize's ``translation`` is made
    from, as ``(label, value)`` rows for the translation editor to show
    read-only; no rows for a model without ``fact_fields``."""
    try:
        source = translation.source.get_source_instance()
    except ObjectDoesNotExist:
        return {"rows": []}
    rows = []
    for name in fact_fields_of(type(source)):
        field = source._meta.get_field(name)
        rows.append((capfirst(field.verbose_name), _fact_display(source, field)))
    return {
        "rows": rows,
        "source_language": translation.source.locale.get_display_name(),
    }
