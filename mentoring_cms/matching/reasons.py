"""The engine's machine-readable reasons, in words of the active language.

``describe_pair`` turns a pair's reasons into one line ("different
faculties; both docent track; 3 shared topics: networking, …; both speak
Norwegian"); ``describe_unmatched`` says why someone was left without a
partner. Names of topics, languages, faculties and participants come from
``Labels``, looked up by the caller in the reader's language.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models.matching import Track
from . import engine


@dataclass
class Labels:
    """Names for the codes in reasons: ``topics`` {key: label},
    ``faculties`` {pk: name}, ``people`` {application pk: name}, ``terms``
    {a faculty's name in any language: its name in the reader's}."""

    topics: dict = field(default_factory=dict)
    faculties: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)

    def term(self, term):
        return self.terms.get(term, term)

    def topic(self, key):
        return self.topics.get(key) or gettext("a topic no longer offered")

    def faculty(self, pk):
        return self.faculties.get(pk) or gettext("an unknown faculty")

    def person(self, pk):
        return self.people.get(pk) or gettext("someone no longer taking part")


LANGUAGE_NAMES = {"nb": _("Norwegian"), "en": _("English")}


def language_names(codes):
    """Names of language codes; codes the plugin does not name are shown by
    the site's ``LANGUAGES`` names."""
    names = {**dict(settings.LANGUAGES), **LANGUAGE_NAMES}
    return [str(names.get(code, code)) for code in codes]


def join(items):
    """Items as "a, b and c" in the active language."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return format_lazy(
        gettext("{items} and {last}"), items=", ".join(items[:-1]), last=items[-1]
    )


def _who(reason):
    return (
        gettext("the mentor")
        if reason.get("who") == engine.MENTOR
        else gettext("the mentee")
    )


def describe_reason(reason, labels):
    """One reason (a dict from the engine) in words."""
    code = reason.get("code")
    if code == engine.DIFFERENT_FACULTIES:
        return gettext("different faculties")
    if code == engine.SAME_TRACK:
        if reason.get("track") == Track.DOSENT:
            return gettext("both docent track")
        return gettext("both professor track")
    if code == engine.SHARED_TOPICS:
        topics = [labels.topic(key) for key in reason.get("topics", [])]
        return ngettext(
            "%(count)s shared topic: %(topics)s",
            "%(count)s shared topics: %(topics)s",
            len(topics),
        ) % {"count": len(topics), "topics": ", ".join(topics)}
    if code == engine.SHARED_LANGUAGES:
        return gettext("both speak %(languages)s") % {
            "languages": join(language_names(reason.get("languages", [])))
        }
    if code == engine.WISH:
        return gettext("%(who)s wished for %(terms)s") % {
            "who": _who(reason),
            "terms": join(
                f"“{term}”"
                for term in dict.fromkeys(
                    labels.term(term) for term in reason.get("terms", [])
                )
            ),
        }
    if code == engine.AVOIDED_FACULTY:
        return gettext("against the wish of %(who)s to avoid %(faculty)s") % {
            "who": _who(reason),
            "faculty": labels.faculty(reason.get("faculty")),
        }
    if code == engine.AVOIDED_DEPARTMENT:
        return gettext("against the wish of %(who)s to avoid %(department)s") % {
            "who": _who(reason),
            "department": reason.get("department", ""),
        }
    if code == engine.LOCKED:
        return gettext("locked by HR")
    if code == engine.HAND_SET:
        return gettext("set by hand by HR")
    return str(code)


def describe_pair(reasons, labels):
    """A pair's reasons as one line, separated by semicolons."""
    return "; ".join(describe_reason(reason, labels) for reason in reasons)


def describe_rule(code):
    """A hard rule that excludes a pair, in words."""
    return {
        engine.SAME_FACULTY: gettext("same faculty"),
        engine.FORBIDDEN: gettext("forbidden by HR"),
        engine.AVOIDED_FACULTY: gettext("a faculty to avoid"),
        engine.AVOIDED_DEPARTMENT: gettext("a department to avoid"),
    }.get(code, code)


def describe_unmatched(unmatched, labels):
    """Why a participant (a dict of ``engine.Unmatched``'s fields) has no
    partner, in words."""
    code = unmatched.get("code")
    mentor = unmatched.get("role") == engine.MENTOR
    if code == engine.NO_CANDIDATES:
        if mentor:
            return gettext("No mentee has been accepted in this round.")
        return gettext("No mentor has been accepted in this round.")
    if code == engine.ALL_EXCLUDED:
        parts = [
            gettext("%(person)s: %(rules)s")
            % {
                "person": labels.person(item["candidate"]),
                "rules": ", ".join(describe_rule(rule) for rule in item["rules"]),
            }
            for item in unmatched.get("exclusions", [])
        ]
        return gettext("Every possible partner is excluded: %(list)s.") % {
            "list": "; ".join(parts)
        }
    count = unmatched.get("compatible", 0)
    if mentor:
        text = ngettext(
            "The %(count)s mentee who could be paired with this mentor is "
            "paired with someone else.",
            "All %(count)s mentees who could be paired with this mentor are "
            "paired with others.",
            count,
        ) % {"count": count}
        surplus = gettext("There are more mentor places than mentees.")
    else:
        text = ngettext(
            "The %(count)s mentor who could be paired with this mentee is "
            "paired with someone else.",
            "All %(count)s mentors who could be paired with this mentee are "
            "paired with others.",
            count,
        ) % {"count": count}
        surplus = gettext("There are more mentees than mentor places.")
    return f"{text} {surplus}" if unmatched.get("surplus") else text
