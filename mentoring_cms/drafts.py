"""Save and continue later: an unsubmitted application kept server-side
(``models.ApplicationDraft``) and the signed link that resumes it.

The wizard's session state is copied into the draft, uploads included (into
``storage.draft_file_storage``); resuming copies it back into the session of
whichever browser opens the link. The link is a ``signing.DRAFT`` token:
signed, expiring (``MENTORING_CMS_DRAFT_MAX_AGE_DAYS``), good for drafts
only, and naming the draft by a random key (never an id or the session).
"""

import copy
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from . import signing
from .conf import get_setting
from .models import Application, ApplicationDraft, ProgramPage
from .signing import DRAFT, ExpiredLink, InvalidLink, absolute, draft_path
from .storage import draft_file_storage, wizard_file_storage

logger = logging.getLogger(__name__)

__all__ = [
    "DraftSubmitted",
    "ExpiredLink",
    "InvalidLink",
    "close_draft",
    "find_draft",
    "purge_drafts",
    "restore_state",
    "save_draft",
    "send_draft_link",
]

TEMPLATES = "mentoring_cms/emails"


class DraftSubmitted(Exception):
    """The draft's application has been submitted; ``draft`` says where."""

    def __init__(self, draft):
        super().__init__(draft.key)
        self.draft = draft


def _copy_files(state, source, target):
    """Copy every upload ``state`` describes from ``source`` to ``target``
    storage, pointing ``state`` at the copies (in place). An upload that is
    gone is forgotten and noted as the wizard notes a lost file (its step is
    no longer done, and the applicant is asked for it again). Returns the
    names of the copies."""
    copies = []
    extra = state.setdefault("extra_data", {})
    for step, files in (state.get("step_files") or {}).items():
        for field, info in list(files.items()):
            try:
                with source.open(info["tmp_name"]) as handle:
                    info["tmp_name"] = target.save(None, handle)
            except (FileNotFoundError, ValueError):
                files.pop(field)
                notes = extra.setdefault("lost_files", {}).setdefault(step, {})
                notes[field.removeprefix(f"{step}-")] = info.get("name", "")
                extra["valid_steps"] = [
                    s for s in extra.get("valid_steps", []) if s != step
                ]
                continue
            copies.append(info["tmp_name"])
    return copies


