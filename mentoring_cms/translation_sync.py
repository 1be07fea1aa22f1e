"""Keeping the translated page trees whole and their facts equal to the source.

Two things wagtail-localize leaves to the site:

* A translation published when its transaction commits writes back the copy
  of the page taken when its revision was saved, children count included;
  a round translated with its subtree then claims to have no children
  (wagtail-localize issue #773), and the explorer and the site's routing,
  which trust ``numchild``, lose the translated gatherings.
  ``correct_numchild`` recounts the children of every page that is
  published; ``repair_page_tree`` (and the ``repair_page_tree`` management
  command) mends trees broken before.
* Facts are the same in every language: a page model names them in
  ``fact_fields``, wagtail-localize keeps them as synchronised, not
  overridable fields, and ``copy_facts_to_translations`` writes them to every
  translation as soon as the source page is published, whether the
  translation is live, a draft, or live with a draft pending. Texts are
  never touched, and nothing that was not live before is published.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Locale, Page
from wagtail_localize.fields import SynchronizedField

from . import page_cache


def fact_fields_of(model):
    """The names of the language-independent fields of a page model (its
    ``fact_fields``), or an empty tuple."""
    return tuple(getattr(model, "fact_fields", ()))


def synchronized_facts(*names):
    """``override_translatable_fields`` for a page model whose ``names`` are
    facts: synchronised from the source and not overridable, so that the
    translation editor offers no way to change them."""
    return [SynchronizedField(name, overridable=False) for name in names]


# Children counts -----------------------------------------------------------


def _children_count():
    return Coalesce(
        Subquery(
            Page.objects.filter(
                path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
            )
            .order_by()
            .values("depth")
            .annotate(count=Count("pk"))
            .values("count")[:1]
        ),
        0,
    )


def correct_numchild(page):
    """Set ``page.numchild`` (in the database and on ``page``) to the number of
    its children when it differs. Returns True when it was wrong."""
    actual = Page.objects.filter(
        path__startswith=page.path, depth=page.depth + 1
    ).count()
    stored = Page.objects.filter(pk=page.pk).values_list("numchild", flat=True).first()
    page.numchild = actual
    if stored is None or stored == actual:
        return False
    Page.objects.filter(pk=page.pk).update(numchild=actual)
    return True


def repair_page_tree():
    """Correct the ``numchild`` of every page whose value differs from its
    real number of children. Idempotent; returns the repaired pages as a
    list of ``(page id, title, wrong count, right count)``."""
    with transaction.atomic():
        wrong = list(
            Page.objects.annotate(actual=_children_count())
            .exclude(numchild=F("actual"))
            .values_list("pk", "title", "numchild", "actual")
        )
        for pk, _title, _stored, actual in wrong:
            Page.objects.filter(pk=pk).update(numchild=actual)
    if wrong:
        page_cache.invalidate()
    return wrong


def numchild_after_publish(sender, instance=None, **kwargs):
    """``page_published`` receiver: see the module docstring (#773)."""
    if instance is not None and correct_numchild(instance):
        page_cache.invalidate()


# Facts ---------------------------------------------------------------------


def is_translation_source(page):
    """Whether ``page`` is the source its translations are made from: the
    locale wagtail-localize translates it from, or the default language
    when it was never submitted for translation."""
    from wagtail_localize.models import TranslationSource

    locales = set(
        TranslationSource.objects.filter(object_id=page.translation_key).values_list(
            "locale_id", flat=True
        )
    )
    if locales:
        return page.locale_id in locales
    return page.locale_id == Locale.get_default().pk


def _update_frozen_source(page, names):
    """Put the facts of ``page`` into wagtail-localize's frozen copy of it, so
    that publishing a translation later copies today's facts, not those of
    the day it was submitted."""
    from wagtail_localize.models import TranslationSource

    data = page.serializable_data()
    for source in TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ):
        content = json.loads(source.content_json)
        if all(content.get(name) == data.get(name) for name in names):
            continue
        content.update({name: data.get(name) for name in names})
        source.content_json = json.dumps(content, cls=DjangoJSONEncoder)
        source.save(update_fields=["content_json"])


def _differs(obj, facts):
    return any(getattr(obj, name) != value for name, value in facts.items())


def copy_facts(source, translation, names):
    """Copy the fields ``names`` of ``source`` to ``translation`` (both
    specific pages of one model): its live row at once, its latest revision
    through a new revision. A live translation with no pending draft is
    republished (its text is the text already live); a pending draft stays a
    draft. Returns True when anything changed."""
    facts = {name: getattr(source, name) for name in names}
    latest = translation.get_latest_revision()
    draft = latest.as_object() if latest is not None else None
    row_differs = _differs(translation, facts)
    draft_differs = draft is not None and _differs(draft, facts)
    if not row_differs and not draft_differs:
        return False
    if row_differs:
        type(translation).objects.filter(pk=translation.pk).update(**facts)
        for name, value in facts.items():
            setattr(translation, name, value)
    if draft_differs:
        for name, value in facts.items():
            setattr(draft, name, value)
        was_published_as_is = (
            translation.live and not translation.has_unpublished_changes
        )
        revision = draft.save_revision(clean=False, changed=False)
        if was_published_as_is:
            revision.publish(skip_permission_checks=True)
    return True


def facts_after_publish(sender, instance=None, **kwargs):
    """``page_published`` receiver: the source's facts go to every
    translation (see the module docstring)."""
    if instance is None:
        return
    names = fact_fields_of(type(instance))
    if not names:
        return
    translations = list(
        type(instance)
        .objects.filter(translation_key=instance.translation_key)
        .exclude(pk=instance.pk)
        # Wagtail keeps aliases equal to their source itself.
        .filter(alias_of__isnull=True)
    )
    if not translations or not is_translation_source(instance):
        return
    changed = False
    with transaction.atomic():
        _update_frozen_source(instance, names)
        for translation in translations:
            changed |= copy_facts(instance, translation, names)
    if changed:
        page_cache.invalidate()
