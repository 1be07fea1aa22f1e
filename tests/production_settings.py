"""The production settings module, evaluated with an environment of our choosing."""

import os
import runpy
from unittest import mock

# What a real deployment sets (docs/deployment.md); the hosts are never contacted.
REALISTIC_ENVIRONMENT = {
    "SECRET_KEY": "kq3V8pZ1-mentoring-cms-production-like-secret-key-6Hc0Yw2eTt9LxR",
    "DATABASE_URL": "postgres://mentoring:secret@127.0.0.1:5432/mentoring",
    "ALLOWED_HOSTS": "mentoring.example.org,10.0.0.11",
    "CSRF_TRUSTED_ORIGINS": "https://mentoring.example.org",
    "DEFAULT_FROM_EMAIL": "Mentorprogrammet <mentoring@example.org>",
    "MENTORING_CMS_HR_EMAIL": "hr-mentoring@example.org",
    "EMAIL_URL": "smtp+tls://mailer:p%40ss@smtp.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def cache_settings(prod):
    """The production cache and session settings, for ``override_settings``."""
    names = [
        "CACHES",
        "SESSION_ENGINE",
        "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS",
        "DJANGO_REDIS_LOGGER",
    ]
    return {name: prod[name] for name in names if name in prod}


def production_settings(environment=None, **overrides):
    """Return the names the production module defines under ``environment``.

    ``overrides`` change single variables; a value of None removes one.
    """
    env = dict(REALISTIC_ENVIRONMENT if environment is None else environment)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env["PATH"] = os.environ.get("PATH", "")
    with mock.patch.dict(os.environ, env, clear=True):
        namespace = runpy.run_module("demo_site.settings.production")
    return {name: value for name, value in namespace.items() if name.isupper()}


def header_settings(prod, **extra):
    """The production settings that shape responses, for ``override_settings``.

    The cache stays the tests' own unless ``extra`` says otherwise: a shared
    Redis would mix cached page-tree data between test databases.
    """
    names = [
        "MIDDLEWARE",
        "TRUSTED_PROXIES",
        "CONTENT_SECURITY_POLICY",
        "ADMIN_CONTENT_SECURITY_POLICY",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
    ]
    values = {name: prod[name] for name in names if name in prod}
    values.update(extra)
    return values
