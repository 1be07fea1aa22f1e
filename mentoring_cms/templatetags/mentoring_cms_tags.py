from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Locale, Page

register = template.Library()


def translations_by_language(page, request=None):
    """URL of ``page`` in every configured language: its live translation, or
    that language's home page when the page has not been translated."""
    languages = [code for code, _name in settings.LANGUAGES]
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    site_root = page.get_site().root_page if page.get_site() else None
    roots = {}
    if site_root is not None:
        roots = {
            p.locale.language_code: p
            for p in site_root.get_translations(inclusive=True)
            .live()
            .select_related("locale")
        }
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
