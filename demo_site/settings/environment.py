"""Reading the production settings from environment variables, with clear errors.

Only the settings package imports this module, so it takes the environment as
an argument: tests pass their own mapping instead of changing ``os.environ``.
"""

import re
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def require(environ, *names):
    """Return the values of ``names``; fail naming every one that is unset."""
    missing = [name for name in names if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "The production settings need these environment variables: "
            + ", ".join(missing)
            + ". See docs/deployment.md."
        )
    return [environ[name].strip() for name in names]


def env_list(environ, name, default=()):
    """A comma-separated list; blanks between commas are ignored."""
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_bool(environ, name, default):
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {sorted(TRUE_VALUES | FALSE_VALUES)}, not {raw!r}."
    )


def env_int(environ, name, default):
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}."
        ) from None


RATE_PATTERN = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", re.I)


def env_rate(environ, name, default=None):
    """A rate such as ``10/h`` (count per second, minute, hour or day)."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    value = raw.replace(" ", "")
    if not RATE_PATTERN.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must look like 10/h (a count per s, m, h or d), not {raw!r}."
        )
    return value


# scheme -> (use_tls, use_ssl, default port)
SMTP_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "submission": (True, False, 587),
    "smtps": (False, True, 465),
    "smtp+ssl": (False, True, 465),
}
OTHER_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings(environ):
    """Django's EMAIL_* settings from ``EMAIL_URL`` or the separate variables.

    ``EMAIL_URL`` looks like ``smtp+tls://user:password@smtp.example.org:587``
    (schemes: smtp, smtp+tls or submission for STARTTLS, smtps or smtp+ssl for
    TLS from the start, console and dummy for trials); ``?timeout=20`` changes
    the timeout. Without it, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and EMAIL_USE_SSL are read.
    """
    timeout = env_int(environ, "EMAIL_TIMEOUT", 10)
    url = environ.get("EMAIL_URL", "").strip()
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": environ.get("EMAIL_HOST", "localhost"),
            "EMAIL_PORT": env_int(environ, "EMAIL_PORT", 25),
            "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool(environ, "EMAIL_USE_TLS", False),
            "EMAIL_USE_SSL": env_bool(environ, "EMAIL_USE_SSL", False),
            "EMAIL_TIMEOUT": timeout,
        }

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in OTHER_EMAIL_BACKENDS:
        return {"EMAIL_BACKEND": OTHER_EMAIL_BACKENDS[scheme]}
    if scheme not in SMTP_SCHEMES:
        known = ", ".join([*SMTP_SCHEMES, *OTHER_EMAIL_BACKENDS])
        raise ImproperlyConfigured(
            f"EMAIL_URL has the scheme {scheme!r}; use one of {known}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL needs a host name.")
    use_tls, use_ssl, default_port = SMTP_SCHEMES[scheme]
    query = parse_qs(parts.query)
    if "timeout" in query:
        timeout = env_int({"timeout": query["timeout"][-1]}, "timeout", timeout)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }


def s3_media_origins(bucket, custom_domain, endpoint_url, region):
    """The origins a browser loads public media from, for the CSP's img-src."""
    if custom_domain:
        return [f"https://{custom_domain}"]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [
            f"{parts.scheme}://{parts.netloc}",
            f"{parts.scheme}://{bucket}.{parts.netloc}",
        ]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins
