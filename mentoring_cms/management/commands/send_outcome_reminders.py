"""Queue the yearly reminder to HR of former mentees (rounds that ended one
to five years ago) without a recorded promotion outcome. Run it once a
year, e.g. from cron in January."""

from django.core.management.base import BaseCommand

from mentoring_cms.outcomes.promotion import missing_outcomes
from mentoring_cms.outcomes.promotion_tasks import send_outcome_reminders


class Command(BaseCommand):
    help = (
        "Queue the yearly email to HR listing the mentees of rounds that "
        "ended one to five years ago without a recorded promotion outcome."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, but queue nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        # A count only: no names in the command's output.
        count = missing_outcomes().count()
        if dry_run:
            self.stdout.write(f"would queue the reminder; {count} mentee(s) listed")
            return
        send_outcome_reminders.enqueue()
        self.stdout.write(f"queued the reminder; {count} mentee(s) listed")
