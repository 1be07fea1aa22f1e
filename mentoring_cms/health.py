"""The health check that load balancers and monitoring poll."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTH_CACHE_KEY = "mentoring_cms:healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database did not answer")
        return False


def cache_answers():
    # A round trip with a fresh value: a cache that swallows its errors (as
    # the production Redis cache does) reads back nothing and so fails too.
    token = secrets.token_hex(8)
    try:
        cache.set(HEALTH_CACHE_KEY, token, timeout=30)
        if cache.get(HEALTH_CACHE_KEY) == token:
            return True
        logger.error("Health check: the cache did not return what was stored")
    except Exception:
        logger.exception("Health check: the cache did not answer")
    return False


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise.

    The body names the components and their state only, never any data.
    """
    checks = {
        "database": "ok" if database_answers() else "error",
        "cache": "ok" if cache_answers() else "error",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
