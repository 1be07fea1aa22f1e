"""/healthz: what load balancers and monitoring poll."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from mentoring_cms import health

from .production_settings import cache_settings, production_settings

pytestmark = pytest.mark.django_db


class BrokenCache(LocMemCache):
    """A cache whose server does not answer."""

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    def get(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")


class BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


def test_url_is_outside_the_language_prefixes():
    assert reverse("mentoring_cms:healthz") == "/healthz"


def test_healthy_when_database_and_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@override_settings(CACHES={"default": {"BACKEND": "tests.test_healthz.BrokenCache"}})
def test_unhealthy_when_the_cache_raises(client, caplog):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}
    assert "no-store" in response["Cache-Control"]
    assert "the cache did not answer" in caplog.text


def test_unhealthy_when_the_production_redis_is_unreachable(client):
    # The production cache swallows Redis errors so that pages still render;
    # the health check must see through that.
    prod = production_settings(REDIS_URL="redis://127.0.0.1:1/0")
    with override_settings(**cache_settings(prod)):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


def test_unhealthy_when_the_database_does_not_answer(client, monkeypatch, caplog):
    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}
    assert "the database did not answer" in caplog.text


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_healthy_with_the_production_redis_cache(client):
    # Redis runs on these machines (127.0.0.1:6379; .ci/run starts it).
    prod = production_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    prod["CACHES"]["default"]["KEY_PREFIX"] = "mentoring_cms_test_healthz"
    with override_settings(**cache_settings(prod)):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
