from django.core.management.base import BaseCommand

from mentoring_cms.translation_sync import repair_page_tree


class Command(BaseCommand):
    help = (
        "Correct the children count of pages whose count does not match their "
        "children (left by translating a page with its subtree). Safe to run "
        "again."
    )

    def handle(self, *args, **options):
        repaired = repair_page_tree()
        for pk, title, wrong, right in repaired:
            self.stdout.write(f"Page {pk} “{title}”: {wrong} → {right} children")
        self.stdout.write(
            self.style.SUCCESS(f"Page tree checked; {len(repaired)} page(s) repaired.")
        )
