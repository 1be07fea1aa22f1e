"""Send the emails of applications whose confirmation or HR notification has
not gone out, e.g. after the mail server was down."""

from django.core.management.base import BaseCommand

from mentoring_cms.models import Application
from mentoring_cms.tasks import (
    ApplicationEmailFailed,
    send_application_confirmation,
    send_hr_notification,
)


class Command(BaseCommand):
    help = "Send the unsent confirmation and HR notification emails of applications."

    def handle(self, *args, **options):
        sent = failed = 0
        pending = Application.objects.filter(anonymised_at__isnull=True)
        jobs = [
            (send_application_confirmation, pending.filter(confirmation_sent_at=None)),
            (send_hr_notification, pending.filter(notification_sent_at=None)),
        ]
        for email_task, applications in jobs:
            for application_id in applications.values_list("pk", flat=True):
                try:
                    email_task.call(application_id)
                except ApplicationEmailFailed:
                    failed += 1
                else:
                    sent += 1
        self.stdout.write(f"Sent: {sent}. Failed: {failed}.")
        if failed:
            # A non-zero exit status lets cron or a monitor notice.
            raise SystemExit(1)
