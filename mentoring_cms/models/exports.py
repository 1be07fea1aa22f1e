import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import get_private_storage


def export_upload_to(instance, filename):
    # A generated name: nothing about the applicants or the filters.
    return f"exports/{uuid.uuid4().hex}.xlsx"


class ExportFile(models.Model):
    """An export of the HR listing too large to build while the browser
    waits: written by a background task into the private storage, downloaded
    by the reviewer who asked for it, and deleted by ``purge_applications``
    after ``MENTORING_CMS_EXPORT_RETENTION_DAYS`` since it holds personal
    data."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=export_upload_to,
        blank=True,
        max_length=255,
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # The listing's query string (filters, search, ordering) as a dict of
    # lists, the search dropped once the file is written; and the language
    # the headings and labels are written in.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.download_name

    @property
    def download_name(self):
        moment = timezone.localtime(self.created_at).strftime("%Y-%m-%d-%H%M")
        return f"applications-{moment}.xlsx"

    def mark_ready(self, name, row_count):
        self.file.name = name
        self.row_count = row_count
        self.status = self.Status.READY
        self.completed_at = timezone.now()
        self.forget_search()
        self.save(
            update_fields=["file", "row_count", "status", "completed_at", "filters"]
        )

    def mark_failed(self):
        self.status = self.Status.FAILED
        self.completed_at = timezone.now()
        self.forget_search()
        self.save(update_fields=["status", "completed_at", "filters"])

    def forget_search(self):
        """HR's search text may be a person's name or email address: it is
        kept only until the file is written."""
        self.filters = {key: v for key, v in self.filters.items() if key != "q"}

    @property
    def is_ready(self):
        return self.status == self.Status.READY and bool(self.file)
