"""Queue the emails inviting participants to evaluate their round, once its
last gathering is over and while its evaluation is open. Run it once a day
(beside ``send_participation_reminders``); each person is invited once, and
a failed email is tried again on the next run."""

from django.core.management.base import BaseCommand

from mentoring_cms.outcomes.evaluation_tasks import enqueue_invitations


class Command(BaseCommand):
    help = (
        "Queue evaluation invitations for the participants of rounds whose "
        "last gathering is over and whose evaluation is open."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, but queue nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        count = enqueue_invitations(dry_run=dry_run)
        verb = "would queue" if dry_run else "queued"
        self.stdout.write(f"{verb} evaluation invitations for {count} participant(s)")
