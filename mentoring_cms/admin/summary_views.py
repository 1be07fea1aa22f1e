"""The round summary page and its panel on the admin dashboard."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from ..participation.summary import missed_mandatory_gatherings
from ..url_names import url_name
from .participation import participation_url
from .summary import default_round, round_summary, summary_rounds
from .views import ApplicationsSubpage


class RoundSummaryView(ApplicationsSubpage):
    template_name = "mentoring_cms/admin/round_summary.html"
    page_title = gettext_lazy("Round summary")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = summary_rounds()
        wanted = self.request.GET.get("round")
        chosen = next((r for r in rounds if str(r.translation_key) == wanted), None)
        if wanted and chosen is None:
            # An unknown round is refused, never replaced by the default.
            raise Http404
        chosen = chosen or default_round(rounds)
        context["rounds"] = rounds
        context["summary"] = round_summary(chosen) if chosen else None
        context["index_url"] = reverse(url_name("index"))
        # Flagged here so HR sees it with the round's numbers (issue 16).
        context["missed_mandatory"] = (
            missed_mandatory_gatherings(chosen) if chosen else []
        )
        context["participation_url"] = participation_url(chosen)
        return context


class RoundSummaryPanel(Component):
    """The latest round's numbers on the admin dashboard, for reviewers."""

    name = "mentoring_round_summary"
    template_name = "mentoring_cms/admin/round_summary_panel.html"
    order = 90

    class Media:
        # The summary's tables scroll sideways on a phone.
        css = {"all": ["mentoring_cms/css/admin.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        chosen = default_round(summary_rounds())
        context["summary"] = round_summary(chosen) if chosen else None
        context["summary_url"] = reverse(url_name("summary"))
        return context
