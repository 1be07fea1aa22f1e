from django.http import HttpResponseRedirect

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
