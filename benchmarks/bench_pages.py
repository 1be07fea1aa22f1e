"""Benchmark 1: the public round page, uncached, beside the anchor form page.

"Uncached" means the full-page cache is off; the plugin's fragments (the
list of gatherings, the translations) are kept as on a live site, since
they last until content changes."""

from django.test import Client, override_settings

from .harness import Row, alternate, count_queries, timing_cell

MAX_QUERIES = 10
# Uncached, the round page costs less than Wagtail's form page (an empty
# Wagtail page at the same depth measures about 0.84 of it) ...
MAX_RATIO = 0.9
# ... and a round with 30 gatherings hardly more than one with 7.
MAX_GROWTH = 1.1


def _get(client, url):
    def request():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return request


def page_url(ds, sessions, language):
    page = ds.rounds[sessions]
    if language != "nb":
        page = page.get_translation(ds.en)
    return page.get_url()


def run(ds, config):
    client = Client()
    anchor_url = ds.anchor.get_url()
    rows, counts = [], {}
    # The page cache is measured on its own (benchmark 2); here every request
    # renders the page.
    with override_settings(MENTORING_CMS_PAGE_CACHE_TIMEOUT=0):
        anchor_queries = count_queries(_get(client, anchor_url))
        for sessions in (7, 30):
            for language in ("nb", "en"):
                url = page_url(ds, sessions, language)
                ours, anchor = alternate(
                    _get(client, url),
                    _get(client, anchor_url),
                    repeat=config.page_repeat,
                    warmup=3,
                )
                queries = count_queries(_get(client, url))
                counts[(sessions, language)] = queries
                ratio = ours.median / anchor.median
                rows.append(
                    Row(
                        name=f"1. round page, {sessions} sessions, {language}",
                        ours=timing_cell(ours),
                        anchor=timing_cell(anchor),
                        ratio=ratio,
                        queries=f"{queries} / {anchor_queries}",
                        checks=[
                            (f"ratio ≤ {MAX_RATIO}", ratio <= MAX_RATIO),
                            (f"≤ {MAX_QUERIES} queries", queries <= MAX_QUERIES),
                        ],
                    )
                )
        # For reference: Wagtail serving an empty page at the same depth.
        bare, anchor = alternate(
            _get(client, ds.bare.get_url()),
            _get(client, anchor_url),
            repeat=config.page_repeat,
            warmup=3,
        )
        rows.append(
            Row(
                name="1. (reference) empty Wagtail page, same depth",
                ours=timing_cell(bare),
                anchor=timing_cell(anchor),
                ratio=bare.median / anchor.median,
                queries=f"{count_queries(_get(client, ds.bare.get_url()))} / "
                f"{anchor_queries}",
            )
        )
        # 30 against 7 gatherings, measured in alternation so that the load
        # of the machine weighs on both alike.
        for language in ("nb", "en"):
            many, few = (
                _get(client, page_url(ds, sessions, language)) for sessions in (30, 7)
            )
            many, few = alternate(many, few, repeat=config.page_repeat, warmup=3)
            growth = many.median / few.median
            rows.append(
                Row(
                    name=f"1. round page, 30 vs 7 sessions, {language}",
                    ours=timing_cell(many),
                    anchor=timing_cell(few),
                    ratio=growth,
                    checks=[(f"30 ≤ {MAX_GROWTH} × 7", growth <= MAX_GROWTH)],
                )
            )
    for language in ("nb", "en"):
        same = counts[(7, language)] == counts[(30, language)]
        rows.append(
            Row(
                name=f"1. queries with 7 vs 30 sessions, {language}",
                ours=f"{counts[(7, language)]} vs {counts[(30, language)]}",
                anchor="",
                checks=[("same query count", same)],
            )
        )
    return rows
