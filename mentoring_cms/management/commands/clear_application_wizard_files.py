"""Delete uploads left behind by applications that were never submitted,
and applications saved for later whose time is up (with their uploads)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from mentoring_cms.conf import wizard_file_max_age_hours
from mentoring_cms.drafts import purge_drafts
from mentoring_cms.storage import wizard_file_storage


class Command(BaseCommand):
    help = (
        "Delete temporary application wizard uploads older than a session "
        "lives (SESSION_COOKIE_AGE) or MENTORING_CMS_WIZARD_FILE_MAX_AGE_HOURS, "
        "and expired saved applications (MENTORING_CMS_DRAFT_MAX_AGE_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help=(
                "Age in hours (default: the session lifetime, or "
                "MENTORING_CMS_WIZARD_FILE_MAX_AGE_HOURS when longer)."
            ),
        )

    def handle(self, *args, hours=None, **options):
        hours = hours if hours is not None else wizard_file_max_age_hours()
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        names = wizard_file_storage.stale_files(cutoff)
        for name in names:
            wizard_file_storage.delete(name)
        self.stdout.write(f"Deleted {len(names)} temporary uploads.")
        drafts, files = purge_drafts()
        self.stdout.write(
            f"Deleted {drafts} expired saved applications and {files} of their uploads."
        )
