"""The gatherings of a round as one audience sees them, in one language.

Applications, absences and attendance point at the gatherings of the round
in the default language; a reader sees each in her language when it has been
translated and published. Two queries, whatever the number of gatherings.
"""

from django.conf import settings

from ..models import ProgramRoundPage, SessionPage
from ..models.serving import share_parent_url


def source_round(translation_key):
    """The live round in the default language with ``translation_key``, or
    ``None``."""
    return (
        ProgramRoundPage.objects.live()
        .filter(
            translation_key=translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .select_related("locale")
        .first()
    )


def localized_round(programme_round, language):
    """``programme_round`` (default language) in ``language``, if published
    there; otherwise the round itself."""
    if programme_round.locale.language_code == language:
        return programme_round
    return (
        ProgramRoundPage.objects.live()
        .filter(
            translation_key=programme_round.translation_key,
            locale__language_code=language,
        )
        .select_related("locale")
        .first()
        or programme_round
    )


def source_sessions(programme_round, audiences):
    """The live gatherings of ``programme_round`` for ``audiences``, in time
    order (a query set)."""
    return (
        SessionPage.objects.child_of(programme_round)
        .live()
        .filter(audience__in=audiences)
        .defer_streamfields()
        .order_by("start", "path")
    )


def localized_sessions(programme_round, audiences, language, request=None):
    """[(source gathering, gathering to show)] of ``programme_round`` for
    ``audiences``: the one to show is the translation into ``language`` when
    it is live, else the source. URLs are built from the round's."""
    sources = list(source_sessions(programme_round, audiences))
    shown = {}
    if sources and programme_round.locale.language_code != language:
        shown = {
            page.translation_key: page
            for page in SessionPage.objects.live()
            .filter(
                translation_key__in=[s.translation_key for s in sources],
                locale__language_code=language,
            )
            .defer_streamfields()
        }
    pairs = [(source, shown.get(source.translation_key, source)) for source in sources]
    _share_urls(programme_round, language, [shown for _s, shown in pairs], request)
    return pairs


def _share_urls(programme_round, language, pages, request):
    """Give the pages their URLs without a query each: translations share the
    translated round's URL, the sources the source round's."""
    if not pages:
        return
    translated = [p for p in pages if p.locale_id != programme_round.locale_id]
    originals = [p for p in pages if p.locale_id == programme_round.locale_id]
    share_parent_url(programme_round, originals, request)
    if translated:
        parent = translated[0].get_parent()
        share_parent_url(parent, translated, request)
