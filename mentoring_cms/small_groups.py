"""Small-group suppression for the programme's statistics.

A round has about 20 mentees and 20 mentors (the seed), so a count per
faculty, per round or per outcome can point at one person. Every chart,
table and export of outcomes and evaluations passes its counts through
:func:`suppress` so that a group smaller than
``MENTORING_CMS_SMALL_GROUP_THRESHOLD`` (default 5) is shown as
"fewer than 5" and never as its number; shares computed from such a group
are suppressed with it. This is the usual rule of official statistics
(e.g. Statistics Norway's minimum cell size for personal data).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .conf import get_setting


def threshold():
    """The smallest group size that may be shown, an ``int`` ≥ 1
    (``MENTORING_CMS_SMALL_GROUP_THRESHOLD``, default 5).

    Raises ``ValueError`` when the setting is not a positive integer."""
    value = int(get_setting("SMALL_GROUP_THRESHOLD"))
    if value < 1:
        raise ValueError("MENTORING_CMS_SMALL_GROUP_THRESHOLD must be at least 1")
    return value


@dataclass(frozen=True)
class Cell:
    """One shown statistic: ``value`` is the number (``int`` or ``float``)
    or ``None`` when suppressed; ``text`` is what a table, chart label or
    export cell shows, in the active language."""

    value: object
    text: str

    @property
    def suppressed(self):
        return self.value is None


def is_small(count, minimum=None):
    """True when a group of ``count`` people (``int`` ≥ 0) must not be
    shown: 0 < count < threshold. An empty group (0) reveals nobody and is
    shown as 0."""
    minimum = threshold() if minimum is None else minimum
    return 0 < count < minimum


def suppressed_text(minimum=None):
    """The text shown instead of a small count: "fewer than 5"."""
    minimum = threshold() if minimum is None else minimum
    return str(_("fewer than %(threshold)d") % {"threshold": minimum})


def suppress(count, minimum=None):
    """A :class:`Cell` for a count of people: the count, or "fewer than N"
    when :func:`is_small`."""
    minimum = threshold() if minimum is None else minimum
    if is_small(count, minimum):
        return Cell(None, suppressed_text(minimum))
    return Cell(count, str(count))


def suppress_share(part, whole, minimum=None):
    """A :class:`Cell` for the share ``part / whole`` of a group, as a
    percentage rounded to a whole number ("40 %"). Suppressed when the
    group (``whole``) or either side of the split (``part`` and
    ``whole - part``) is small, since otherwise the other cell could be
    worked out from it; ``None`` value and "–" text when ``whole`` is 0."""
    minimum = threshold() if minimum is None else minimum
    if whole == 0:
        return Cell(None, "–")
    if (
        is_small(whole, minimum)
        or is_small(part, minimum)
        or is_small(whole - part, minimum)
    ):
        return Cell(None, suppressed_text(minimum))
    share = round(100 * part / whole)
    return Cell(share, f"{share} %")
