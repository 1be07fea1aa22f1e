"""The topics applicants choose from for the matching.

A programme's editors may list their own (``ProgramPage.matching_topics``,
translated with the page; a topic is known by its block id, so renaming or
translating it keeps the answers); otherwise the default list of the
question (``questions.core.DEFAULT_MATCHING_TOPICS``): the topics of the
gatherings in the programme description, plus research leadership and a
teaching portfolio.
"""

from django.conf import settings
from django.utils.translation import get_language

from ..page_cache import cached_value
from ..questions.core import DEFAULT_MATCHING_TOPICS as DEFAULT_TOPICS
from .pages import ProgramPage

__all__ = [
    "DEFAULT_TOPICS",
    "application_topics",
    "all_topic_labels",
    "topic_choices",
    "topic_labels",
]


def _programme_of(programme_round):
    # Routed through its programme, the round knows its parent: no query;
    # otherwise one, for the programme's own row.
    parent = getattr(programme_round, "_cached_parent_obj", None)
    if isinstance(parent, ProgramPage):
        return parent
    path = programme_round.path[: -programme_round.steplen]
    return ProgramPage.objects.filter(path=path).first()


def topic_choices(programme_round):
    """(key, label) of the topics offered in ``programme_round``'s programme,
    labelled in the active language where the programme has been
    translated; the default topics when the programme lists none.

    Kept in the page cache's store and generation (``page_cache.cached_value``,
    emptied by any content change): the matching step asks for them on every
    request."""
    if not programme_round:
        return _topic_choices(None)
    return cached_value(
        "topic-choices",
        (programme_round.pk, programme_round.path, get_language()),
        lambda: _topic_choices(programme_round),
    )


def _topic_choices(programme_round):
    programme = _programme_of(programme_round) if programme_round else None
    if programme is None or not len(programme.matching_topics):
        return [(key, str(label)) for key, label in DEFAULT_TOPICS]
    labels = {}
    versions = [programme]
    localized = programme.localized
    if localized.pk != programme.pk:
        versions.append(localized)
    for version in versions:
        for block in version.matching_topics:
            labels[block.id] = str(block.value)
    return [(block.id, labels[block.id]) for block in programme.matching_topics]


def topic_labels(programme_round):
    """{key: label} of every topic the round's programme offers, and of the
    default topics, in the active language."""
    labels = {key: str(label) for key, label in DEFAULT_TOPICS}
    labels.update(dict(topic_choices(programme_round)))
    return labels


def all_topic_labels(language=None):
    """{key: label} of the topics of every programme and of the default
    topics, in ``language`` (default: the active one) where a programme has
    been translated into it, else in the programme's own language; for
    listings that span programmes (the exports). A topic's key (its block
    id) is the same in every translation. One query."""
    language = language or get_language() or settings.LANGUAGE_CODE
    labels = {key: str(label) for key, label in DEFAULT_TOPICS}
    programmes = ProgramPage.objects.select_related("locale").only(
        "matching_topics", "locale__language_code"
    )
    # Pages in the reader's language last, so their wording wins.
    for programme in sorted(
        programmes, key=lambda page: page.locale.language_code == language
    ):
        for block in programme.matching_topics:
            labels[block.id] = str(block.value)
    return labels


def application_topics(application):
    """The (key, label) topics ``application``'s answer to the topics
    question is read with (``topic_choices`` of its round), or ``None``
    without a query when it has no such answer."""
    if not (application.answers or {}).get("matching_topics"):
        return None
    return topic_choices(application.round)
