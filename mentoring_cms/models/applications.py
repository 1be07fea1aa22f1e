import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..conf import get_setting
from ..identifiers import canonical_email, search_text
from ..questions.core import position_label
from ..storage import get_private_storage


class TransitionNotAllowed(ValidationError):
    """Raised when an application cannot move from its status to another."""


def attachment_upload_to(instance, filename):
    # The applicant's own file name is never used on disk.
    return f"applications/{uuid.uuid4().hex}.pdf"


class ApplicationQuerySet(models.QuerySet):
    """Applications counted the way the programme counts them: a round (and
    a faculty) may exist in several languages, and an application belongs to
    the round in the default language, so rounds are compared by their
    ``translation_key``."""

    def for_round(self, programme_round):
        """The applications to ``programme_round`` in any of its languages."""
        return self.filter(round__translation_key=programme_round.translation_key)

    def by_applicant(self, programme_round, role, email):
        """The applications ``email`` has made in ``role`` to this round, in
        any language (anonymised ones no longer count). Addresses are compared
        in their canonical form (``identifiers.canonical_email``), as
        stored."""
        return self.for_round(programme_round).filter(
            role=role, email=canonical_email(email), anonymised_at__isnull=True
        )

    def holding_nomination(self):
        """The applications that use up one of their faculty's nominations
        (``Application.NOMINATION_STATUSES``)."""
        return self.filter(status__in=Application.NOMINATION_STATUSES)


