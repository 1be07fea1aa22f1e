"""Content changes that empty the page cache (see ``page_cache.py``), and
what follows a page's publication in its translations (see
``translation_sync.py``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache, translation_sync
from .models import ApplicationForm, ContactPerson, Faculty


def _content_changed(sender, instance=None, **kwargs):
    # A view restriction added, changed (its type or password) or removed,
    # on any page: who may see that page and every page below it changes.
    if isinstance(
        instance,
        Page
        | Site
        | Locale
        | ContactPerson
        | Faculty
        | ApplicationForm
        | PageViewRestriction,
    ):
        page_cache.invalidate()


def _restriction_groups_changed(sender, action, **kwargs):
    # The groups of a "users in specific groups" restriction.
    if action in ("post_add", "post_remove", "post_clear"):
        page_cache.invalidate()


def connect():
    dispatch_uid = "mentoring_cms_page_cache"
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_cache.invalidate, dispatch_uid=dispatch_uid)
    # Any model: Page subclasses send these with their own class as sender.
    post_save.connect(_content_changed, dispatch_uid=dispatch_uid)
    post_delete.connect(_content_changed, dispatch_uid=dispatch_uid)
    m2m_changed.connect(
        _restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid=dispatch_uid,
    )
    page_published.connect(
        translation_sync.numchild_after_publish,
        dispatch_uid="mentoring_cms_numchild_after_publish",
    )
    page_published.connect(
        translation_sync.facts_after_publish,
        dispatch_uid="mentoring_cms_facts_after_publish",
    )
