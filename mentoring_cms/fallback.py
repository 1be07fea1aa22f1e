"""Where to send a reader who asks for a page in a language it has not been
translated to: the page in that language under its own slug, or else the
page in the language it exists in. Never an error page when the content
exists somewhere."""

from django.conf import settings
from django.utils.translation import get_language_from_path
from wagtail.models import Page, Site

from .page_cache import same_path


def _languages_in_order(requested):
    codes = [code for code, _name in settings.LANGUAGES]
    # The requested language first, then the site's default, then the rest.
    preferred = [requested, settings.LANGUAGE_CODE]
    return list(dict.fromkeys(preferred + codes))


def best_translation(page, language_code):
    """``page`` in ``language_code`` if it is live there, else ``page`` itself
    when it is live, else any live translation."""
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True)
        .live()
        .select_related("locale")
        .specific()
    }
    for code in _languages_in_order(language_code):
        if code in translations:
            return translations[code]
    return None


def find_fallback_url(request):
    """The URL to redirect a request that found no page to, or ``None``."""
    language_code = get_language_from_path(request.path_info)
    if not language_code:
        return None
    prefix = f"/{language_code}/"
    if not request.path_info.startswith(prefix):
        return None
    rest = request.path_info[len(prefix) :]
    if rest and not rest.endswith("/"):
        rest += "/"
    site = Site.find_for_request(request)
    if site is None:
        return None
    roots = Page.objects.filter(
        translation_key=Page.objects.filter(pk=site.root_page_id)
        .values("translation_key")[:1]
        .get()["translation_key"]
    ).live()
    url_paths = [root.url_path + rest for root in roots]
    # A draft counts too: a page submitted for translation but not yet
    # published in this language leads to the language it is live in.
    found = Page.objects.filter(url_path__in=url_paths).order_by("-live").first()
    if found is None:
        return None
    target = best_translation(found, language_code)
    if target is None:
        return None
    url = target.get_url(request)
    if not url or same_path(url, request.path):
        return None
    return url
