"""Production settings: everything comes from environment variables.

docs/deployment.md lists every variable. SECRET_KEY, DATABASE_URL,
ALLOWED_HOSTS, DEFAULT_FROM_EMAIL and MENTORING_CMS_HR_EMAIL are required; the
others have defaults fit for one server behind a TLS-terminating proxy.
"""

import os

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .environment import (
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_rate,
    require,
    s3_media_origins,
)

ENV = os.environ

DEBUG = False

SECRET_KEY, DATABASE_URL, DEFAULT_FROM_EMAIL, MENTORING_CMS_HR_EMAIL, _hosts = require(
    ENV,
    "SECRET_KEY",
    "DATABASE_URL",
    "DEFAULT_FROM_EMAIL",
    "MENTORING_CMS_HR_EMAIL",
    "ALLOWED_HOSTS",
)
SERVER_EMAIL = ENV.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# The site's host names, e.g. "mentoring.example.org", plus the address the
# load balancer's health checks use.
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS names no host.")
# Only needed for origins other than the site's own (Django compares the
# Origin header with the request's host itself), e.g. "https://cms.example.org".
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = ENV.get(
    "WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)

# Persistent connections, checked before reuse so that a database restart or
# a fail-over to the standby costs one reconnect instead of a 500.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int(ENV, "DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

INSTALLED_APPS = [*INSTALLED_APPS, "csp"]

# WhiteNoise answers static files right after SecurityMiddleware, before the
# rest of the stack runs; the CSP middleware then covers every other response.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    "demo_site.middleware.ClientAddressMiddleware",
    *MIDDLEWARE[:_after_security],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "demo_site.middleware.ContentSecurityPolicyMiddleware",
    *MIDDLEWARE[_after_security:],
]

# Email: EMAIL_URL, or EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/... (see
# environment.email_settings). A short timeout keeps a dead mail server from
# holding the task worker.
globals().update(email_settings(ENV))

# Wagtail's task framework: emails and other background work are stored in the
# database and run by `manage.py db_worker`, outside the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# The Procfile (and scripts/serve.sh) run that worker, so the plugin's
# reminder that emails need one is acknowledged here.
SILENCED_SYSTEM_CHECKS = ["mentoring_cms.I001"]

# Cache: Redis shared by every app server when REDIS_URL is set, otherwise
# memory local to each process. Redis errors are logged and treated as cache
# misses, so an unreachable Redis makes the site slower, never broken.
REDIS_URL = ENV.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": ENV.get("CACHE_KEY_PREFIX", "mentoring_cms"),
            "TIMEOUT": env_int(ENV, "CACHE_TIMEOUT", 300),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "mentoring_cms.cache"
    # Sessions are written to the database and read through the shared cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A per-process cache must not hold sessions: another app server would
    # read a stale copy. The database is shared by all of them.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The load balancers and proxies in front of the app servers: from them, the
# applicant's own address is taken from X-Forwarded-For (the rate limits
# count per address). The same variable tells gunicorn whose
# X-Forwarded-Proto to believe.
TRUSTED_PROXIES = env_list(ENV, "FORWARDED_ALLOW_IPS", ["127.0.0.1"])

# Rate limits of the application wizards per client address (the plugin's
# defaults, 10 submissions and 200 step POSTs an hour, when unset). They count
# in the cache above, so several app servers share them only through Redis.
MENTORING_CMS_RATE_LIMIT = env_rate(ENV, "MENTORING_CMS_RATE_LIMIT", "10/h")
MENTORING_CMS_STEP_RATE_LIMIT = env_rate(ENV, "MENTORING_CMS_STEP_RATE_LIMIT", "200/h")

# Files. Static files are served by WhiteNoise with hashed, compressed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_ROOT = ENV.get("STATIC_ROOT", str(STATIC_ROOT))
MEDIA_ROOT = ENV.get("MEDIA_ROOT", str(MEDIA_ROOT))

