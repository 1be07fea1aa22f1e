"""Fewer queries on the way to a public page.

Wagtail fetches each page on the URL path twice (the page row, then its
specific row) and checks view restrictions in two queries. The plugin's
pages do each in one; a site can put the mixin on its own home page too.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, PageViewRestriction


class LeanServeMixin:
    def route(self, request, path_components):
        """Route to a child with its specific row and its locale joined in
        (``select_related`` on the multi-table child types) instead of a
        second ``.specific`` query and a third for ``page.locale``.

        On a ``RoutablePageMixin`` page, put that mixin first so that its
        routes are tried before the children (no query)."""
        if not path_components:
            return super().route(request, path_components)
        names = [
            model._meta.model_name
            for model in type(self).allowed_subpage_models()
            if Page in model._meta.parents
        ]
        subpage = (
            self.get_children()
            .filter(slug=path_components[0])
            .select_related("locale", *names)
            .first()
        )
        if subpage is None:
            # Not a child page: a route of a RoutablePageMixin page, or a 404.
            return super().route(request, path_components)
        specific = None
        for name in names:
            candidate = getattr(subpage, name, None)
            if candidate is not None and (
                ContentType.objects.get_for_model(candidate).pk
                == subpage.content_type_id
            ):
                specific = candidate
                break
        if specific is None:
            specific = subpage.specific
        specific._cached_parent_obj = self
        # Hooks ask for the page's language; it came with the same query.
        specific.locale = subpage.locale
        return specific.route(request, path_components[1:])

    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors (aliases resolved to
        their source pages, as Wagtail does) in one query."""
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values(
            "alias_of_id"
        )
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True)
            | Q(page_id__in=sources)
        )


def share_parent_url(parent, children, request=None):
    """Let ``children`` of ``parent`` build their URLs from the parent's
    (Wagtail's URL of a child page is its parent's plus its slug) instead of
    each resolving the site and reversing the serve view again."""
    parts = parent.get_url_parts(request)
    if parts is None or parts[2] is None:
        return
    for child in children:
        child._parent_url_parts = parts


class ChildUrlMixin:
    def get_url_parts(self, request=None):
        parts = getattr(self, "_parent_url_parts", None)
        if parts is None:
            return super().get_url_parts(request)
        site_id, root_url, parent_path = parts
        # Percent-encoded as Wagtail's own URLs are (a non-ASCII slug).
        return site_id, root_url, f"{parent_path}{iri_to_uri(self.slug)}/"
