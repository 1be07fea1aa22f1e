"""One form for text that is compared: email addresses, search text and the
invisible characters typed text may carry.

Pure functions without models, so that forms, operations, the listing and
data migrations share them.
"""

import functools
import unicodedata

from email_validator import EmailNotValidError, validate_email

# Characters of Unicode category Cf ("format") that text may carry unseen:
# zero-width space, joiners, soft hyphen, BOM, word joiner, bidi marks and
# the like. They are removed from typed text; direction overrides and
# isolates are refused instead (see ``forms.refuse_control_characters``),
# because they change what the rest of the text appears to say.
DIRECTION_OVERRIDES = frozenset(
    [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
)


def is_invisible(char):
    """Whether ``char`` is an invisible format character (category Cf) that
    is not a direction override or isolate."""
    return unicodedata.category(char) == "Cf" and char not in DIRECTION_OVERRIDES


def strip_invisible(value):
    """``value`` without invisible format characters (zero-width space and
    joiners, soft hyphen, BOM, bidi marks…); other text is left as typed."""
    if not isinstance(value, str) or value.isascii():
        return value
    return "".join(char for char in value if not is_invisible(char))


def canonical_email(value):
    """The one stored and compared form of an email address: without
    invisible characters and surrounding space, in Unicode NFC, the domain
    in its Unicode (IDNA 2008) form whether typed in Unicode or as punycode
    (``xn--``), and lower case throughout (the university's mail servers
    do not tell addresses apart by case).

    Uses email-validator's normalisation; an address it refuses is returned
    cleaned the same way as far as possible (NFC, lower case), so that old
    data can still be compared. Never raises. The last
    ``CANONICAL_EMAILS_KEPT`` results are remembered (a submission asks for
    the same address in the form, the duplicate check and the row).
    """
    if not value:
        return ""
    return _canonical_email(str(value))


CANONICAL_EMAILS_KEPT = 64


@functools.lru_cache(maxsize=CANONICAL_EMAILS_KEPT)
def _canonical_email(value):
    cleaned = unicodedata.normalize("NFC", strip_invisible(str(value)).strip())
    try:
        result = validate_email(
            cleaned,
            check_deliverability=False,
            globally_deliverable=False,
            allow_smtputf8=True,
        )
    except EmailNotValidError:
        return cleaned.lower()
    local, _at, domain = result.normalized.rpartition("@")
    return f"{local}@{domain}".lower()


def search_text(*values):
    """The text the HR listing searches in, one line per value: NFKC, case
    folded and without invisible characters, so that "ødegård" finds
    "Ødegård" (and "ANDRÉ" "André") on every database, not only for ASCII
    letters as SQLite's ``LIKE`` would."""
    return "\n".join(search_term(value) for value in values if value)


def search_term(value):
    """A search query in the form of ``search_text``."""
    return (
        unicodedata.normalize("NFKC", strip_invisible(str(value or "")))
        .casefold()
        .strip()
    )
