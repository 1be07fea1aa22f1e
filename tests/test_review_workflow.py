"""The review workflow: transitions, quotas, notifications and the audit log."""

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from mentoring_cms.models import Application, TransitionNotAllowed
from mentoring_cms.operations import (
    LOG_STATUS_CHANGE,
    QuotaExceeded,
    decide_application,
    decide_applications,
)

from .utils import get_locale, make_application, make_faculty

Status = Application.Status
Role = Application.Role


def with_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


ALLOWED = {
    Role.MENTEE: [
        (Status.SUBMITTED, Status.UNDER_REVIEW),
        (Status.SUBMITTED, Status.REJECTED),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.UNDER_REVIEW, Status.NOMINATED),
        (Status.UNDER_REVIEW, Status.REJECTED),
        (Status.UNDER_REVIEW, Status.WITHDRAWN),
        (Status.NOMINATED, Status.ACCEPTED),
        (Status.NOMINATED, Status.WAITLISTED),
        (Status.NOMINATED, Status.REJECTED),
        (Status.NOMINATED, Status.WITHDRAWN),
        (Status.WAITLISTED, Status.ACCEPTED),
        (Status.WAITLISTED, Status.REJECTED),
        (Status.WAITLISTED, Status.WITHDRAWN),
        (Status.ACCEPTED, Status.WITHDRAWN),
    ],
    Role.MENTOR: [
        (Status.SUBMITTED, Status.UNDER_REVIEW),
        (Status.SUBMITTED, Status.REJECTED),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.UNDER_REVIEW, Status.ACCEPTED),
        (Status.UNDER_REVIEW, Status.WAITLISTED),
        (Status.UNDER_REVIEW, Status.REJECTED),
        (Status.UNDER_REVIEW, Status.WITHDRAWN),
        (Status.WAITLISTED, Status.ACCEPTED),
        (Status.WAITLISTED, Status.REJECTED),
        (Status.WAITLISTED, Status.WITHDRAWN),
        (Status.ACCEPTED, Status.WITHDRAWN),
    ],
}

ALL_PAIRS = [
    (role, old, new)
    for role in Role
    for old in Status
    for new in Status
    if old != new and not (role == Role.MENTOR and Status.NOMINATED in (old, new))
]


@pytest.mark.parametrize(
    ("role", "old", "new"),
    [(role, old, new) for role in Role for old, new in ALLOWED[role]],
)
def test_allowed_transition_saves_status(open_round, faculty, role, old, new):
    application = with_status(
        make_application(round=open_round, role=role, faculty=faculty), old
    )
    application.transition_to(new)
    application.refresh_from_db()
    assert application.status == new
    assert application.status_changed_at is not None


@pytest.mark.parametrize(
    ("role", "old", "new"),
    [pair for pair in ALL_PAIRS if pair[1:] not in ALLOWED[pair[0]]],
)
def test_refused_transition_changes_nothing(open_round, faculty, role, old, new):
    application = with_status(
        make_application(round=open_round, role=role, faculty=faculty), old
    )
    with pytest.raises(TransitionNotAllowed) as error:
        application.transition_to(new)
    assert application.reference in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == old
    assert application.status_changed_at is None


def test_mentor_cannot_be_nominated(open_round):
    mentor = with_status(
        make_application(round=open_round, role=Role.MENTOR), Status.UNDER_REVIEW
    )
    with pytest.raises(TransitionNotAllowed):
        mentor.nominate()
    assert Status.NOMINATED not in mentor.allowed_transitions()


def test_refusal_message_is_translated(open_round):
    application = make_application(round=open_round)
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as error:
        application.accept()
    assert "cannot change from “Submitted” to “Accepted”" in error.value.messages[0]
    with translation.override("nb"), pytest.raises(TransitionNotAllowed) as error:
        application.accept()
    assert "kan ikke endres fra «Sendt inn» til «Tatt opp»" in error.value.messages[0]


