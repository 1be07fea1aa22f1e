"""Quality checks the browser tests run on every public page and wizard step:
accessibility (axe-core), layout at a phone and a desktop width, and HTML
validity (the Nu Html Checker, run once per session on every page kept)."""

import json
import re
import subprocess  # noqa: S404 - runs the Nu Html Checker from node_modules
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

BASE_DIR = Path(__file__).resolve().parents[2]
NODE_MODULES = BASE_DIR / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = BASE_DIR / "artifacts" / "screenshots"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
WIDTHS = (375, 1280)
HEIGHT = 800

# Paths of the site that are not public pages.
NOT_PUBLIC = ("/admin/", "/documents/", "/static/", "/media/")

AXE_RUN = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}"""


def page_language(page):
    return page.evaluate("document.documentElement.lang") or "(no lang)"


def axe_violations(page):
    """axe-core's serious and critical WCAG 2.1 AA violations on the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def horizontal_overflow(page):
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def screenshot_path(test_name, number, language, url, width):
    path = urlsplit(url).path.strip("/") or "root"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:80]
    name = f"{number:02d}-{language}-{slug}-{width}px.png"
    folder = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    return SCREENSHOTS / folder / name


class QualityChecks:
    """Runs axe, the layout check and screenshots on the page the browser
    shows, and keeps its raw HTML for the session's Nu Html Checker run.

    Problems are gathered so one test reports every page that failed;
    ``assert_clean()`` fails with all of them, naming page and language.
    """

    def __init__(self, page, test_name, documents):
        self.page = page
        self.test_name = test_name
        self.documents = documents
        self.problems = []
        self.checked = []
        self._document_response = None
        page.on("response", self._remember_document)

    def _remember_document(self, response):
        request = response.request
        if request.resource_type == "document" and response.frame.parent_frame is None:
            self._document_response = response

    def check(self, label=""):
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        language = page_language(page)
        where = f"{label + ': ' if label else ''}{url} [lang={language}]"
        self.checked.append(where)
        original = page.viewport_size
        try:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                overflow = horizontal_overflow(page)
                if overflow:
                    self.problems.append(
                        f"{where} at {width}px: the page scrolls sideways "
                        f"({overflow}px wider than the window)"
                    )
                for violation in axe_violations(page):
                    self.problems.append(
                        f"{where} at {width}px: axe {violation['impact']} "
                        f"{violation['id']}: {violation['help']} "
                        f"({'; '.join(violation['targets'])})"
                    )
                path = screenshot_path(
                    self.test_name, len(self.checked), language, url, width
                )
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(original)
        response = self._document_response
        if response is not None and response.url.split("#")[0] == url.split("#")[0]:
            self.documents.add(url, f"{label} [lang={language}]", response.text())
        else:
            self.documents.add(url, f"{label} [lang={language}]", page.content())

    def assert_clean(self):
        assert not self.problems, (
            f"Quality checks found {len(self.problems)} problem(s):\n"
            + "\n".join(self.problems)
        )


class HtmlDocuments:
    """The raw HTML of every page checked in the session, saved as files so
    the Nu Html Checker validates them all in one Java run."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.files = {}
        self._seen = set()

    def add(self, url, label, html):
        if (url, html) in self._seen:
            return
        self._seen.add((url, html))
        path = self.folder / f"page-{len(self.files) + 1:04d}.html"
        path.write_text(html, encoding="utf-8")
        self.files[path.resolve().as_uri()] = f"{label} {url}".strip()

    def validate(self):
        """Error messages of the Nu Html Checker, each naming its page."""
        if not self.files:
            return []
        paths = [urlsplit(uri).path for uri in self.files]
        completed = subprocess.run(  # noqa: S603
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *paths],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(completed.stdout or "{}")
        errors = []
        for message in report.get("messages", []):
            if message.get("type") not in {"error", "non-document-error"}:
                continue
            uri = message.get("url", "")
            page = self._page_for(uri)
            extract = " ".join(message.get("extract", "").split())[:160]
            errors.append(
                f"{page} line {message.get('lastLine', '?')}: "
                f"{message.get('message')} [{extract}]"
            )
        if completed.returncode not in (0, 1) and not errors:
            errors.append(f"vnu.jar failed: {completed.stderr.strip()[:2000]}")
        return errors

    def _page_for(self, uri):
        for file_uri, page in self.files.items():
            if urlsplit(file_uri).path == urlsplit(uri).path:
                return page
        return uri


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def internal_links(base_url, page_url, html):
    """Absolute URLs of the public pages that ``html`` links to."""
    parser = _LinkParser()
    parser.feed(html)
    host = urlsplit(base_url).netloc
    links = set()
    for href in parser.links:
        url = urldefrag(urljoin(page_url, href)).url
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != host:
            continue
        if parts.path.startswith(NOT_PUBLIC):
            continue
        links.add(url)
    return links


def crawl(base_url, start_paths):
    """Follow every internal link from ``start_paths``; returns
    ``{url: (status, html, found_on)}`` for every page reached (``html`` is
    ``None`` for a resource that is not HTML, such as a calendar feed)."""
    found_on = {urljoin(base_url, path): "(start)" for path in start_paths}
    queue = list(found_on)
    results = {}
    while queue:
        url = queue.pop(0)
        try:
            with urlopen(url, timeout=30) as response:  # noqa: S310 - live_server URL
                status = response.status
                html = response.read().decode("utf-8", "replace")
                final_url = response.url
                # A linked resource that is not a page (the round's calendar
                # feeds): its status counts, it has no HTML and no links.
                if response.headers.get_content_type() != "text/html":
                    html = None
        except OSError as error:
            status = getattr(error, "code", None) or str(error)
            html = ""
            final_url = url
        results[url] = (status, html, found_on[url])
        if status != 200 or html is None:
            continue
        for link in sorted(internal_links(base_url, final_url, html)):
            if link not in found_on:
                found_on[link] = url
                queue.append(link)
    return results
