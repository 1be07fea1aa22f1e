"""Copy a round to the next one: the round and its gatherings as drafts,
every date moved by the same number of days, in every language it has been
translated to. Applications belong to the old round and are never copied.

The default offset is 364 days (52 weeks): the copy lands a year later on the
same weekday, which is what a programme that meets on, say, Thursdays needs.
Times stay on the local clock (09:00 stays 09:00 across summer time).
"""

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import ProgramRoundPage, SelectionCriterion, SessionPage
from .models.pages import session_outside_round_error

DEFAULT_OFFSET_DAYS = 364
MAX_OFFSET_DAYS = 3 * 366
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def move_moment(moment, days):
    """``moment`` (an aware datetime, or ``None``) ``days`` later on the local
    clock of the site's time zone."""
    if moment is None:
        return None
    local = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(local + datetime.timedelta(days=days))


def move_years(text, years):
    """``text`` with every year (1900–2099) in it ``years`` later:
    "Runde 2022–2023" → "Runde 2023–2024"."""
    return YEAR.sub(lambda m: str(int(m.group(1)) + years), text)


def moved_round_facts(programme_round, days):
    return {
        "period_start": programme_round.period_start + datetime.timedelta(days=days),
        "period_end": programme_round.period_end + datetime.timedelta(days=days),
        "application_opens": move_moment(programme_round.application_opens, days),
        "application_closes": move_moment(programme_round.application_closes, days),
        "decisions_by": (
            programme_round.decisions_by + datetime.timedelta(days=days)
            if programme_round.decisions_by
            else None
        ),
    }


def _validate(programme_round, sessions, days):
    """The copy as unsaved pages, checked with the rules editors see in the
    page editor; raises ``ValidationError`` with their messages."""
    facts = moved_round_facts(programme_round, days)
    copy = ProgramRoundPage(
        **{
            field: getattr(programme_round, field)
            for field in ProgramRoundPage.fact_fields
        }
    )
    for name, value in facts.items():
        setattr(copy, name, value)
    messages = []
    try:
        copy.clean()
    except ValidationError as error:
        messages.extend(error.messages)
    for session in sessions:
        start = move_moment(session.start, days)
        end = move_moment(session.end, days)
        problem = None
        if end <= start:
            problem = _("The session must end after it starts.")
        else:
            problem = session_outside_round_error(copy, start, end)
        if problem:
            messages.append(f"{session.title}: {problem}")
    if messages:
        raise ValidationError(messages)
    return facts


def _draft_copy(
    page, parent, user, update_attrs, reset_translation_key=True, criteria_keys=None
):
    """A draft copy of ``page`` under ``parent``. ``criteria_keys`` maps the
    translation keys of the selection criteria of the source round to those
    of its copy, so that a translated round's copy keeps its criteria paired
    with the copied source's (see ``SelectionCriterion``)."""

    def pair_criteria(_page, _copy, _relation, child):
        if criteria_keys is not None and isinstance(child, SelectionCriterion):
            child.translation_key = criteria_keys.get(
                child.translation_key, uuid.uuid4()
            )

    copy = page.copy(
        to=parent,
        update_attrs=update_attrs,
        copy_revisions=False,
        keep_live=False,
        user=user,
        reset_translation_key=reset_translation_key,
        process_child_object=pair_criteria,
    )
    copy.save_revision(user=user, clean=False)
    return copy


def _criteria_keys(programme_round):
    """The translation keys of the round's selection criteria, in order."""
    return list(
        SelectionCriterion.objects.filter(round=programme_round)
        .order_by("sort_order", "pk")
        .values_list("translation_key", flat=True)
    )


def _unique_slug(parent, slug):
    from wagtail.coreutils import find_available_slug

    return find_available_slug(parent, slug)


