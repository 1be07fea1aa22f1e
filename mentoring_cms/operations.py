"""Work on applications that touches several objects, each in one transaction."""

import datetime
import functools
import logging
import os
import unicodedata

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import tasks
from .conf import get_setting
from .identifiers import canonical_email
from .models import (
    Application,
    ApplicationNote,
    ExportFile,
    ProgramRoundPage,
    RoundStatus,
)
from .models.applications import TransitionNotAllowed
from .models.evaluation import erase_evaluation_records
from .models.matching import forget_matching_reasons
from .models.outcomes import keep_statistics_only
from .models.pages.round import READ_THIS_REQUEST
from .models.participation import erase_participation
from .questions.core import split_answers

# How often a new reference is drawn when the one drawn is already taken.
REFERENCE_ATTEMPTS = 5


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
        Application.objects.by_applicant(programme_round, role, email)
        .values_list("reference", flat=True)
        .first()
    )


# The round's fields that decide whether it takes applications.
WINDOW_FIELDS = [
    "live",
    "application_opens",
    "application_closes",
    "period_start",
    "period_end",
]


def submit_application(
    *,
    programme_round,
    role,
    answers,
    language,
    form_language,
    privacy_notice_version,
    attachment=None,
    reference=None,
    now=None,
    answer_snapshot=None,
    form_translation_key=None,
):
    """Store one application and queue its emails: in its transaction when
    the task backend is the database (``tasks.queued_with_the_application``),
    otherwise once it is committed.

    ``programme_round`` is the round in the default language; ``answers`` the
    cleaned data of every step. ``reference``, drawn by
    ``Application.new_reference`` when the applicant started, is used when it
    is of this year and still free (so that a repeated submission can tell
    its own application by it); otherwise one is drawn here.
    ``answer_snapshot`` is stored as it is: the answers to the editor's
    questions with the questions as asked (``questions.snapshot``), from
    the form ``form_translation_key``. Raises
    ``RoundNotOpen`` when the application window has closed and
    ``DuplicateApplication`` when this email has already applied in ``role``
    to the round; in both cases nothing is stored.
    """
    now = now or timezone.now()
    email = canonical_email(answers["email"])
    columns, other_answers = split_answers(answers)
    columns["email"] = email
    columns["language"] = language
    columns["phone"] = columns.get("phone") or ""
    columns["academic_field"] = columns.get("academic_field") or ""
    faculty_id = columns.pop("faculty", None)
    other_answers["form_language"] = form_language

    # The window is checked again here, at the moment of storing, not when
    # the form was shown, as the database holds it: a round routed from the
    # page cache (``find_round``) may be older (another process's cache can
    # hold it for a while after an editor closed or unpublished the round).
    if not getattr(programme_round, READ_THIS_REQUEST, False):
        # The plain manager, one row, no ordering: the cheapest query that
        # reads them.
        current = next(
            iter(
                ProgramRoundPage._base_manager.filter(
                    pk=programme_round.pk
                ).values_list(*WINDOW_FIELDS)[:1]
            ),
            None,
        )
        if current is None:
            raise RoundNotOpen()
        for name, value in zip(WINDOW_FIELDS, current, strict=True):
            setattr(programme_round, name, value)
    if not programme_round.live or programme_round.status_at(now) != RoundStatus.OPEN:
        raise RoundNotOpen()
    application = Application(
        round=programme_round,
        role=role,
        faculty_id=faculty_id,
        answers=other_answers,
        answer_snapshot=answer_snapshot or [],
        form_translation_key=form_translation_key,
        privacy_notice_version=privacy_notice_version,
        submitted_at=now,
        **columns,
    )
    if attachment:
        application.attachment_name = clean_file_name(attachment.name)
        application.attachment_size = attachment.size
        attachment.seek(0)
        # Stored under a generated name before the row, which then carries
        # it: the row is written once. Any failure below deletes the file.
        application.attachment.save("upload.pdf", File(attachment), save=False)
    try:
        this_year = f"{get_setting('REFERENCE_PREFIX')}-{timezone.localtime(now).year}-"
        for attempt in range(REFERENCE_ATTEMPTS):
            if attempt == 0 and reference and reference.startswith(this_year):
                application.reference = reference
            else:
                application.reference = Application.new_reference(now)
            try:
                # One statement in one transaction: the unique constraint on
                # (round, role, email) decides, also between two requests
                # arriving at the same moment.
                with transaction.atomic():
                    application.save(force_insert=True)
                    if tasks.queued_with_the_application():
                        # Committed with the application, or not at all.
                        tasks.send_application_emails.enqueue(application.pk)
                    else:
                        transaction.on_commit(
                            lambda: tasks.enqueue_application_emails(application.pk),
                            robust=True,
                        )
                break
            except IntegrityError:
                application.pk = None
                existing = existing_reference(programme_round, role, email)
                if existing is not None:
                    raise DuplicateApplication(existing) from None
                reference_taken = Application.objects.filter(
                    reference=application.reference
                ).exists()
                if not reference_taken or attempt == REFERENCE_ATTEMPTS - 1:
                    raise
    except Exception:
        if application.attachment:
            application.attachment.delete(save=False)
        raise
    return application