class Application(models.Model):
    """One person's application to one round in one role.

    One table serves both languages; the answers HR filters on are columns,
    the rest of the answers are kept in ``answers``.
    """

    class Role(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        NOMINATED = "nominated", _("Nominated by faculty")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    reference = models.CharField(
        _("reference"), max_length=32, unique=True, null=True, blank=True
    )
    round = models.ForeignKey(
        "mentoring_cms.ProgramRoundPage",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("work email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nb"
    )
    position = models.CharField(_("position"), max_length=64)
    permanently_employed = models.BooleanField(
        _("permanently employed"), null=True, blank=True
    )
    faculty = models.ForeignKey(
        "mentoring_cms.Faculty",
        verbose_name=_("faculty"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    department = models.CharField(_("department"), max_length=255, blank=True)
    academic_field = models.CharField(_("academic field"), max_length=255, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The answers to the editors' questions with the questions as they were
    # asked, in every language (shape: ``questions.snapshot``), and the
    # translation key of the form that asked them.
    answer_snapshot = models.JSONField(
        _("answers as asked"), default=list, blank=True, editable=False
    )
    form_translation_key = models.UUIDField(
        _("application form"), null=True, blank=True, editable=False, db_index=True
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=64, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status_changed_at = models.DateTimeField(
        _("status changed at"), null=True, blank=True
    )
    attachment = models.FileField(
        _("CV or publication list"),
        storage=get_private_storage,
        upload_to=attachment_upload_to,
        blank=True,
        max_length=255,
    )
    attachment_name = models.CharField(
        _("attachment file name"), max_length=255, blank=True
    )
    attachment_size = models.PositiveIntegerField(
        _("attachment size"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation sent at"), null=True, blank=True
    )
    notification_sent_at = models.DateTimeField(
        _("HR notified at"), null=True, blank=True
    )

    class DecisionEmail(models.TextChoices):
        NONE = "", _("None")
        OWED = "owed", _("To be sent")
        SENT = "sent", _("Sent")

    # Whether the applicant is owed an email about HR's latest decision:
    # "owed" from the decision's commit until the email has gone out, so
    # that ``send_pending_application_emails`` can send what the task could
    # not.
    decision_email_status = models.CharField(
        _("decision email"),
        max_length=8,
        choices=DecisionEmail.choices,
        default=DecisionEmail.NONE,
        blank=True,
    )
    decision_notified_at = models.DateTimeField(
        _("decision email sent at"), null=True, blank=True
    )
    # What HR's search looks in: name, email and reference, case folded and
    # normalised (``identifiers.search_text``), kept up to date by ``save``.
    # SQLite's LIKE ignores case for ASCII letters only; searching this
    # column finds "Ødegård" for "ødegård" on every database.
    search_text = models.CharField(
        _("search text"), max_length=600, blank=True, default="", editable=False
    )

    SEARCHED_FIELDS = ("full_name", "email", "reference")

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "role", "email"],
                condition=Q(anonymised_at__isnull=True),
                name="mentoring_cms_one_application_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["round", "role", "status"]),
            models.Index(fields=["faculty", "status"]),
            models.Index(fields=["submitted_at"]),
            # The listing filtered by faculty, newest first.
            models.Index(
                fields=["faculty", "-submitted_at", "-id"],
                name="mentoring_c_faculty_submitted",
            ),
            models.Index(fields=["search_text"], name="mentoring_c_search_text"),
        ]
        permissions = [
            ("review_application", _("Can review applications")),
            ("export_application", _("Can export applications")),
        ]

    def __str__(self):
        return self.reference or _("Application %(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        """Store the email address in its canonical form and the search text
        that goes with the name, email and reference; a save limited by
        ``update_fields`` to any of these writes the search text too."""
        self.email = canonical_email(self.email)
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_position_display(self):
        return position_label(self.position)

    def build_search_text(self):
        """The value of ``search_text`` for this application's fields."""
        return search_text(*(getattr(self, name) for name in self.SEARCHED_FIELDS))[
            :600
        ]

    @staticmethod
    def new_reference(moment):
        """A public reference for an application submitted at ``moment``,
        e.g. ``MP-2026-483920``: six random digits after the year, so that it
        is known before the row is stored (one INSERT, no UPDATE) and tells
        nobody how many have applied. The unique column refuses the rare
        repeat, and ``operations.submit_application`` draws again."""
        year = timezone.localtime(moment).year
        number = 100_000 + secrets.randbelow(900_000)
        return f"{get_setting('REFERENCE_PREFIX')}-{year}-{number}"

    def mark_confirmation_sent(self):
        self.confirmation_sent_at = timezone.now()
        self.save(update_fields=["confirmation_sent_at"])

    def mark_notification_sent(self):
        self.notification_sent_at = timezone.now()
        self.save(update_fields=["notification_sent_at"])

    def mark_decision_email_sent(self):
        self.decision_email_status = self.DecisionEmail.SENT
        self.decision_notified_at = timezone.now()
        self.save(update_fields=["decision_email_status", "decision_notified_at"])

    # The review workflow. Mentees are nominated by their faculty before HR
    # decides; mentors are decided on directly. Rejected and withdrawn are
    # final; an accepted participant can still withdraw.
    FINAL_STATUSES = frozenset({Status.REJECTED, Status.WITHDRAWN})
    DECISION_STATUSES = frozenset({Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED})
    # Shown as Wagtail's filled ("primary") status tag in HR's listing, the
    # way Wagtail marks a live page: the applicant has a place.
    PRIMARY_STATUSES = frozenset({Status.ACCEPTED})
    # The statuses that hold one of the faculty's nominations in the round
    # (``ProgramRoundPage.faculty_quota``): nominated, and after that decided
    # on without being refused.
    NOMINATION_STATUSES = (Status.NOMINATED, Status.WAITLISTED, Status.ACCEPTED)
    TRANSITIONS = {
        Role.MENTEE: {
            Status.SUBMITTED: {Status.UNDER_REVIEW, Status.REJECTED},
            Status.UNDER_REVIEW: {Status.NOMINATED, Status.REJECTED},
            Status.NOMINATED: {Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED},
            Status.WAITLISTED: {Status.ACCEPTED, Status.REJECTED},
            Status.ACCEPTED: set(),
        },
        Role.MENTOR: {
            Status.SUBMITTED: {Status.UNDER_REVIEW, Status.REJECTED},
            Status.UNDER_REVIEW: {
                Status.ACCEPTED,
                Status.WAITLISTED,
                Status.REJECTED,
            },
            Status.WAITLISTED: {Status.ACCEPTED, Status.REJECTED},
            Status.ACCEPTED: set(),
        },
    }

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    def allowed_transitions(self):
        """The statuses this application may move to next, in workflow order."""
        if self.is_anonymised or self.status in self.FINAL_STATUSES:
            return []
        targets = set(self.TRANSITIONS[self.role].get(self.status, set()))
        targets.add(self.Status.WITHDRAWN)
        return [status for status in self.Status if status in targets]

    def can_transition_to(self, status):
        return status in self.allowed_transitions()

    def transition_to(self, status, *, commit=True):
        """Move to ``status`` or raise ``TransitionNotAllowed``.

        Only ``status`` and ``status_changed_at`` are written. Quotas and
        logging belong to ``operations.decide_application``.
        """
        status = self.Status(status)
        if not self.can_transition_to(status):
            raise TransitionNotAllowed(
                _(
                    "Application %(reference)s cannot change from "
                    "“%(current)s” to “%(new)s”."
                )
                % {
                    "reference": self,
                    "current": self.get_status_display(),
                    "new": status.label,
                },
                code="transition_not_allowed",
            )
        self.status = status
        self.status_changed_at = timezone.now()
        if commit:
            self.save(update_fields=["status", "status_changed_at"])
        return self

    def start_review(self, **kwargs):
        return self.transition_to(self.Status.UNDER_REVIEW, **kwargs)

    def nominate(self, **kwargs):
        return self.transition_to(self.Status.NOMINATED, **kwargs)

    def accept(self, **kwargs):
        return self.transition_to(self.Status.ACCEPTED, **kwargs)

    def waitlist(self, **kwargs):
        return self.transition_to(self.Status.WAITLISTED, **kwargs)

    def reject(self, **kwargs):
        return self.transition_to(self.Status.REJECTED, **kwargs)

    def withdraw(self, **kwargs):
        return self.transition_to(self.Status.WITHDRAWN, **kwargs)

    def return_from_nomination(self, *, commit=True):
        """Back to "under review" when the faculty withdraws its nomination
        (``selection.operations.withdraw_nomination``); not a move HR
        chooses, so it is not in ``TRANSITIONS``. Raises
        ``TransitionNotAllowed`` unless the application is nominated."""
        if self.status != self.Status.NOMINATED or self.is_anonymised:
            raise TransitionNotAllowed(
                _("Application %(reference)s is not nominated.") % {"reference": self},
                code="transition_not_allowed",
            )
        self.status = self.Status.UNDER_REVIEW
        self.status_changed_at = timezone.now()
        if commit:
            self.save(update_fields=["status", "status_changed_at"])
        return self


class ApplicationNote(models.Model):
    """An internal note by HR about an application; applicants never see it."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]
