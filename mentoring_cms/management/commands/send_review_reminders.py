"""Remind the selection committee of applications still to score before a
round's decision date; run daily (cron or the platform's scheduler), like
send_nomination_reminders."""

from django.core.management.base import BaseCommand

from mentoring_cms.selection.tasks import enqueue_review_reminders


class Command(BaseCommand):
    help = (
        "Queue one reminder per reviewer and round, in the days before the "
        "round's decision date, for reviewers with applications still to score."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, but queue nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        queued, failed = enqueue_review_reminders(dry_run=dry_run)
        verb = "Would queue" if dry_run else "Queued"
        self.stdout.write(f"{verb}: {queued}. Failed: {failed}.")
        if failed:
            # A non-zero exit status lets cron or a monitor notice.
            raise SystemExit(1)
