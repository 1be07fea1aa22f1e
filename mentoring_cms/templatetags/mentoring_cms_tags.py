from django import template
from django.conf import settings
from django.db.models import Q, Subquery
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

register = template.Library()


def translations_by_language(page, request=None):
    """URL of ``page`` in every configured language: its live translation, or
    that language's home page when the page has not been translated.

    One query, and computed once per request (the switcher and the alternate
    links share it)."""
    cached = getattr(request, "_mentoring_cms_translations", None)
    if cached is not None and page.pk in cached:
        return cached[page.pk]
    languages = [code for code, _name in settings.LANGUAGES]
    site = Site.find_for_request(request) if request is not None else page.get_site()
    root_id = site.root_page_id if site else None
    matches = Q(translation_key=page.translation_key)
    if root_id:
        matches |= Q(
            translation_key=Subquery(
                Page.objects.filter(pk=root_id).values("translation_key")[:1]
            )
        )
    pages = list(Page.objects.filter(matches).live().select_related("locale"))
    root_key = next((p.translation_key for p in pages if p.pk == root_id), None)
    translations = {
        p.locale.language_code: p
        for p in pages
        if p.translation_key == page.translation_key
    }
    roots = {p.locale.language_code: p for p in pages if p.translation_key == root_key}
    result = []
    for code in languages:
        target = translations.get(code) or roots.get(code)
        url = target.get_url(request) if target else f"/{code}/"
        result.append(
            {
                "code": code,
                "name": dict(settings.LANGUAGES)[code],
                "url": url,
                "translated": code in translations,
                "current": code == get_language(),
            }
        )
    if request is not None:
        if cached is None:
            cached = request._mentoring_cms_translations = {}
        cached[page.pk] = result
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
