"""A small per-address counter in Django's cache for the public forms."""

import hashlib
import time

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"10/h"`` → ``(10, 3600)``."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip().lower()[:1] or "h"]


def client_address(request):
    # Behind a proxy the site sets REMOTE_ADDR from a trusted header.
    return request.META.get("REMOTE_ADDR", "")


def is_over_limit(request, scope, rate):
    """Count one more request from this address; True once over ``rate``."""
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"mentoring_cms:rate:{scope}:{address}:{window}"
    cache.add(key, 0, timeout=period + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period + 60)
        count = 1
    return count > limit


def retry_after(rate):
    _limit, period = parse_rate(rate)
    return period - int(time.time()) % period
