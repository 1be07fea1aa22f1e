"""Work on applications that touches several objects, each in one transaction."""

import os
import unicodedata

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from .forms import COLUMN_FIELDS, MACHINERY_FIELDS
from .models import Application, RoundStatus


class ApplicationRefused(Exception):
    """The application cannot be stored; nothing was saved."""


class RoundNotOpen(ApplicationRefused):
    pass


class DuplicateApplication(ApplicationRefused):
    def __init__(self, existing_reference=None):
        super().__init__(existing_reference)
        self.existing_reference = existing_reference


def clean_file_name(name):
    """The applicant's file name, safe to show: no path, no control
    characters, at most 255 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    name = name.lstrip(".") or "attachment.pdf"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext[:16])] + ext[:16]
    return name


def existing_reference(programme_round, role, email):
    return (
        Application.objects.filter(
            round=programme_round,
            role=role,
            email__iexact=email,
            anonymised_at__isnull=True,
        )
        .values_list("reference", flat=True)
        .first()
    )


def submit_application(
    *,
    programme_round,
    role,
    answers,
    language,
    form_language,
    privacy_notice_version,
    attachment=None,
    now=None,
):
    """Store one application and queue its emails once it is committed.

    ``programme_round`` is the round in the default language; ``answers`` the
    cleaned data of every step. Raises ``RoundNotOpen`` when the application
    window has closed and ``DuplicateApplication`` when this email has already
    applied in ``role`` to the round; in both cases nothing is stored.
    """
    from . import tasks

    now = now or timezone.now()
    email = answers["email"].strip().lower()
    columns = {name: answers.get(name) for name in COLUMN_FIELDS if name in answers}
    columns["email"] = email
    columns["language"] = language
    columns["phone"] = columns.get("phone") or ""
    columns["academic_field"] = columns.get("academic_field") or ""
    faculty_id = columns.pop("faculty", None)
    employed = columns.pop("permanently_employed", None)
    other_answers = {
        name: value
        for name, value in answers.items()
        if name not in COLUMN_FIELDS and name not in MACHINERY_FIELDS
    }
    other_answers["form_language"] = form_language

    # The round was loaded by this request; the window is checked again
    # here, at the moment of storing, not when the form was shown.
    if programme_round.status_at(now) != RoundStatus.OPEN:
        raise RoundNotOpen()
    with transaction.atomic():
        application = Application(
            round=programme_round,
            role=role,
            faculty_id=faculty_id,
            permanently_employed=None if employed is None else employed == "yes",
            answers=other_answers,
            privacy_notice_version=privacy_notice_version,
            submitted_at=now,
            **columns,
        )
        if attachment:
            application.attachment_name = clean_file_name(attachment.name)
            application.attachment_size = attachment.size
        try:
            # The unique constraint on (round, role, email) decides, also
            # between two requests arriving at the same moment.
            with transaction.atomic():
                application.save()
        except IntegrityError:
            existing = existing_reference(programme_round, role, email)
            if existing is None:
                raise
            raise DuplicateApplication(existing) from None
        update_fields = ["reference"]
        if attachment:
            attachment.seek(0)
            application.attachment.save("upload.pdf", File(attachment), save=False)
            update_fields.append("attachment")
        try:
            application.reference = application.make_reference()
            application.save(update_fields=update_fields)
        except Exception:
            if application.attachment:
                application.attachment.delete(save=False)
            raise
        transaction.on_commit(
            lambda: tasks.enqueue_application_emails(application.pk), robust=True
        )
    return application
