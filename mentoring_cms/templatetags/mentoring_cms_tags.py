from django import template
from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

register = template.Library()


def _live_translations(page, site):
    """The live translations of ``page`` and of the site's root page, in one
    query; returns two dicts keyed by language code."""
    root_keys = Page.objects.filter(pk=site.root_page_id).values("translation_key")
    pages = (
        Page.objects.live()
        .filter(
            Q(translation_key=page.translation_key) | Q(translation_key__in=root_keys)
        )
        .select_related("locale")
    )
    translations, roots = {}, {}
    for candidate in pages:
        code = candidate.locale.language_code
        if candidate.translation_key == page.translation_key:
            translations[code] = candidate
        else:
            roots[code] = candidate
    return translations, roots


def translations_by_language(page, request=None):
    """URL of ``page`` in every configured language: its live translation, or
    that language's home page when the page has not been translated.

    The switcher and the alternate links both ask for this; the answer is
    kept on the request so a page pays for it once.
    """
    memo = getattr(request, "_mentoring_cms_translations", None)
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = page.get_site()
    if site is not None:
        translations, roots = _live_translations(page, site)
    else:
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True)
            .live()
            .select_related("locale")
        }
        roots = {}
    current = get_language()
    result = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code) or roots.get(code)
        url = target.get_url(request) if target else f"/{code}/"
        result.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "translated": code in translations,
                "current": code == current,
            }
        )
    if request is not None:
        if memo is None:
            memo = request._mentoring_cms_translations = {}
        memo[page.pk] = result
    return result


@register.inclusion_tag(
    "mentoring_cms/includes/language_switcher.html", takes_context=True
)
def language_switcher(context, page):
    return {"languages": translations_by_language(page, context.get("request"))}


@register.inclusion_tag(
    "mentoring_cms/includes/language_alternates.html", takes_context=True
)
def language_alternates(context, page):
    return {
        "languages": [
            item
            for item in translations_by_language(page, context.get("request"))
            if item["translated"]
        ],
        "request": context.get("request"),
    }


__all__ = ["Locale", "Page"]