def _delete_files(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except (FileNotFoundError, ValueError):
            pass


def save_draft(*, page, role, state, email, language, key=None, now=None):
    """Keep the wizard's ``state`` (its session data: a dict with "step",
    "step_data", "step_files", "extra_data") for ``role`` on round ``page``
    as the draft named ``key``, or as a new draft when there is none, or it
    was submitted or expired. ``email`` is the canonical address the link
    goes to, ``language`` a language code. Uploads are copied to the draft's
    storage; the draft's earlier copies are deleted once the new state is
    committed. Returns the saved ``ApplicationDraft``; its key is also in
    the returned draft's ``state["extra_data"]["draft_key"]``."""
    now = now or timezone.now()
    state = copy.deepcopy(dict(state))
    copies = _copy_files(state, wizard_file_storage, draft_file_storage)
    try:
        with transaction.atomic():
            draft = None
            if key:
                draft = (
                    ApplicationDraft.objects.select_for_update()
                    .filter(
                        key=key,
                        round=page,
                        role=role,
                        submitted_at__isnull=True,
                        expires_at__gt=now,
                    )
                    .first()
                )
            if draft is None:
                draft = ApplicationDraft(round=page, role=role)
            old_files = draft.file_names() if draft.pk else []
            state.setdefault("extra_data", {})["draft_key"] = draft.key
            draft.state = state
            draft.email = email
            draft.language = language
            draft.saved_at = now
            draft.expires_at = now + datetime.timedelta(
                days=get_setting("DRAFT_MAX_AGE_DAYS")
            )
            draft.save()
            transaction.on_commit(
                lambda: _delete_files(draft_file_storage, old_files), robust=True
            )
    except Exception:
        _delete_files(draft_file_storage, copies)
        raise
    return draft


def is_submitted(draft):
    """Whether the application of ``draft`` has been submitted: marked so, or
    an application with the reference the draft drew exists (one query)."""
    if draft.submitted_at:
        return True
    reference = (draft.state.get("extra_data") or {}).get("reference")
    return bool(reference) and (
        Application.objects.filter(
            reference=reference,
            role=draft.role,
            round__translation_key=draft.round.translation_key,
        ).exists()
    )


def find_draft(token, now=None):
    """The draft a link's ``token`` names, with its round page. Raises
    ``ExpiredLink`` for an expired link or draft (also a draft deleted since,
    once its link is good), ``InvalidLink`` for a tampered one, and
    ``DraftSubmitted`` when the application has been submitted."""
    key, _version = signing.read_token(token, DRAFT)
    draft = ApplicationDraft.objects.select_related("round").filter(key=key).first()
    if draft is None or draft.is_expired(now):
        raise ExpiredLink(DRAFT)
    if is_submitted(draft):
        raise DraftSubmitted(draft)
    return draft


def restore_state(draft):
    """The wizard's session state kept by ``draft``, with its uploads copied
    back into the wizard's temporary storage (an upload that is gone is
    asked for again, see ``_copy_files``)."""
    state = copy.deepcopy(draft.state)
    _copy_files(state, draft_file_storage, wizard_file_storage)
    return state


def close_draft(key, now=None):
    """Mark the draft ``key`` submitted: its answers, address and uploads are
    deleted, the row stays (until it expires) so that its link says the
    application was submitted. Nothing happens for an unknown key."""
    with transaction.atomic():
        draft = ApplicationDraft.objects.select_for_update().filter(key=key).first()
        if draft is None:
            return
        names = draft.file_names()
        draft.state = {}
        draft.email = ""
        draft.submitted_at = now or timezone.now()
        draft.save(update_fields=["state", "email", "submitted_at"])
        transaction.on_commit(
            lambda: _delete_files(draft_file_storage, names), robust=True
        )


def purge_drafts(now=None):
    """Delete expired drafts with their uploads, and draft uploads no draft
    holds that are older than a draft lives (left by a failed save). Returns
    (drafts, files) deleted; for ``clear_application_wizard_files``."""
    now = now or timezone.now()
    expired = list(ApplicationDraft.objects.expired(now))
    names = [name for draft in expired for name in draft.file_names()]
    ApplicationDraft.objects.filter(pk__in=[d.pk for d in expired]).delete()
    kept = {
        name
        for draft in ApplicationDraft.objects.only("state")
        for name in draft.file_names()
    }
    cutoff = now - datetime.timedelta(days=get_setting("DRAFT_MAX_AGE_DAYS"))
    orphans = [
        name for name in draft_file_storage.stale_files(cutoff) if name not in kept
    ]
    _delete_files(draft_file_storage, names + orphans)
    return len(expired), len(names) + len(orphans)


def resume_url(draft):
    """The absolute link that resumes ``draft``, with the draft's language
    (so that even an expired link answers in it)."""
    path = draft_path(draft.token())
    return absolute(f"{path}?lang={draft.language}", draft.round)


@task()
def send_draft_link(draft_id):
    """Email the link that resumes draft ``draft_id`` to its address, in the
    draft's language. Returns True when sent; nothing is sent for a draft
    submitted or expired in the meantime. Addresses never reach the log."""
    draft = (
        ApplicationDraft.objects.select_related("round")
        .filter(pk=draft_id, submitted_at__isnull=True, expires_at__gt=timezone.now())
        .exclude(email="")
        .first()
    )
    if draft is None:
        return False
    language = draft.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "round": draft.round,
            "role": draft.role,
            "url": resume_url(draft),
            "expires_at": draft.expires_at,
        }
        subject = " ".join(
            render_to_string(f"{TEMPLATES}/draft_link_subject.txt", context).split()
        )
        body = render_to_string(f"{TEMPLATES}/draft_link.txt", context)
    reply_to = (
        ProgramPage.objects.ancestor_of(draft.round)
        .values_list("notification_email", flat=True)
        .first()
    ) or get_setting("HR_EMAIL")
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[draft.email],
        reply_to=[reply_to] if reply_to else None,
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.error(
            "Sending the link to a saved application failed (%s)",
            type(error).__name__,
        )
        return False
    return True
