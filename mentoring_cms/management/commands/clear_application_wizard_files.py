"""Delete uploads left behind by applications that were never submitted."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from mentoring_cms.conf import get_setting
from mentoring_cms.storage import wizard_file_storage


class Command(BaseCommand):
    help = "Delete temporary application wizard uploads older than a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="Age in hours (default MENTORING_CMS_WIZARD_FILE_MAX_AGE_HOURS).",
        )

    def handle(self, *args, hours=None, **options):
        hours = hours if hours is not None else get_setting("WIZARD_FILE_MAX_AGE_HOURS")
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        names = wizard_file_storage.stale_files(cutoff)
        for name in names:
            wizard_file_storage.delete(name)
        self.stdout.write(f"Deleted {len(names)} temporary uploads.")