# ---------------------------------------------------------------------------
# HR review: decisions under quota, notes, erasure and retention.
#
# Quota rules (checked on the server while the round's rows are locked, so two
# reviewers deciding at the same moment cannot both take the last place):
#
# * Nominations: a faculty has nominated a mentee while that mentee's status is
#   nominated, waitlisted or accepted (every mentee reaches waitlisted or
#   accepted only through nomination). Rejected or withdrawn mentees free
#   their faculty's slot. At most ``round.faculty_quota`` per faculty.
# * Places: at most ``round.mentee_places`` accepted mentees and
#   ``round.mentor_places`` accepted mentors.
#
# A round or faculty may exist in both languages; applications count together
# across translations (same ``translation_key``).
# ---------------------------------------------------------------------------


logger = logging.getLogger(__name__)

LOG_STATUS_CHANGE = "mentoring_cms.application.status_change"
LOG_NOTE_ADDED = "mentoring_cms.application.note_added"
LOG_ERASED = "mentoring_cms.application.erased"
LOG_ANONYMISED = "mentoring_cms.application.anonymised"


class QuotaExceeded(TransitionNotAllowed):
    """A decision that would break the round's nomination quota or places."""


def lock_round(programme_round):
    """Lock every language version of the round until the transaction ends."""
    list(
        ProgramRoundPage.objects.select_for_update(of=("self",))
        .filter(translation_key=programme_round.translation_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def check_quota(application, new_status):
    """Raise ``QuotaExceeded`` when ``new_status`` would break a quota."""
    programme_round = application.round
    others = Application.objects.for_round(programme_round).exclude(pk=application.pk)
    if (
        new_status == Application.Status.NOMINATED
        and application.role == Application.Role.MENTEE
        and application.faculty_id
    ):
        nominated = (
            others.holding_nomination()
            .filter(
                role=Application.Role.MENTEE,
                faculty__translation_key=application.faculty.translation_key,
            )
            .count()
        )
        if nominated >= programme_round.faculty_quota:
            raise QuotaExceeded(
                _(
                    "%(faculty)s has already nominated %(count)s mentees; the "
                    "quota for each faculty in this round is %(quota)s."
                )
                % {
                    "faculty": application.faculty.localized,
                    "count": nominated,
                    "quota": programme_round.faculty_quota,
                },
                code="faculty_quota",
            )
    if new_status == Application.Status.ACCEPTED:
        places = programme_round.places_for(application.role)
        if application.role == Application.Role.MENTEE:
            message = _(
                "All %(places)s mentee places in this round are taken "
                "(%(accepted)s accepted)."
            )
        else:
            message = _(
                "All %(places)s mentor places in this round are taken "
                "(%(accepted)s accepted)."
            )
        accepted = others.filter(
            role=application.role, status=Application.Status.ACCEPTED
        ).count()
        if accepted >= places:
            raise QuotaExceeded(
                message % {"places": places, "accepted": accepted},
                code="places",
            )


def decide_application(application, new_status, *, user=None, notify=False):
    """Move one application to ``new_status`` under the round's quotas.

    Raises ``TransitionNotAllowed`` (or its subclass ``QuotaExceeded``) and
    changes nothing when the move is not allowed. With ``notify``, the
    applicant is told of a decision (accepted, waitlisted, rejected) by email
    once the transaction has committed.
    """
    with transaction.atomic():
        lock_round(application.round)
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "faculty")
            .get(pk=application.pk)
        )
        old_status = locked.status
        new_status = Application.Status(new_status)
        if not locked.can_transition_to(new_status):
            # Let the model word the refusal.
            locked.transition_to(new_status, commit=False)
        check_quota(locked, new_status)
        locked.transition_to(new_status)
        notified = bool(notify) and new_status in Application.DECISION_STATUSES
        # The log names the reference only: no personal data in the audit log.
        log(
            instance=locked,
            action=LOG_STATUS_CHANGE,
            user=user,
            data={"old": old_status, "new": new_status, "notified": notified},
        )
        owed = locked.DecisionEmail.OWED
        if notified or locked.decision_email_status == owed:
            # An email owed for an earlier decision is not sent for this one
            # unless HR asked to notify.
            locked.decision_email_status = owed if notified else ""
            locked.save(update_fields=["decision_email_status"])
        if notified:
            transaction.on_commit(
                functools.partial(
                    tasks.enqueue_decision_email,
                    locked.pk,
                    locked.reference,
                    new_status,
                ),
                robust=True,
            )
    application.status = locked.status
    application.status_changed_at = locked.status_changed_at
    return application


