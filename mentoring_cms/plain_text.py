"""Rich text (Wagtail ``RichTextField`` HTML, or a ``StreamField`` value
rendered to HTML) as plain text, for calendar DESCRIPTIONs and emails.

``django.utils.html.strip_tags`` removes the tags and with them the breaks
between paragraphs and list items ("…the programme</p><p>Getting to know…"
becomes "…the programmeGetting to know…"). Here every block element (a
paragraph, heading, list item, table row, ``<br>``) ends a line, list items
start with "- ", character references are decoded, and blank lines and
runs of spaces are collapsed.
"""

from html.parser import HTMLParser

# Elements that stand on their own line(s) in plain text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is not text for a reader.
SKIPPED_TAGS = frozenset({"script", "style", "template"})


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [[]]
        self.skipping = 0

    def _break(self):
        # A list item's "- " waits for its text (``<li><p>…</p></li>``).
        if "".join(self.lines[-1]).strip() not in ("", "-"):
            self.lines.append([])

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self._break()
        elif tag in BLOCK_TAGS:
            self._break()
            if tag == "li":
                self.lines[-1].append("- ")

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self._break()

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if not self.skipping:
            self.lines[-1].append(data)


def html_to_text(html):
    """``html`` (a str, or anything whose ``str()`` is HTML: a ``RichText``
    or ``StreamValue``; ``None`` gives "") as plain text: one line per block
    element, lines separated by "\\n", list items as "- item", no empty
    lines, spaces collapsed (a str, no trailing newline)."""
    if html is None:
        return ""
    parser = _TextParser()
    parser.feed(str(html))
    parser.close()
    lines = (" ".join("".join(parts).split()) for parts in parser.lines)
    return "\n".join(line for line in lines if line and line != "-")
