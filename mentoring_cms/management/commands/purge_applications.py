"""Anonymise applications of rounds that finished more than
``MENTORING_CMS_RETENTION_DAYS`` (default 365) days ago. Meant to run daily,
e.g. from cron: ``manage.py purge_applications``."""

from django.core.management.base import BaseCommand

from mentoring_cms.conf import get_setting
from mentoring_cms.operations import purge_applications, purge_export_files


class Command(BaseCommand):
    help = (
        "Anonymise the applications (and delete their files and notes) of "
        "rounds that finished more than MENTORING_CMS_RETENTION_DAYS ago, and "
        "delete export files older than MENTORING_CMS_EXPORT_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report what would be anonymised; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        retention_days = get_setting("RETENTION_DAYS")
        report = purge_applications(dry_run=dry_run, retention_days=retention_days)
        verb = "Would anonymise" if dry_run else "Anonymised"
        total = 0
        for programme_round, count in report:
            total += count
            if count:
                # Round titles and counts only: nothing personal in the output.
                self.stdout.write(
                    f"{verb} {count} application(s) of round "
                    f"“{programme_round.title}” (id {programme_round.pk}), "
                    f"which ended {programme_round.period_end.isoformat()}."
                )
        self.stdout.write(
            f"{verb} {total} application(s) in total; retention is "
            f"{retention_days} days."
        )
        export_days = get_setting("EXPORT_RETENTION_DAYS")
        exports = purge_export_files(dry_run=dry_run, retention_days=export_days)
        self.stdout.write(
            f"{'Would delete' if dry_run else 'Deleted'} {exports} export "
            f"file(s) older than {export_days} days."
            + (" Dry run: nothing was changed." if dry_run else "")
        )