def decide_applications(pks, new_status, *, user=None, notify=False):
    """Apply one decision to many applications, each on its own.

    Returns ``(changed, refusals)``: the applications changed and a list of
    ``(application, message)`` for those that were refused. Unknown ids are
    ignored.
    """
    changed, refusals = [], []
    applications = (
        Application.objects.filter(pk__in=pks)
        .select_related("round", "faculty")
        .order_by("submitted_at", "pk")
    )
    for application in applications:
        try:
            decide_application(application, new_status, user=user, notify=notify)
        except TransitionNotAllowed as error:
            refusals.append((application, " ".join(error.messages)))
        else:
            changed.append(application)
    return changed, refusals


def add_note(application, text, *, user=None):
    with transaction.atomic():
        note = ApplicationNote.objects.create(
            application=application, author=user, text=text
        )
        # The note's text stays out of the log.
        log(instance=application, action=LOG_NOTE_ADDED, user=user)
    return note


PERSONAL_FIELDS = {
    "full_name": "",
    "email": "",
    "phone": "",
    "department": "",
    "academic_field": "",
    "answers": {},
    "attachment": "",
    "attachment_name": "",
    "attachment_size": None,
    "permanently_employed": None,
}


def _delete_attachment(application):
    if application.attachment:
        application.attachment.delete(save=False)


def _delete_exports_made_before(moment):
    """Delete the export files (records and files) created up to ``moment``:
    ready or still being written, they may hold a person whose data is being
    erased or anonymised. The files go once the transaction has committed."""
    exports_ = ExportFile.objects.filter(created_at__lte=moment)
    names = [name for name in exports_.values_list("file", flat=True) if name]
    exports_.delete()
    if names:
        storage = ExportFile._meta.get_field("file").storage

        def delete_files():
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)


