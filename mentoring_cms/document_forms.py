"""The document form for Wagtail's document library: a PDF that editors
upload gets the same check as an applicant's (``forms.check_pdf_content``:
hard limits, active content refused), except for the page limit.

A site turns it on with
``WAGTAILDOCS_DOCUMENT_FORM_BASE = "mentoring_cms.document_forms.CheckedDocumentForm"``
(the demo site does); it serves the single and the multiple upload.
"""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from wagtail.documents.forms import BaseDocumentForm

from .validators import InvisibleCharactersMixin, check_pdf_content

# Documents may be long (reports, minutes): no page limit of their own.
DOCUMENT_MAX_PAGES = 1_000_000


class CheckedDocumentForm(InvisibleCharactersMixin, BaseDocumentForm):
    """Wagtail's document form, refusing PDFs with active content or beyond
    the check's limits; its title and tags follow the text rules of every
    form (``validators.InvisibleCharactersMixin``)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file, not the stored one
            upload.seek(0)
            is_pdf = upload.read(5) == b"%PDF-"
            upload.seek(0)
            if is_pdf or upload.name.lower().endswith(".pdf"):
                check_pdf_content(
                    upload,
                    max_pages=DOCUMENT_MAX_PAGES,
                    not_a_pdf=gettext("The file is not a readable PDF."),
                )
        return upload
