"""Queue the reminders of running rounds: a gathering a week ahead, to its
audience, and participants with no meeting logged for six weeks. Run it
once a day; each reminder is sent once (see participation/reminders.py)."""

from django.core.management.base import BaseCommand

from mentoring_cms.participation.reminders import enqueue_reminders


class Command(BaseCommand):
    help = (
        "Queue reminder emails: gatherings a week ahead, and participants "
        "with no meeting logged for six weeks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, but queue nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        gatherings, people = enqueue_reminders(dry_run=dry_run)
        verb = "would queue" if dry_run else "queued"
        self.stdout.write(
            f"{verb} reminders for {gatherings} gathering(s) and "
            f"{people} participant(s) without a recent meeting"
        )
