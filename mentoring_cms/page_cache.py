"""A full-page cache for anonymous visitors, emptied whenever content changes.

The plugin's pages put themselves on the request while they render;
``PageCacheMiddleware`` then keeps the finished response under the host,
path and language, and serves it to the next anonymous visitor without
routing, queries or rendering. Publishing, unpublishing, moving or deleting
any page, changing a faculty, contact person or site, or adding, changing or
removing a view restriction (password, login, groups) on any page starts a
new cache generation, so nobody is served content older than the last change
and a page made private is never replayed to anonymous visitors. A page
that has view restrictions, on itself or an ancestor, is never stored. Rounds
also cap the lifetime at their next status change (applications open or
close), which the clock decides rather than an editor.

Every key starts with a prefix, ``MENTORING_CMS_PAGE_CACHE_KEY_PREFIX`` or
else the installed version of the plugin, so a deploy that changes either
never serves HTML rendered by the previous templates; ``manage.py
clear_page_cache`` empties the cache by hand.

Settings: ``MENTORING_CMS_PAGE_CACHE_TIMEOUT`` (seconds, 0 turns the cache
off), ``MENTORING_CMS_PAGE_CACHE_ALIAS`` (the Django cache to use; share one
such as Redis between processes so that invalidation reaches them all) and
``MENTORING_CMS_PAGE_CACHE_KEY_PREFIX``.
"""

import functools
import hashlib
import importlib.metadata
import logging
import uuid
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .conf import get_setting

logger = logging.getLogger(__name__)

DISTRIBUTION = "mentoring-cms"
# Cookies that mean the response may be personal: a session (editors, anyone
# who started an application) or pending flash messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def get_cache_alias():
    return get_setting("PAGE_CACHE_ALIAS")


def get_cache():
    return caches[get_cache_alias()]


@functools.cache
def package_version():
    """The installed version of the plugin (``"0.1.0"``), or ``"unknown"``
    when it runs from a source tree that was never installed."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def key_prefix():
    """The start of every key the page cache uses: the setting
    ``MENTORING_CMS_PAGE_CACHE_KEY_PREFIX`` (e.g. the deployed commit) or
    else the plugin's version, so a deploy starts with an empty cache."""
    prefix = get_setting("PAGE_CACHE_KEY_PREFIX") or package_version()
    return f"mentoring_cms:{prefix}"


def generation_key():
    return f"{key_prefix()}:page-cache:generation"


def _new_generation():
    return uuid.uuid4().hex[:12]


def current_generation(cache):
    key = generation_key()
    generation = cache.get(key)
    if generation is None:
        cache.add(key, _new_generation(), None)
        generation = cache.get(key)
    return generation


def invalidate(**kwargs):
    """Drop every cached page (a signal receiver; see ``signal_handlers.py``).

    Starts a new generation: the old entries are never read again and expire
    by their timeout."""
    get_cache().set(generation_key(), _new_generation(), None)


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
    return f"{key_prefix()}:page:{generation}:{get_language()}:{digest}"


def same_path(url, path):
    """Whether ``url`` (as Wagtail builds it: non-ASCII slugs percent-encoded,
    ``/nb/f%C3%B8rste/``) and ``path`` (as Django gives it in
    ``request.path``: decoded, ``/nb/første/``) name the same path."""
    return url is not None and unquote(url) == unquote(path)


def is_view_restricted(page):
    """Whether ``page`` or an ancestor has a view restriction (password,
    login or groups). The answer Wagtail's restriction check found while
    serving is reused when the page carries it (see ``PageCacheMixin``)."""
    restricted = getattr(page, "_mentoring_cms_view_restricted", None)
    if restricted is None:
        restricted = page.get_view_restrictions().exists()
    return restricted


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
    if url_parts is None or not same_path(url_parts[2], request.path):
        return 0
    if is_view_restricted(page):
        return 0
    return page.get_page_cache_timeout()


def cached_value(name, parts, compute, timeout=None):
    """What ``compute()`` returns (anything picklable), kept under ``name``
    and ``parts`` (the things it depends on, e.g. page id, language and site
    root) for ``MENTORING_CMS_FRAGMENT_CACHE_TIMEOUT`` seconds in the page
    cache's store and generation: any content change that empties the page
    cache empties these too. For the parts of a page that are costly and the
    same for every visitor while content stays the same (a round's list of
    gatherings, a page's translations), also when the whole page is not
    cached (someone signed in, or ``MENTORING_CMS_PAGE_CACHE_TIMEOUT`` = 0).
    A timeout of 0 computes every time."""
    if timeout is None:
        timeout = get_setting("FRAGMENT_CACHE_TIMEOUT")
    if timeout <= 0:
        return compute()
    cache = get_cache()
    described = ":".join(str(part) for part in parts).encode()
    digest = hashlib.md5(described, usedforsecurity=False).hexdigest()
    try:
        generation = current_generation(cache)
        if generation is None:
            # A cache that keeps nothing (down, behind IGNORE_EXCEPTIONS):
            # no key that a later invalidation could not reach.
            return compute()
        key = f"{key_prefix()}:fragment:{generation}:{name}:{digest}"
        value = cache.get(key)
    except Exception:  # a cache that is down costs the work, not the page
        logger.warning("The cache could not be read (%s).", name)
        return compute()
    if value is None:
        value = compute()
        if value is not None:
            try:
                cache.set(key, value, timeout)
            except Exception:
                logger.warning("The cache could not keep a value (%s).", name)
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

    def get_view_restrictions(self):
        """Wagtail's restrictions of this page and its ancestors, read once and
        remembered so the cache knows not to store a restricted page."""
        restrictions = super().get_view_restrictions()
        # bool() runs the query and fills the queryset's result cache, so the
        # caller's iteration costs nothing more.
        self._mentoring_cms_view_restricted = bool(restrictions)
        return restrictions

    def get_page_cache_timeout(self):
        return get_setting("PAGE_CACHE_TIMEOUT")