# Media on S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set;
# applicants' files in a second, private bucket when
# AWS_PRIVATE_STORAGE_BUCKET_NAME is set (otherwise on the local disk at
# MENTORING_CMS_PRIVATE_MEDIA_ROOT, which several servers must then share).
AWS_S3_ENDPOINT_URL = ENV.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = ENV.get("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = ENV.get("AWS_S3_CUSTOM_DOMAIN") or None
AWS_S3_ADDRESSING_STYLE = ENV.get("AWS_S3_ADDRESSING_STYLE") or None
# Credentials may also come from the instance's role; boto3 looks for them.
AWS_ACCESS_KEY_ID = ENV.get("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = ENV.get("AWS_SECRET_ACCESS_KEY") or None
AWS_S3_FILE_OVERWRITE = False
AWS_STORAGE_BUCKET_NAME = ENV.get("AWS_STORAGE_BUCKET_NAME") or None
AWS_PRIVATE_STORAGE_BUCKET_NAME = ENV.get("AWS_PRIVATE_STORAGE_BUCKET_NAME") or None
MEDIA_ORIGINS = []
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN,
            # Images and documents of published pages are public.
            "querystring_auth": False,
            "location": ENV.get("AWS_LOCATION", ""),
        },
    }
    MEDIA_ORIGINS = s3_media_origins(
        AWS_STORAGE_BUCKET_NAME,
        AWS_S3_CUSTOM_DOMAIN,
        AWS_S3_ENDPOINT_URL,
        AWS_S3_REGION_NAME,
    )
if AWS_PRIVATE_STORAGE_BUCKET_NAME:
    STORAGES["mentoring_cms_private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_PRIVATE_STORAGE_BUCKET_NAME,
            "default_acl": "private",
            # Never a public address: HR downloads go through the site, and
            # any URL the storage makes is signed and short-lived.
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }

# HTTPS. The load balancer or reverse proxy terminates TLS and must set
# X-Forwarded-Proto (and strip it from clients' requests); only then is it
# safe to trust it, which TRUST_X_FORWARDED_PROTO (default on) does.
if env_bool(ENV, "TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", True)
# Load balancers probe app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int(ENV, "SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# Wagtail's admin reads the CSRF token from the page, not from the cookie.
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp). Public pages get a strict policy: only
# this site's own scripts, styles and images (plus the media bucket).
CSP_FRAME_SOURCES = env_list(ENV, "CSP_FRAME_SRC")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "media-src": [SELF, *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Embedded videos and the like need their providers listed here.
        "frame-src": [SELF, *CSP_FRAME_SOURCES],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The Wagtail admin (HR and editors only) still needs inline scripts (date
# pickers, inline panels) and inline styles; image uploads preview blob: URLs
# and the dashboard asks releases.wagtail.org for the latest version. These
# relaxations apply under the admin's URL prefix only
# (demo_site.middleware.ContentSecurityPolicyMiddleware).
ADMIN_CONTENT_SECURITY_POLICY = {
    "URL_PREFIXES": ["/admin/"],
    "UPDATE": {
        "script-src": [UNSAFE_INLINE],
        "style-src": [UNSAFE_INLINE],
        "img-src": ["blob:"],
        "connect-src": ["https://releases.wagtail.org"],
    },
}
# Editors' email addresses are not sent to Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# A CDN in front of the app servers, purged by Wagtail when pages are
# published (docs/deployment.md).
WAGTAILFRONTENDCACHE = {}
if ENV.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": ENV["FRONTEND_CACHE_PURGE_URL"],
    }
if ENV.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": require(ENV, "CLOUDFLARE_API_TOKEN")[0],
        "ZONEID": ENV["CLOUDFLARE_ZONE_ID"],
    }
if ENV.get("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": ENV["CLOUDFRONT_DISTRIBUTION_ID"],
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]

# Logs go to stdout for the process manager to collect. They name paths,
# status codes and exception types, never form data, email addresses or
# client IP addresses: no handler mails error reports (which would include
# request data), tracebacks lose the DETAIL lines in which PostgreSQL quotes
# rejected values, and gunicorn's access log stays off.
LOG_LEVEL = ENV.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "demo_site.log_format.PersonalDataSafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default handlers, including mail_admins.
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
    },
}
