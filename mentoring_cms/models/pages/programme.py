"""The landing page of a mentoring programme."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ...page_cache import PageCacheMixin
from ...translation_sync import synchronized_facts
from ..questions import ProgrammeFormsMixin
from ..serving import LeanServeMixin, share_parent_url
from .common import (
    ContactPersonsMixin,
    FactsPageForm,
    RoundStatus,
    cap_at_status_changes,
)
from .round import ProgramRoundPage, find_round


class ProgramPage(
    PageCacheMixin, LeanServeMixin, ContactPersonsMixin, ProgrammeFormsMixin, Page
):
    """The landing page of one mentoring programme: what it is for, who it is
    for, how it runs, and which round applicants can join now or next."""

    intro = RichTextField(_("introduction"), blank=True)
    purpose = RichTextField(_("purpose"), blank=True)
    mentee_role = RichTextField(_("the mentee role"), blank=True)
    mentor_role = RichTextField(_("the mentor role"), blank=True)
    programme_format = RichTextField(
        _("how the programme runs"),
        blank=True,
        help_text=_("Gatherings, places, meetings and what participants commit to."),
    )
    topics = RichTextField(_("topics of the gatherings"), blank=True)
    how_to_apply = RichTextField(_("how to apply"), blank=True)
    organisation = RichTextField(_("organisation"), blank=True)
    no_round_text = RichTextField(
        _("text when no round is scheduled"),
        blank=True,
        help_text=_("Shown when no round is open, running or planned."),
    )
    # Topics applicants choose from for the matching (issue 15); empty: the
    # plugin's default list (``matching.topics``). Block ids identify topics
    # across languages and renamings.
    matching_topics = StreamField(
        [("topic", blocks.CharBlock(label=_("Topic"), max_length=120))],
        verbose_name=_("topics for matching mentors and mentees"),
        blank=True,
        help_text=_("Leave empty to offer the default topics."),
    )
    notification_email = models.EmailField(
        _("HR notification address"),
        blank=True,
        help_text=_("New applications are announced to this address."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("purpose"),
        FieldPanel("mentee_role"),
        FieldPanel("mentor_role"),
        FieldPanel("programme_format"),
        FieldPanel("topics"),
        FieldPanel("how_to_apply"),
        FieldPanel("organisation"),
        FieldPanel("no_round_text"),
        FieldPanel("matching_topics"),
        InlinePanel("contact_person_links", label=_("Contact persons")),
        *ProgrammeFormsMixin.application_form_panels,
    ]
    settings_panels = Page.settings_panels + [FieldPanel("notification_email")]

    # The same in every language (see ``translation_sync``).
    fact_fields = ("notification_email",)
    override_translatable_fields = synchronized_facts(*fact_fields)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("purpose"),
        index.SearchField("mentee_role"),
        index.SearchField("mentor_role"),
    ]

    base_form_class = FactsPageForm
    subpage_types = ["mentoring_cms.ProgramRoundPage", "mentoring_cms.ContactPage"]

    class Meta:
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")

    def route(self, request, path_components):
        # Most requests under a programme are for a round (its page and every
        # step of the applications): fetch the round with its own fields, its
        # locale and whether any view restriction applies to it in one query,
        # rather than Wagtail's two for the page, one for its locale and two
        # for its view restrictions.
        if path_components:
            programme_round = find_round(self, path_components[:1])
            if programme_round is not None:
                programme_round._cached_parent_obj = self
                return programme_round.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_rounds(self):
        return (
            ProgramRoundPage.objects.child_of(self)
            .live()
            .defer_streamfields()
            .order_by("-period_start")
        )

    def pick_featured_round(self, rounds, now=None):
        """The round to show first: one open for applications, else one
        running, else the next planned one."""
        now = now or timezone.now()
        by_status = {}
        for programme_round in rounds:
            by_status.setdefault(programme_round.status_at(now), []).append(
                programme_round
            )
        for status in (RoundStatus.OPEN, RoundStatus.RUNNING, RoundStatus.CLOSED):
            if by_status.get(status):
                return by_status[status][0]
        planned = sorted(
            by_status.get(RoundStatus.PLANNED, []), key=lambda r: r.period_start
        )
        return planned[0] if planned else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        rounds = list(self.get_rounds())
        share_parent_url(self, rounds, request)
        self._context_rounds = rounds
        context["rounds"] = rounds
        context["featured_round"] = self.pick_featured_round(rounds)
        context["contact_persons"] = self.get_contact_persons()
        return context

    def get_page_cache_timeout(self):
        rounds = getattr(self, "_context_rounds", None)
        if rounds is None:
            rounds = list(self.get_rounds())
        return cap_at_status_changes(super().get_page_cache_timeout(), rounds)
