from django.http import HttpResponseRedirect
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from .fallback import find_fallback_url


class TranslationFallbackMiddleware:
    """Turns a 404 for a page that exists in another language, or under
    another slug in the requested language, into a redirect to it.

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