def test_named_transition_methods(open_round):
    application = make_application(round=open_round)
    application.start_review()
    application.nominate()
    application.waitlist()
    application.accept()
    application.withdraw()
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.allowed_transitions() == []


def test_faculty_quota_refuses_the_next_nomination(open_round, faculty):
    open_round.faculty_quota = 2
    open_round.save()
    other_faculty = make_faculty(name="Det medisinske fakultet")
    nominated = [
        with_status(
            make_application(round=open_round, faculty=faculty), Status.UNDER_REVIEW
        )
        for _ in range(3)
    ]
    decide_application(nominated[0], Status.NOMINATED)
    decide_application(nominated[1], Status.NOMINATED)
    with translation.override("en"), pytest.raises(QuotaExceeded) as error:
        decide_application(nominated[2], Status.NOMINATED)
    message = error.value.messages[0]
    assert "Fakultet for naturvitenskap" in message
    assert "quota for each faculty in this round is 2" in message
    nominated[2].refresh_from_db()
    assert nominated[2].status == Status.UNDER_REVIEW

    # Another faculty has its own quota; mentors are not counted.
    other = with_status(
        make_application(round=open_round, faculty=other_faculty), Status.UNDER_REVIEW
    )
    decide_application(other, Status.NOMINATED)

    # Accepted and waitlisted nominees keep their faculty's slot; a rejection
    # frees it.
    decide_application(nominated[0], Status.ACCEPTED)
    with pytest.raises(QuotaExceeded):
        decide_application(nominated[2], Status.NOMINATED)
    decide_application(nominated[1], Status.REJECTED)
    decide_application(nominated[2], Status.NOMINATED)
    nominated[2].refresh_from_db()
    assert nominated[2].status == Status.NOMINATED


def test_faculty_quota_message_in_norwegian(open_round, faculty):
    open_round.faculty_quota = 1
    open_round.save()
    first, second = (
        with_status(
            make_application(round=open_round, faculty=faculty), Status.UNDER_REVIEW
        )
        for _ in range(2)
    )
    decide_application(first, Status.NOMINATED)
    with translation.override("nb"), pytest.raises(QuotaExceeded) as error:
        decide_application(second, Status.NOMINATED)
    assert (
        "Fakultet for naturvitenskap har allerede nominert 1"
        in (error.value.messages[0])
    )
    assert "kvoten" in error.value.messages[0]


def test_faculty_quota_counts_both_languages_of_a_faculty(open_round, faculty):
    open_round.faculty_quota = 1
    open_round.save()
    english = faculty.copy_for_translation(get_locale("en"))
    english.name = "Faculty of Natural Sciences"
    english.save()
    first = with_status(
        make_application(round=open_round, faculty=faculty), Status.UNDER_REVIEW
    )
    second = with_status(
        make_application(round=open_round, faculty=english, language="en"),
        Status.UNDER_REVIEW,
    )
    decide_application(first, Status.NOMINATED)
    with translation.override("en"), pytest.raises(QuotaExceeded) as error:
        decide_application(second, Status.NOMINATED)
    assert "Faculty of Natural Sciences" in error.value.messages[0]


@pytest.mark.parametrize(
    ("role", "field", "word"),
    [
        (Role.MENTEE, "mentee_places", "mentee"),
        (Role.MENTOR, "mentor_places", "mentor"),
    ],
)
def test_places_refuse_acceptance_beyond_the_round(
    open_round, faculty, role, field, word
):
    setattr(open_round, field, 2)
    open_round.faculty_quota = 10
    open_round.save()
    ready = Status.NOMINATED if role == Role.MENTEE else Status.UNDER_REVIEW
    applications = [
        with_status(
            make_application(round=open_round, role=role, faculty=faculty), ready
        )
        for _ in range(3)
    ]
    decide_application(applications[0], Status.ACCEPTED)
    decide_application(applications[1], Status.ACCEPTED)
    with translation.override("en"), pytest.raises(QuotaExceeded) as error:
        decide_application(applications[2], Status.ACCEPTED)
    assert (
        f"All 2 {word} places in this round are taken (2 accepted)."
        == (error.value.messages[0])
    )
    applications[2].refresh_from_db()
    assert applications[2].status == ready
    # Waitlisting is still possible, and a withdrawal frees a place.
    decide_application(applications[2], Status.WAITLISTED)
    decide_application(applications[0], Status.WITHDRAWN)
    decide_application(applications[2], Status.ACCEPTED)
    assert Application.objects.filter(role=role, status=Status.ACCEPTED).count() == 2


