from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from wagtail.contrib.redirects.middleware import RedirectMiddleware
from wagtail.models import Locale, Page

from .fallback import find_fallback_url


class TranslationFallbackMiddleware:
    """Turns a 404 for a page that exists in another language, or under
    another slug in the requested language, into a redirect to it.

    It also refuses, with a message saying what to translate first, to
    submit a page for translation whose parent has no translation in that
    language yet.

    Put it after ``django.middleware.locale.LocaleMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            url = find_fallback_url(request)
            if url:
                query = request.META.get("QUERY_STRING")
                return HttpResponseRedirect(f"{url}?{query}" if query else url)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method != "POST"
            or match is None
            or match.view_name != "wagtail_localize:submit_page_translation"
        ):
            return None
        return refuse_translation_without_parent(request, view_kwargs.get("page_id"))


def refuse_translation_without_parent(request, page_id):
    """A redirect back, with a message saying what to translate first, when
    the page's parent has no translation in a language chosen in the
    submitted form (wagtail-localize would otherwise put untranslated copies
    of the parents, Norwegian text, into that language); else ``None``."""
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        return None
    parent = page.get_parent()
    if parent is None or parent.is_root():
        return None
    chosen = Locale.objects.filter(pk__in=request.POST.getlist("locales")[:50])
    translated = set(
        parent.get_translations(inclusive=True).values_list("locale_id", flat=True)
    )
    missing = [locale for locale in chosen if locale.pk not in translated]
    if not missing:
        return None
    messages.error(
        request,
        gettext(
            "“%(page)s” cannot be translated into %(languages)s yet: the page "
            "above it, “%(parent)s”, has no translation in that language. "
            "Translate “%(parent)s” first, or translate it with its subtree."
        )
        % {
            "page": page.get_admin_display_title(),
            "parent": parent.get_admin_display_title(),
            "languages": ", ".join(locale.get_display_name() for locale in missing),
        },
    )
    return HttpResponseRedirect(request.get_full_path())


class QueryKeepingRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects (Settings → Redirects) that keep the query string
    of the request: a redirect found for the path alone sends the reader on
    with the parameters the link came with (``?utm_source=newsletter``).

    Use it in place of ``wagtail.contrib.redirects.middleware.RedirectMiddleware``.
    A redirect whose target has a query string of its own is left as it is.
    """

    def process_response(self, request, response):
        redirect = super().process_response(request, response)
        query = request.META.get("QUERY_STRING")
        if (
            redirect is not response
            and query
            and redirect.status_code in (301, 302)
            and "?" not in redirect["Location"]
        ):
            redirect["Location"] = f"{redirect['Location']}?{query}"
        return redirect
