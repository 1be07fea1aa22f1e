"""Empty the plugin's page cache, e.g. after a deploy that changed templates
but not the plugin's version or ``MENTORING_CMS_PAGE_CACHE_KEY_PREFIX``."""

from django.core.management.base import BaseCommand

from mentoring_cms import page_cache


class Command(BaseCommand):
    help = (
        "Empty the page cache of mentoring_cms: anonymous visitors get freshly "
        "rendered pages from the next request on."
    )

    def handle(self, *args, **options):
        page_cache.invalidate()
        self.stdout.write(
            f"Page cache emptied (cache {page_cache.get_cache_alias()!r}, "
            f"key prefix {page_cache.key_prefix()!r})."
        )
