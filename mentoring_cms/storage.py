"""Where applicants' files live: never under the public MEDIA_ROOT."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject

STORAGE_ALIAS = "mentoring_cms_private"


class PrivateStorage(LazyObject):
    """The storage for applicants' files, chosen when first used.

    A site may define ``STORAGES["mentoring_cms_private"]`` (for example an
    S3 bucket without public access); otherwise files go to
    ``MENTORING_CMS_PRIVATE_MEDIA_ROOT`` on the local disk, with no URL.
    """

    def _setup(self):
        if STORAGE_ALIAS in settings.STORAGES:
            self._wrapped = storages[STORAGE_ALIAS]
        else:
            self._wrapped = FileSystemStorage(
                location=getattr(
                    settings,
                    "MENTORING_CMS_PRIVATE_MEDIA_ROOT",
                    str(settings.BASE_DIR / "private-media"),
                ),
                base_url=None,
            )


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage
