"""What a person does with the programme after applying: her personal link,
absence notices, the attendance HR records, and the meetings she logs.

Every row hangs on one ``Application`` (per round and role), so erasing the
application deletes it (``on_delete=CASCADE``) and anonymising it calls
``erase_participation``. Gatherings are the round's ``SessionPage`` children
in the default language (the language applications belong to).
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..signing import PAGE, make_token


def new_link_key():
    """A random, unguessable key naming one application in personal links
    (never its id or reference)."""
    return secrets.token_urlsafe(24)


class Participation(models.Model):
    """One application's personal link and round-running state.

    ``key`` names the application in signed links; ``link_version`` is part
    of every link, so raising it (``revoke_links``) makes every link sent
    before useless at once.
    """

    application = models.OneToOneField(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="participation",
    )
    key = models.CharField(
        _("link key"), max_length=64, unique=True, default=new_link_key, editable=False
    )
    link_version = models.PositiveIntegerField(_("link version"), default=1)
    links_revoked_at = models.DateTimeField(
        _("links revoked at"), null=True, blank=True
    )
    meeting_reminder_sent_at = models.DateTimeField(
        _("meeting reminder sent at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self):
        return str(self.application_id)

    def token(self, purpose=PAGE):
        """A signed token naming this application for ``purpose``."""
        return make_token(self.key, self.link_version, purpose)

    def revoke_links(self):
        """Make every personal and calendar link sent so far invalid."""
        self.link_version += 1
        self.links_revoked_at = timezone.now()
        self.save(update_fields=["link_version", "links_revoked_at"])

    def mark_meeting_reminder_sent(self, moment=None):
        self.meeting_reminder_sent_at = moment or timezone.now()
        self.save(update_fields=["meeting_reminder_sent_at"])


class AbsenceNotice(models.Model):
    """A participant's "I cannot attend" for one gathering, with her reason.
    Given only before the gathering starts (``participation.operations``)."""

    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="absence_notices",
    )
    session = models.ForeignKey(
        "mentoring_cms.SessionPage",
        verbose_name=_("gathering"),
        on_delete=models.CASCADE,
        related_name="absence_notices",
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("absence notice")
        verbose_name_plural = _("absence notices")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "session"],
                name="mentoring_cms_one_absence_notice_per_gathering",
            )
        ]

    def __str__(self):
        return f"{self.application_id}@{self.session_id}"


class Attendance(models.Model):
    """HR's register of one participant at one gathering."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT_WITH_NOTICE = "absent_notice", _("Absent with notice")
        ABSENT = "absent", _("Absent")

    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        "mentoring_cms.SessionPage",
        verbose_name=_("gathering"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # Statuses that count as having missed the gathering.
    MISSED = frozenset({Status.ABSENT_WITH_NOTICE, Status.ABSENT})

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "session"],
                name="mentoring_cms_one_attendance_per_gathering",
            )
        ]

    def __str__(self):
        return f"{self.application_id}@{self.session_id}: {self.status}"


class Meeting(models.Model):
    """A mentor–mentee meeting logged by one of the two: its date only, never
    what was said. One per person and day."""

    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "date"],
                name="mentoring_cms_one_meeting_per_day",
            )
        ]

    def __str__(self):
        return self.date.isoformat()


class GatheringReminder(models.Model):
    """That the one-week reminder of a gathering has gone out (sent once)."""

    session = models.OneToOneField(
        "mentoring_cms.SessionPage",
        verbose_name=_("gathering"),
        on_delete=models.CASCADE,
        related_name="reminder",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("gathering reminder")
        verbose_name_plural = _("gathering reminders")

    def __str__(self):
        return str(self.session_id)


class OwedGatheringReminder(models.Model):
    """A gathering's reminder that one participant is owed: made for each
    person of the audience when the reminder goes out, deleted once her
    email is sent. A failed send leaves it (``attempts`` up by one) for the
    next run of ``send_participation_reminders`` to try again, until the
    gathering starts or ``MENTORING_CMS_REMINDER_MAX_ATTEMPTS`` is reached.
    ``claimed_at`` marks a send in progress, so that two workers never send
    the same reminder twice."""

    session = models.ForeignKey(
        "mentoring_cms.SessionPage",
        verbose_name=_("gathering"),
        on_delete=models.CASCADE,
        related_name="owed_reminders",
    )
    application = models.ForeignKey(
        "mentoring_cms.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="owed_reminders",
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("owed gathering reminder")
        verbose_name_plural = _("owed gathering reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"],
                name="mentoring_cms_one_owed_reminder_per_gathering",
            )
        ]

    def __str__(self):
        return f"{self.application_id}@{self.session_id}"


def participation_for(application):
    """The application's ``Participation`` row, made on first use."""
    try:
        return application.participation
    except Participation.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            participation = Participation.objects.create(application=application)
    except IntegrityError:
        participation = Participation.objects.get(application=application)
    application.participation = participation
    return participation


def erase_participation(application):
    """Delete everything the person did or was recorded as doing in the
    round (link key, absence notices, attendance, meetings): part of erasing
    or anonymising ``application``."""
    AbsenceNotice.objects.filter(application=application).delete()
    OwedGatheringReminder.objects.filter(application=application).delete()
    Attendance.objects.filter(application=application).delete()
    Meeting.objects.filter(application=application).delete()
    Participation.objects.filter(application=application).delete()
