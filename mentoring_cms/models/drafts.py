"""An application saved with "Save and continue later" and not submitted yet.

The wizard's own state (answers per step, the uploads' descriptions, which
steps are done; see ``wizard_storage``) is copied here so that the link
emailed to the applicant resumes it in any browser. Uploads are copied to
the private storage under ``wizard-drafts/`` (``storage.draft_file_storage``).

A draft holds personal data of someone who has not applied: it expires
(``expires_at``, ``MENTORING_CMS_DRAFT_MAX_AGE_DAYS`` after the last save),
and ``clear_application_wizard_files`` deletes expired drafts with their
files. Once the application is submitted the draft keeps no answers, only
that it was submitted, so that its link can say so.
"""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..signing import DRAFT, make_token

# Drafts have no versions of their links: a link lives until it or the
# draft expires, and says "submitted" once the draft is.
LINK_VERSION = 1


def new_draft_key():
    """A random, unguessable key naming one draft in links."""
    return secrets.token_urlsafe(24)


class ApplicationDraftQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class ApplicationDraft(models.Model):
    """One applicant's unsubmitted answers to one round (in the language
    version of the round page she applied on) and role."""

    key = models.CharField(
        _("link key"),
        max_length=64,
        unique=True,
        default=new_draft_key,
        editable=False,
    )
    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=16)
    # Canonical address the link goes to; emptied on submission.
    email = models.EmailField(_("email"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=16)
    # The wizard's state: {"step": …, "step_data": …, "step_files": …,
    # "extra_data": …}; emptied on submission.
    state = models.JSONField(_("answers so far"), default=dict, blank=True)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ApplicationDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved application")
        verbose_name_plural = _("saved applications")

    def __str__(self):
        return f"{self.role}@{self.round_id}"

    def token(self):
        """A signed draft token naming this draft (``signing.DRAFT``)."""
        return make_token(self.key, LINK_VERSION, DRAFT)

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())

    @property
    def step(self):
        """The step she was on when she saved."""
        return self.state.get("step")

    def file_names(self):
        """Names (in ``draft_file_storage``) of the uploads the draft keeps."""
        return [
            info["tmp_name"]
            for files in (self.state.get("step_files") or {}).values()
            for info in files.values()
        ]