def test_places_of_one_role_do_not_limit_the_other(open_round, faculty):
    open_round.mentee_places = 1
    open_round.save()
    mentee = with_status(
        make_application(round=open_round, faculty=faculty), Status.NOMINATED
    )
    mentor = with_status(
        make_application(round=open_round, role=Role.MENTOR), Status.UNDER_REVIEW
    )
    decide_application(mentee, Status.ACCEPTED)
    decide_application(mentor, Status.ACCEPTED)
    mentor.refresh_from_db()
    assert mentor.status == Status.ACCEPTED


def test_decision_is_logged_without_personal_data(open_round, faculty, hr_user):
    application = make_application(
        round=open_round, faculty=faculty, full_name="Kari Nordmann"
    )
    decide_application(application, Status.UNDER_REVIEW, user=hr_user)
    entry = ModelLogEntry.objects.get(action=LOG_STATUS_CHANGE)
    assert entry.user == hr_user
    assert entry.label == application.reference
    assert entry.object_id == str(application.pk)
    assert entry.data == {"old": "submitted", "new": "under_review", "notified": False}
    flat = f"{entry.label} {entry.data} {entry.message}"
    assert "Kari" not in flat
    assert application.email not in flat


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "Vi har gleden av å fortelle"), ("en", "We are pleased to tell you")],
)
def test_notify_sends_decision_email_in_applicants_language(
    open_round,
    faculty,
    hr_user,
    django_capture_on_commit_callbacks,
    language,
    expected,
):
    application = with_status(
        make_application(round=open_round, faculty=faculty, language=language),
        Status.NOMINATED,
    )
    with translation.override("en" if language == "nb" else "nb"):
        with django_capture_on_commit_callbacks(execute=True):
            decide_application(application, Status.ACCEPTED, user=hr_user, notify=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [application.email]
    assert expected in message.body
    assert application.reference in message.subject
    assert application.full_name in message.body
    entry = ModelLogEntry.objects.get(action=LOG_STATUS_CHANGE)
    assert entry.data["notified"] is True


@override_settings(MENTORING_CMS_HR_EMAIL="hr@example.org")
def test_decision_email_replies_to_hr_and_a_failure_is_logged_without_address(
    open_round, faculty, hr_user, django_capture_on_commit_callbacks, caplog
):
    from mentoring_cms.tasks import ApplicationEmailFailed, send_decision_email

    application = with_status(
        make_application(round=open_round, faculty=faculty), Status.NOMINATED
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(application, Status.ACCEPTED, user=hr_user, notify=True)
    assert mail.outbox[0].reply_to == ["hr@example.org"]

    Application.objects.filter(pk=application.pk).update(
        decision_email_status=Application.DecisionEmail.OWED
    )
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=9,
    ):
        with pytest.raises(ApplicationEmailFailed):
            send_decision_email.call(application.pk, "accepted")
    assert application.reference in caplog.text
    assert application.email not in caplog.text


def test_no_email_without_notify_or_for_non_decisions(
    open_round, faculty, django_capture_on_commit_callbacks
):
    application = make_application(round=open_round, faculty=faculty)
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(application, Status.UNDER_REVIEW, notify=True)
        decide_application(application, Status.NOMINATED, notify=True)
        decide_application(application, Status.REJECTED, notify=False)
    assert mail.outbox == []


def test_email_is_not_sent_when_the_decision_is_refused(
    open_round, faculty, django_capture_on_commit_callbacks
):
    application = make_application(round=open_round, faculty=faculty)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionNotAllowed),
    ):
        decide_application(application, Status.ACCEPTED, notify=True)
    assert mail.outbox == []


