"""HTML validity with the Nu Html Checker, in one Java run per session.

This module runs after the other browser tests (see conftest): it validates
the raw HTML of every public page in both languages, fetched here, and of
every page the other browser tests checked on their way (wizard steps with
and without errors, confirmation pages)."""

import pytest

from .quality import crawl

pytestmark = pytest.mark.browser


def test_every_checked_page_is_valid_html(demo_site, html_documents):
    pages = crawl(demo_site.url, ["/nb/", "/en/"])
    for url, (status, html, _found_on) in sorted(pages.items()):
        assert status == 200, f"{url} answered {status}"
        if html is None:
            continue  # a calendar feed, not a page
        language = url.removeprefix(demo_site.url).split("/")[1]
        html_documents.add(url, f"public page [lang={language}]", html)

    errors = html_documents.validate()

    assert not errors, (
        f"The Nu Html Checker found {len(errors)} error(s) in "
        f"{len(html_documents.files)} pages:\n" + "\n".join(errors)
    )