def erase_application(application, *, user=None):
    """Erase an application on the applicant's request: the row, its notes,
    its participation data (deleted with it), its file and the export files
    made before. The audit log keeps the fact
    under the reference only."""
    reference = str(application)
    with transaction.atomic():
        log(
            instance=application,
            action=LOG_ERASED,
            user=user,
            title=reference,
            deleted=True,
        )
        attachment = application.attachment.name if application.attachment else ""
        application.delete()
        _delete_exports_made_before(timezone.now())
        if attachment:
            storage = application.attachment.storage
            transaction.on_commit(lambda: storage.delete(attachment))
    return reference


def anonymise_application(application, *, now=None):
    """Remove everything personal from an application, keeping what the round
    summary counts (round, role, status, position, faculty, dates), delete
    its participation data (personal link, absences, attendance, meetings),
    its evaluation receipt and invitation (the anonymous answer stays) and
    the export files made before. What the programme's statistics need
    stays: her completion counts and her promotion outcome without who
    recorded it or HR's note (``models.outcomes.keep_statistics_only``)."""
    now = now or timezone.now()
    with transaction.atomic():
        _delete_attachment(application)
        for field, blank in PERSONAL_FIELDS.items():
            setattr(application, field, blank)
        application.anonymised_at = now
        application.save(update_fields=[*PERSONAL_FIELDS, "anonymised_at"])
        application.notes.all().delete()
        keep_statistics_only(application)
        # Her link, absences, attendance and meetings go with her data.
        erase_participation(application)
        # Her evaluation receipt goes; the anonymous answers stay.
        erase_evaluation_records(application)
        forget_matching_reasons(application)
        _delete_exports_made_before(now)
        log(instance=application, action=LOG_ANONYMISED)
    return application


def rounds_past_retention(now=None, retention_days=None):
    """Rounds that finished more than the retention period ago."""
    now = now or timezone.now()
    if retention_days is None:
        retention_days = get_setting("RETENTION_DAYS")
    # A round finishes at midnight after ``period_end``.
    last_day = timezone.localdate(now) - datetime.timedelta(days=retention_days + 1)
    return ProgramRoundPage.objects.filter(period_end__lte=last_day).order_by(
        "period_end", "pk"
    )


def purge_applications(*, dry_run=False, now=None, retention_days=None):
    """Anonymise the applications of rounds past retention.

    Returns a list of ``(round, count)``; with ``dry_run`` nothing changes.
    """
    now = now or timezone.now()
    report = []
    for programme_round in rounds_past_retention(now, retention_days):
        pending = Application.objects.filter(
            round=programme_round, anonymised_at__isnull=True
        ).order_by("pk")
        count = pending.count()
        if count and not dry_run:
            for application in pending.iterator(chunk_size=500):
                anonymise_application(application, now=now)
        report.append((programme_round, count))
    return report


# ---------------------------------------------------------------------------
# Exports written in the background, and their retention.
# ---------------------------------------------------------------------------


def purge_export_files(*, dry_run=False, now=None, retention_days=None):
    """Delete export files (and their records) older than the retention
    period, and any file under ``exports/`` left without a record. Returns
    the number of files deleted (or that would be)."""
    now = now or timezone.now()
    if retention_days is None:
        retention_days = get_setting("EXPORT_RETENTION_DAYS")
    cutoff = now - datetime.timedelta(days=retention_days)
    old = list(ExportFile.objects.filter(created_at__lt=cutoff).order_by("pk"))
    storage = ExportFile._meta.get_field("file").storage
    recorded = set(ExportFile.objects.exclude(file="").values_list("file", flat=True))
    try:
        _dirs, names = storage.listdir("exports")
    except FileNotFoundError:
        names = []
    orphans = [
        name
        for name in (f"exports/{name}" for name in names)
        if name not in recorded and storage.get_modified_time(name) < cutoff
    ]
    if not dry_run:
        for export in old:
            if export.file:
                export.file.delete(save=False)
            export.delete()
        for name in orphans:
            storage.delete(name)
    return len(old) + len(orphans)
