from .base import *  # noqa: F401,F403

DEBUG = True
# Demo-only key: never used outside a developer's machine (see production.py).
SECRET_KEY = "django-insecure-mentoring-cms-demo-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
