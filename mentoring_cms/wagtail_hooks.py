from django.shortcuts import redirect
from django.utils.translation import get_language_from_path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .fallback import best_translation
from .models import ContactPerson, Faculty

register_snippet(Faculty)
register_snippet(ContactPerson)


@hooks.register("before_serve_page")
def serve_in_requested_language(page, request, serve_args, serve_kwargs):
    """Wagtail serves the default language's tree under a language prefix that
    has no home page of its own; send the reader to a URL whose language
    matches the content instead."""
    language_code = get_language_from_path(request.path_info)
    if not language_code or language_code == page.locale.language_code:
        return None
    target = best_translation(page, language_code)
    if target is None:
        return None
    url = target.get_url(request)
    if url and url != request.path_info:
        return redirect(url)
    return None