def test_waitlist_and_rejection_emails(
    open_round, faculty, django_capture_on_commit_callbacks
):
    waiting = with_status(
        make_application(round=open_round, faculty=faculty, language="en"),
        Status.NOMINATED,
    )
    rejected = make_application(round=open_round, faculty=faculty, language="nb")
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(waiting, Status.WAITLISTED, notify=True)
        decide_application(rejected, Status.REJECTED, notify=True)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "waiting list" in bodies[waiting.email]
    assert "kan vi dessverre ikke tilby deg plass" in bodies[rejected.email]


def test_bulk_decisions_report_each_refusal(open_round, faculty):
    open_round.faculty_quota = 1
    open_round.save()
    first, second = (
        with_status(
            make_application(round=open_round, faculty=faculty), Status.UNDER_REVIEW
        )
        for _ in range(2)
    )
    submitted = make_application(round=open_round, faculty=faculty)
    changed, refusals = decide_applications(
        [first.pk, second.pk, submitted.pk, 999999], Status.NOMINATED
    )
    assert [app.pk for app in changed] == [first.pk]
    assert {app.pk for app, _message in refusals} == {second.pk, submitted.pk}
    second.refresh_from_db()
    submitted.refresh_from_db()
    assert second.status == Status.UNDER_REVIEW
    assert submitted.status == Status.SUBMITTED


def test_decision_email_queue_failure_keeps_the_decision_and_the_email_is_retried(
    open_round,
    faculty,
    hr_client,
    django_capture_on_commit_callbacks,
    monkeypatch,
    caplog,
):
    from django.core.management import call_command
    from django.urls import reverse

    from mentoring_cms.tasks import send_decision_email

    application = with_status(
        make_application(
            round=open_round,
            faculty=faculty,
            confirmation_sent_at=timezone.now(),
            notification_sent_at=timezone.now(),
        ),
        Status.NOMINATED,
    )

    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    with (
        monkeypatch.context() as patch,
        django_capture_on_commit_callbacks(execute=True),
    ):
        patch.setattr("mentoring_cms.tasks.send_decision_email", BrokenQueue())
        response = hr_client.post(
            reverse("mentoring_applications:status", args=[application.pk]),
            {"status": "accepted", "notify": "on"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert application.decision_email_status == Application.DecisionEmail.OWED
    assert application.decision_notified_at is None
    assert mail.outbox == []
    assert application.reference in caplog.text
    assert application.email not in caplog.text

    call_command("send_pending_application_emails")
    assert [m.to for m in mail.outbox] == [[application.email]]
    assert "Vi har gleden av å fortelle" in mail.outbox[0].body
    application.refresh_from_db()
    assert application.decision_email_status == Application.DecisionEmail.SENT
    assert application.decision_notified_at is not None
    # Sent once: neither the command nor a late task sends it again.
    call_command("send_pending_application_emails")
    assert send_decision_email.call(application.pk, "accepted") is False
    assert len(mail.outbox) == 1


def test_decision_email_sent_is_recorded(
    open_round, faculty, django_capture_on_commit_callbacks
):
    application = with_status(
        make_application(round=open_round, faculty=faculty), Status.NOMINATED
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(application, Status.WAITLISTED, notify=True)
    application.refresh_from_db()
    assert application.decision_email_status == Application.DecisionEmail.SENT
    assert application.decision_notified_at is not None
    # A later decision without notify owes no email.
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(application, Status.ACCEPTED)
    application.refresh_from_db()
    assert application.decision_email_status == Application.DecisionEmail.SENT
    assert len(mail.outbox) == 1
