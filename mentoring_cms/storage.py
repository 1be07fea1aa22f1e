"""Where applicants' files live: never under the public MEDIA_ROOT."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject

STORAGE_ALIAS = "mentoring_cms_private"


class PrivateStorage(LazyObject):
    """The storage for applicants' files, chosen when first used.

    A site may define ``STORAGES["mentoring_cms_private"]`` (for example an
    S3 bucket without public access); otherwise files go to
    ``private_media_root()`` on the local disk, with no URL. Raises
    ``ImproperlyConfigured`` when first used in production without either.
    """

    def _setup(self):
        if STORAGE_ALIAS in settings.STORAGES:
            self._wrapped = storages[STORAGE_ALIAS]
            return
        location = private_media_root()
        if location is None:
            raise ImproperlyConfigured(
                "Set MENTORING_CMS_PRIVATE_MEDIA_ROOT (a directory outside the "
                "project and MEDIA_ROOT) or STORAGES['mentoring_cms_private']; "
                "manage.py check explains."
            )
        self._wrapped = FileSystemStorage(location=location, base_url=None)


def private_media_root():
    """The directory for applicants' files when no
    ``STORAGES["mentoring_cms_private"]`` is defined, as a string:
    ``MENTORING_CMS_PRIVATE_MEDIA_ROOT``, else (only while ``DEBUG`` is on,
    for development) ``BASE_DIR / "private-media"``; ``None`` in production
    without the setting, which ``checks.check_private_storage`` reports."""
    location = getattr(settings, "MENTORING_CMS_PRIVATE_MEDIA_ROOT", None)
    if location:
        return str(location)
    base_dir = getattr(settings, "BASE_DIR", None)
    if settings.DEBUG and base_dir is not None:
        return str(Path(base_dir) / "private-media")
    return None


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


class WizardFileStorage:
    """Where the application wizards keep an upload between steps.

    Files go to the private storage under ``wizard-tmp/`` (so that several
    application servers can share them) with a generated name; the
    applicant's own file name is kept only in the wizard's session data.
    Only the operations django-formtools uses are provided.
    """

    def __init__(self, prefix="wizard-tmp/"):
        self.prefix = prefix

    def _check(self, name):
        if not name.startswith(self.prefix) or ".." in name:
            raise ValueError("not a wizard upload")
        return name

    def save(self, name, content, max_length=None):
        return private_storage.save(
            f"{self.prefix}{uuid.uuid4().hex}.upload", content, max_length=max_length
        )

    def open(self, name, mode="rb"):
        return private_storage.open(self._check(name), mode)

    def exists(self, name):
        return private_storage.exists(self._check(name))

    def delete(self, name):
        private_storage.delete(self._check(name))

    def stale_files(self, older_than):
        """Names of the temporary uploads last changed before ``older_than``."""
        try:
            _dirs, files = private_storage.listdir(self.prefix.rstrip("/"))
        except FileNotFoundError:
            return []
        names = [self.prefix + name for name in files]
        return [n for n in names if private_storage.get_modified_time(n) < older_than]


wizard_file_storage = WizardFileStorage()
# The uploads of applications saved for later (``models.ApplicationDraft``):
# apart from the wizard's, so that they live as long as their draft.
draft_file_storage = WizardFileStorage("wizard-drafts/")
