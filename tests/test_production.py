"""Production settings: read from the environment, hardened, and safe to run on
several app servers (docs/deployment.md)."""

import logging
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError
from django.test import override_settings
from django.utils.module_loading import import_string

from demo_site.settings.environment import email_settings
from mentoring_cms.storage import PrivateStorage

from .production_settings import (
    REALISTIC_ENVIRONMENT,
    cache_settings,
    header_settings,
    production_settings,
)
from .utils import make_contact_page, make_session

BASE_DIR = Path(__file__).resolve().parent.parent
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_check_deploy_passes_with_a_realistic_environment(tmp_path):
    env = {
        **os.environ,
        **REALISTIC_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": "demo_site.settings.production",
        "AWS_STORAGE_BUCKET_NAME": "mentoring-media",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "mentoring-private",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_variables_are_named_in_one_clear_error():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        production_settings(SECRET_KEY=None, DATABASE_URL=None)
    message = str(excinfo.value)
    assert "SECRET_KEY" in message
    assert "DATABASE_URL" in message
    assert "ALLOWED_HOSTS" not in message


def test_blank_allowed_hosts_is_refused():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        production_settings(ALLOWED_HOSTS=" , ")


def test_settings_come_from_the_environment():
    prod = production_settings()
    assert prod["DEBUG"] is False
    assert prod["SECRET_KEY"] == REALISTIC_ENVIRONMENT["SECRET_KEY"]
    assert prod["ALLOWED_HOSTS"] == ["mentoring.example.org", "10.0.0.11"]
    assert prod["CSRF_TRUSTED_ORIGINS"] == ["https://mentoring.example.org"]
    assert prod["WAGTAILADMIN_BASE_URL"] == "https://mentoring.example.org"
    assert prod["MENTORING_CMS_HR_EMAIL"] == "hr-mentoring@example.org"

    database = prod["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "mentoring"
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True

    assert prod["EMAIL_HOST"] == "smtp.example.org"
    assert prod["EMAIL_PORT"] == 587
    assert prod["EMAIL_HOST_USER"] == "mailer"
    assert prod["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert prod["EMAIL_USE_TLS"] is True
    assert prod["EMAIL_TIMEOUT"] == 10

    assert (
        prod["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in prod["MIDDLEWARE"]


def test_the_task_framework_uses_the_database_backend():
    prod = production_settings()
    assert prod["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in prod["INSTALLED_APPS"]


def test_email_settings_without_email_url():
    settings = email_settings(
        {
            "EMAIL_HOST": "smtp.uni.example",
            "EMAIL_PORT": "465",
            "EMAIL_HOST_USER": "cms",
            "EMAIL_HOST_PASSWORD": "pw",
            "EMAIL_USE_SSL": "true",
        }
    )
    assert settings["EMAIL_HOST"] == "smtp.uni.example"
    assert settings["EMAIL_PORT"] == 465
    assert settings["EMAIL_USE_SSL"] is True
    assert settings["EMAIL_USE_TLS"] is False


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://relay.example.org", 25, False, False),
        ("submission://relay.example.org", 587, True, False),
        ("smtps://relay.example.org?timeout=30", 465, False, True),
    ],
)
def test_email_url_schemes(url, port, tls, ssl):
    settings = email_settings({"EMAIL_URL": url})
    assert settings["EMAIL_PORT"] == port
    assert settings["EMAIL_USE_TLS"] is tls
    assert settings["EMAIL_USE_SSL"] is ssl


def test_email_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings({"EMAIL_URL": "imap://mail.example.org"})


def test_sessions_are_shared_by_every_app_server():
    with_redis = production_settings()
    assert with_redis["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert with_redis["CACHES"]["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert with_redis["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"

    # A cache local to each process must not serve sessions: another server
    # would read a stale copy. They live in the shared database instead.
    without_redis = production_settings(REDIS_URL=None)
    assert (
        without_redis["CACHES"]["default"]["BACKEND"]
        == "django.core.cache.backends.locmem.LocMemCache"
    )
    assert without_redis["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_media_and_private_files_on_object_storage():
    prod = production_settings(
        AWS_STORAGE_BUCKET_NAME="mentoring-media",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="mentoring-private",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
    )
    media = prod["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "mentoring-media"
    assert (
        "https://objects.example.org"
        in (prod["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"])
    )

    with override_settings(
        STORAGES=prod["STORAGES"], AWS_S3_ENDPOINT_URL="https://objects.example.org"
    ):
        private = PrivateStorage()
        private._setup()
        storage = private._wrapped
    assert type(storage).__name__ == "S3Storage"
    assert storage.bucket_name == "mentoring-private"
    assert storage.querystring_auth is True
    assert storage.custom_domain is None
    assert storage.default_acl == "private"


def test_files_stay_on_disk_without_buckets():
    prod = production_settings()
    assert prod["STORAGES"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert "mentoring_cms_private" not in prod["STORAGES"]


def test_logs_go_to_stdout_and_error_reports_are_never_mailed():
    logging = production_settings()["LOGGING"]
    handlers = logging["handlers"]
    assert all(h["class"] == "logging.StreamHandler" for h in handlers.values())
    assert handlers["stdout"]["stream"] == "ext://sys.stdout"
    # Replacing the "django" logger's handlers drops Django's mail_admins,
    # whose reports would carry applicants' form data.
    assert logging["loggers"]["django"]["handlers"] == ["stdout"]
    assert logging["loggers"]["django"]["propagate"] is False


@pytest.fixture
def production_headers(tmp_path):
    prod = production_settings()
    with override_settings(**header_settings(prod, STATIC_ROOT=tmp_path)):
        yield prod


def test_public_page_carries_the_security_headers(client, home, production_headers):
    response = client.get(home.url, secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"


def test_plain_http_is_redirected_except_the_health_check(
    client, home, production_headers
):
    response = client.get(home.url)
    assert response.status_code == 301
    assert response["Location"].startswith("https://")

    assert client.get("/healthz").status_code == 200


def test_forwarded_proto_from_the_proxy_counts_as_https(
    client, home, production_headers
):
    response = client.get(home.url, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def test_admin_policy_is_relaxed_only_under_the_admin(client, home, production_headers):
    admin_policy = client.get("/admin/login/", secure=True)["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_policy
    assert "blob:" in admin_policy

    public_policy = client.get(home.url, secure=True)["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public_policy
    assert "blob:" not in public_policy


class InlineCodeFinder(HTMLParser):
    """Collects what the strict public policy would block in a browser."""

    def __init__(self):
        super().__init__()
        self.blocked = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "script"
            and "src" not in attrs
            and attrs.get("type")
            not in (
                "application/json",
                "application/ld+json",
            )
        ):
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"{name}= attribute on <{tag}>")


def test_public_pages_have_no_inline_code_the_policy_would_block(
    client, home, programme, open_round, production_headers
):
    pages = [
        home,
        programme,
        open_round,
        make_session(open_round),
        make_contact_page(programme),
    ]
    for page in pages:
        response = client.get(page.url, secure=True)
        assert response.status_code == 200
        finder = InlineCodeFinder()
        finder.feed(response.content.decode())
        assert finder.blocked == [], page.url


def test_frontend_cache_purging_is_configured_from_the_environment():
    prod = production_settings(FRONTEND_CACHE_PURGE_URL="http://varnish.internal")
    assert "wagtail.contrib.frontend_cache" in prod["INSTALLED_APPS"]
    assert prod["WAGTAILFRONTENDCACHE"]["http"]["LOCATION"] == (
        "http://varnish.internal"
    )
    assert (
        "wagtail.contrib.frontend_cache"
        not in (production_settings()["INSTALLED_APPS"])
    )
    with pytest.raises(ImproperlyConfigured, match="CLOUDFLARE_API_TOKEN"):
        production_settings(CLOUDFLARE_ZONE_ID="zone")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_http_only(client, production_headers):
    response = client.get("/admin/login/", secure=True)
    csrf_cookie = response.cookies["csrftoken"]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["httponly"] is True

    get_user_model().objects.create_superuser("hr", "hr@example.org", "pw-for-hr")
    client.cookies.clear()
    csrf_client_response = client.get("/admin/login/", secure=True)
    token = csrf_client_response.cookies["csrftoken"].value
    response = client.post(
        "/admin/login/",
        {"username": "hr", "password": "pw-for-hr", "csrfmiddlewaretoken": token},
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True


@pytest.fixture
def unreachable_redis(tmp_path):
    prod = production_settings(REDIS_URL=UNREACHABLE_REDIS)
    with override_settings(
        **header_settings(prod, STATIC_ROOT=tmp_path), **cache_settings(prod)
    ):
        yield prod


def test_public_pages_render_when_redis_is_unreachable(
    client, programme, open_round, unreachable_redis, caplog
):
    for page in (programme, open_round):
        response = client.get(page.url, secure=True)
        assert response.status_code == 200
        assert page.title in response.content.decode()
    # The cache was asked, failed, and the failure was logged, not raised.
    assert any(
        record.name == "mentoring_cms.cache" and record.exc_info
        for record in caplog.records
    )


@pytest.mark.django_db
def test_admin_sign_in_works_when_redis_is_unreachable(client, unreachable_redis):
    get_user_model().objects.create_superuser("hr", "hr@example.org", "pw-for-hr")
    token = client.get("/admin/login/", secure=True).cookies["csrftoken"].value
    response = client.post(
        "/admin/login/",
        {"username": "hr", "password": "pw-for-hr", "csrfmiddlewaretoken": token},
        secure=True,
    )
    assert response.status_code == 302
    # The session was stored in the database, so the next request is signed in.
    assert client.get("/admin/", secure=True).status_code == 200


def test_every_environment_variable_is_documented():
    read = set()
    for module in ("production.py", "environment.py"):
        source = (BASE_DIR / "demo_site" / "settings" / module).read_text()
        read |= set(
            re.findall(r'(?:ENV|environ)(?:\.get\(|\[)\s*"([A-Z0-9_]+)"', source)
        )
        read |= set(
            re.findall(
                r'env_(?:bool|int|list|rate)\((?:ENV|environ), "([A-Z0-9_]+)"', source
            )
        )
        for call in re.findall(r"require\(\s*ENV,([^)]*)\)", source):
            read |= set(re.findall(r'"([A-Z0-9_]+)"', call))
    source = (BASE_DIR / "gunicorn.conf.py").read_text()
    read |= set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z0-9_]+)["']""", source))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "PORT"} <= read

    guide = (BASE_DIR / "docs" / "deployment.md").read_text()
    assert sorted(name for name in read if f"`{name}`" not in guide) == []


def test_logged_database_errors_do_not_repeat_the_rejected_values():
    plain = production_settings()["LOGGING"]["formatters"]["plain"]
    formatter = import_string(plain["()"])(plain["format"])
    try:
        raise IntegrityError(
            'duplicate key value violates unique constraint "application_email"\n'
            "DETAIL:  Key (email)=(kari.nordmann@example.org) already exists."
        )
    except IntegrityError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: /nb/",
        None,
        exc_info,
    )

    text = formatter.format(record)

    assert "Internal Server Error: /nb/" in text
    assert 'unique constraint "application_email"' in text
    assert "kari.nordmann@example.org" not in text


@pytest.mark.parametrize(
    ("peer", "forwarded", "client_address"),
    [
        # From the load balancer: the address it appended.
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        # A client's own X-Forwarded-For is left of what the balancer added.
        ("10.0.0.2", "192.0.2.1, 198.51.100.7", "198.51.100.7"),
        # Two trusted hops (CDN, then balancer).
        ("10.0.0.2", "198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # Not from a trusted proxy: the header is ignored.
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),
        # Garbage is ignored.
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_client_address_behind_the_load_balancer(rf, peer, forwarded, client_address):
    from demo_site.middleware import ClientAddressMiddleware

    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        middleware = ClientAddressMiddleware(lambda r: r.META["REMOTE_ADDR"])
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert middleware(request) == client_address


def test_production_trusts_the_proxies_it_is_told_about():
    prod = production_settings(FORWARDED_ALLOW_IPS="10.0.0.0/8, 192.0.2.10")
    assert prod["TRUSTED_PROXIES"] == ["10.0.0.0/8", "192.0.2.10"]
    assert prod["MIDDLEWARE"][0] == "demo_site.middleware.ClientAddressMiddleware"
    assert production_settings()["TRUSTED_PROXIES"] == ["127.0.0.1"]


def test_rate_limits_come_from_the_environment():
    prod = production_settings(
        MENTORING_CMS_RATE_LIMIT="50/h", MENTORING_CMS_STEP_RATE_LIMIT="5000/h"
    )
    assert prod["MENTORING_CMS_RATE_LIMIT"] == "50/h"
    assert prod["MENTORING_CMS_STEP_RATE_LIMIT"] == "5000/h"
    assert production_settings()["MENTORING_CMS_RATE_LIMIT"] == "10/h"
    with pytest.raises(ImproperlyConfigured, match="MENTORING_CMS_RATE_LIMIT"):
        production_settings(MENTORING_CMS_RATE_LIMIT="lots")
