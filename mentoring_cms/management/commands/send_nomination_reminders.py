"""Remind faculty coordinators of a round's nomination deadline; run daily
(cron or the platform's scheduler), like send_pending_application_emails."""

from django.core.management.base import BaseCommand

from mentoring_cms.selection.emails import send_nomination_reminders


class Command(BaseCommand):
    help = (
        "Email each faculty coordinator, once per round, a reminder in the "
        "week before the round's nomination deadline."
    )

    def handle(self, *args, **options):
        sent, failed = send_nomination_reminders()
        self.stdout.write(f"Sent: {sent}. Failed: {failed}.")
        if failed:
            # A non-zero exit status lets cron or a monitor notice.
            raise SystemExit(1)
