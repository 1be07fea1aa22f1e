import tempfile

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "mentoring-cms-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="mentoring-cms-media-")
MENTORING_CMS_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="mentoring-cms-private-")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests see every request rendered; the page cache has tests of its own.
MENTORING_CMS_PAGE_CACHE_TIMEOUT = 0
