"""Send the emails of applications whose confirmation, HR notification or
decision email has not gone out, e.g. after the mail server was down, and
the introduction emails still owed to the participants of published pairs
(issue 15)."""

from django.core.management.base import BaseCommand

from mentoring_cms.matching.tasks import (
    IntroductionFailed,
    owed_introductions,
    send_introductions,
)
from mentoring_cms.models import Application
from mentoring_cms.tasks import (
    ApplicationEmailFailed,
    send_application_confirmation,
    send_decision_email,
    send_hr_notification,
)


class Command(BaseCommand):
    help = (
        "Send the unsent confirmation, HR notification and decision emails "
        "of applications, and the owed introduction emails of published pairs."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        pending = Application.objects.filter(anonymised_at__isnull=True)
        unsent = [
            (send_application_confirmation, pending.filter(confirmation_sent_at=None)),
            (send_hr_notification, pending.filter(notification_sent_at=None)),
        ]
        jobs = [
            (email_task, (pk,))
            for email_task, applications in unsent
            for pk in applications.values_list("pk", flat=True)
        ]
        # A decision email is sent for the application's current decision.
        owed = pending.filter(decision_email_status=Application.DecisionEmail.OWED)
        jobs += [
            (send_decision_email, (pk, status))
            for pk, status in owed.values_list("pk", "status")
        ]
        # Both sides of a pair are tried; one already introduced is skipped.
        jobs += [(send_introductions, (pk,)) for pk in owed_introductions()]
        for email_task, arguments in jobs:
            try:
                email_task.call(*arguments)
            except (ApplicationEmailFailed, IntroductionFailed):
                failed += 1
            else:
                sent += 1
        self.stdout.write(f"Sent: {sent}. Failed: {failed}.")
        if failed:
            # A non-zero exit status lets cron or a monitor notice.
            raise SystemExit(1)