def _carry_over_translations(
    old_page, new_page, new_translations, years, renamed_keys=None
):
    """Give wagtail-localize the copy's strings already translated as in the
    old page, so a translator reviews only what changed. ``renamed_keys``
    maps a child object's new translation key (in a string's path) back to
    the old page's (the selection criteria)."""
    from wagtail_localize.models import (
        StringTranslation,
        Translation,
        TranslationSource,
    )

    old_source = TranslationSource.objects.filter(
        object_id=old_page.translation_key, locale_id=old_page.locale_id
    ).first()
    if old_source is None:
        return
    new_source, _created = TranslationSource.get_or_create_from_instance(new_page)
    for translation in old_source.translations.all():
        locale = translation.target_locale
        target = new_translations.get(locale.pk)
        if target is None:
            continue
        Translation.objects.get_or_create(source=new_source, target_locale=locale)
        for segment in new_source.stringsegment_set.select_related("context"):
            path = segment.context.path
            old_path = path
            for new_key, old_key in (renamed_keys or {}).items():
                old_path = old_path.replace(str(new_key), str(old_key))
            if path in ("title", "slug"):
                data = getattr(target, path)
            else:
                old = StringTranslation.objects.filter(
                    translation_of_id=segment.string_id,
                    locale=locale,
                    context__object_id=old_page.translation_key,
                    context__path=old_path,
                ).first()
                if old is None:
                    continue
                data = old.data
            StringTranslation.objects.get_or_create(
                translation_of_id=segment.string_id,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )


@transaction.atomic
def copy_round_to_next(programme_round, *, days=DEFAULT_OFFSET_DAYS, user=None):
    """Create the next round after ``programme_round`` (a round in the
    source language) as drafts: the round, its gatherings and their
    translations, every date ``days`` later, years in titles and slugs moved
    along. Returns the new round.

    Raises ``ValidationError`` (the messages of the round's and the
    gatherings' own rules) when the moved dates break them, and nothing is
    created."""
    programme_round = programme_round.specific
    sessions = list(SessionPage.objects.child_of(programme_round).order_by("path"))
    facts = _validate(programme_round, sessions, days)
    years = facts["period_start"].year - programme_round.period_start.year

    parent = programme_round.get_parent()
    title = move_years(programme_round.title, years)
    new_round = _draft_copy(
        programme_round,
        parent,
        user,
        {
            "title": title,
            "draft_title": title,
            "slug": _unique_slug(parent, move_years(programme_round.slug, years)),
            **facts,
        },
    )
    criteria_keys = dict(
        zip(
            _criteria_keys(programme_round),
            _criteria_keys(new_round),
            strict=False,
        )
    )
    new_sessions = {}
    for session in sessions:
        new_sessions[session.translation_key] = _draft_copy(
            session,
            new_round,
            user,
            {
                "start": move_moment(session.start, days),
                "end": move_moment(session.end, days),
            },
        )

    round_translations = {}
    for translated in (
        ProgramRoundPage.objects.filter(translation_key=programme_round.translation_key)
        .exclude(pk=programme_round.pk)
        .select_related("locale")
    ):
        translated_parent = translated.get_parent()
        title = move_years(translated.title, years)
        copy = _draft_copy(
            translated,
            translated_parent,
            user,
            {
                "title": title,
                "draft_title": title,
                "slug": _unique_slug(
                    translated_parent, move_years(translated.slug, years)
                ),
                "translation_key": new_round.translation_key,
                **facts,
            },
            reset_translation_key=False,
            criteria_keys=criteria_keys,
        )
        round_translations[translated.locale_id] = copy
        for session in SessionPage.objects.child_of(translated):
            source_copy = new_sessions.get(session.translation_key)
            if source_copy is None:
                continue
            session_copy = _draft_copy(
                session,
                copy,
                user,
                {
                    "start": source_copy.start,
                    "end": source_copy.end,
                    "translation_key": source_copy.translation_key,
                },
                reset_translation_key=False,
            )
            _carry_over_translations(
                session.get_translation(programme_round.locale),
                source_copy,
                {translated.locale_id: session_copy},
                years,
            )
    _carry_over_translations(
        programme_round,
        new_round,
        round_translations,
        years,
        renamed_keys={new: old for old, new in criteria_keys.items()},
    )
    return Page.objects.get(pk=new_round.pk).specific
