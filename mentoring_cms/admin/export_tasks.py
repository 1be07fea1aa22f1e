"""Large XLSX exports of HR's listing, written in the background with
Wagtail's task framework (django-tasks) while HR does something else.

``request_export`` records the export and queues ``write_export_file``; the
task writes exactly the rows ``listing.listing_for_parameters`` gives for the
recorded query string, the query the listing itself runs.
"""

import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django_tasks import task

from ..models import ExportFile
from ..models.exports import export_upload_to
from ..permissions import user_can_export
from .exports import write_xlsx
from .listing import listing_for_parameters

logger = logging.getLogger(__name__)


def request_export(*, user, filters, language):
    """Record an XLSX export of the listing for ``filters`` (its query string
    as a dict of lists) in ``language`` and queue the task that writes it
    once the record is committed. Returns the ``ExportFile``; when the queue
    fails, the record is marked failed."""

    def enqueue():
        try:
            write_export_file.enqueue(export.pk)
        except Exception:
            logger.exception("Could not queue export %s", export.pk)
            export.mark_failed()

    with transaction.atomic():
        export = ExportFile.objects.create(
            requested_by=user, filters=filters, language=language
        )
        transaction.on_commit(enqueue)
    return export


@task()
def write_export_file(export_id):
    """Write the XLSX file of one requested export into the private storage.

    The rows are those the listing showed the requester for the recorded
    filters, labelled in the requester's language; a requester who may no
    longer export gets no file. Returns the number of rows written, or
    ``None`` when nothing was written.
    """
    export = (
        ExportFile.objects.select_related("requested_by")
        .filter(pk=export_id, status=ExportFile.Status.PENDING)
        .first()
    )
    if export is None:
        return None
    user = export.requested_by
    if user is None or not user_can_export(user):
        export.mark_failed()
        return None
    storage = ExportFile._meta.get_field("file").storage
    try:
        with (
            translation.override(export.language or settings.LANGUAGE_CODE),
            tempfile.TemporaryFile(suffix=".xlsx") as output,
        ):
            # Written to a temporary file first (openpyxl's write-only mode
            # keeps memory flat), then stored under a generated name.
            row_count = write_xlsx(listing_for_parameters(export.filters), output)
            output.seek(0)
            name = storage.save(export_upload_to(export, ""), File(output))
    except Exception:
        logger.exception("Writing export %s failed", export.pk)
        export.mark_failed()
        raise
    if not ExportFile.objects.filter(pk=export.pk).exists():
        # Deleted while being written (an application was erased since).
        storage.delete(name)
        return None
    export.mark_ready(name, row_count)
    return row_count
