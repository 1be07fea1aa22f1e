"""A full-page cache for anonymous visitors, emptied whenever content changes.

The plugin's pages put themselves on the request while they render;
``PageCacheMiddleware`` then keeps the finished response under the host,
path and language, and serves it to the next anonymous visitor without
routing, queries or rendering. Publishing, unpublishing, moving or deleting
any page, or changing a faculty, contact person or site, starts a new cache
generation, so nobody is served content older than the last change. Rounds
also cap the lifetime at their next status change (applications open or
close), which the clock decides rather than an editor.

Settings: ``MENTORING_CMS_PAGE_CACHE_TIMEOUT`` (seconds, 0 turns the cache
off) and ``MENTORING_CMS_PAGE_CACHE_ALIAS`` (the Django cache to use; share
one such as Redis between processes so that invalidation reaches them all).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .conf import get_setting

GENERATION_KEY = "mentoring_cms:page-cache:generation"
# Cookies that mean the response may be personal: a session (editors, anyone
# who started an application) or pending flash messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def get_cache():
    return caches[get_setting("PAGE_CACHE_ALIAS")]


def _new_generation():
    return uuid.uuid4().hex[:12]


def current_generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def invalidate(**kwargs):
    """Drop every cached page (a signal receiver; see ``apps.py``)."""
    get_cache().set(GENERATION_KEY, _new_generation(), None)


def request_is_cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and get_setting("PAGE_CACHE_TIMEOUT") > 0
    )


def cache_key(request, generation):
    location = f"{request.get_host()}{request.path}".encode()
    digest = hashlib.md5(location, usedforsecurity=False).hexdigest()
    return f"mentoring_cms:page:{generation}:{get_language()}:{digest}"


def _says_do_not_store(response):
    directives = response.get("Cache-Control", "").lower()
    return "no-store" in directives or "private" in directives


def response_timeout(request, response):
    """How long ``response`` may be cached: 0 unless one of the plugin's pages
    rendered itself at its own URL (not a route below it such as a wizard
    step), nothing personal is in the response and it does not forbid storing
    (``Cache-Control: no-store`` or ``private``)."""
    page = getattr(request, "mentoring_cms_page", None)
    if (
        page is None
        or request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(request, "is_preview", False)
        or _says_do_not_store(response)
    ):
        return 0
    url_parts = page.get_url_parts(request)
    if url_parts is None or url_parts[2] != request.path:
        return 0
    return page.get_page_cache_timeout()


def cached_value(name, parts, compute):
    """What ``compute()`` returns (anything picklable), kept under ``name``
    and ``parts`` (the things it depends on, e.g. page id, language and site
    root) for ``MENTORING_CMS_FRAGMENT_CACHE_TIMEOUT`` seconds in the page
    cache's store and generation: any content change that empties the page
    cache empties these too. For the parts of a page that are costly and the
    same for every visitor while content stays the same (a round's list of
    gatherings, a page's translations), also when the whole page is not
    cached (someone signed in, or ``MENTORING_CMS_PAGE_CACHE_TIMEOUT`` = 0).
    A timeout of 0 computes every time."""
    timeout = get_setting("FRAGMENT_CACHE_TIMEOUT")
    if timeout <= 0:
        return compute()
    cache = get_cache()
    described = ":".join(str(part) for part in parts).encode()
    digest = hashlib.md5(described, usedforsecurity=False).hexdigest()
    key = f"mentoring_cms:fragment:{current_generation(cache)}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_fragment(name, parts, render):
    """HTML that ``render()`` returns, kept as ``cached_value`` does."""
    html = cached_value(name, parts, lambda: str(render()))
    return mark_safe(html)  # noqa: S308 - HTML our own template rendered


class PageCacheMiddleware:
    """Place it after ``LocaleMiddleware`` (the key includes the language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        cache = get_cache()
        key = cache_key(request, current_generation(cache))
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        timeout = response_timeout(request, response)
        if timeout > 0:
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() != "set-cookie"
            }
            cache.set(key, (response.content, headers), timeout)
        return response


class PageCacheMixin:
    """For page models whose public rendering is the same for every anonymous
    visitor; see the module docstring."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request is not None:
            request.mentoring_cms_page = self
        return context

    def get_page_cache_timeout(self):
        return get_setting("PAGE_CACHE_TIMEOUT")
