"""A small per-address counter in Django's cache for the public forms."""

import hashlib
import logging
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"10/h"`` → ``(10, 3600)``."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip().lower()[:1] or "h"]


def client_address(request):
    # Behind a proxy the site sets REMOTE_ADDR from a trusted header.
    return request.META.get("REMOTE_ADDR", "")


def is_over_limit(request, scope, rate):
    """Count one more request from this address; True once over ``rate``.

    When the cache cannot count (Redis unreachable: django-redis then returns
    None instead of raising, other backends raise), the request is let
    through and the failure logged: an applicant must never lose an
    application because the limiter's cache is down.
    """
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return _count(scope, address, rate)


def is_over_limit_for(identifier, scope, rate):
    """As ``is_over_limit``, counted per ``identifier`` (a canonical email
    address, say) instead of per client address. The cache key holds a keyed
    hash of it (``salted_hmac`` with ``SECRET_KEY``), never the identifier."""
    digest = salted_hmac("mentoring_cms.ratelimit", identifier).hexdigest()[:32]
    return _count(f"{scope}:id", digest, rate)


def _count(scope, who, rate):
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    key = f"mentoring_cms:rate:{scope}:{who}:{window}"
    try:
        cache.add(key, 0, timeout=period + 60)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=period + 60)
            count = 1
    except Exception as error:
        logger.warning(
            "Rate limit %r not checked: the cache failed (%s); request allowed.",
            scope,
            type(error).__name__,
        )
        return False
    if count is None:
        logger.warning(
            "Rate limit %r not checked: the cache did not answer; request allowed.",
            scope,
        )
        return False
    return count > limit


def retry_after(rate):
    _limit, period = parse_rate(rate)
    return period - int(time.time()) % period
