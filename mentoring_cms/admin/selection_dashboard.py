"""HR's selection pages: the ranking per role (accept or waitlist from it)
and the selection dashboard with its charts.

The charts are SVG drawn on the server from the same numbers as the table
under each of them (the text equivalent); there is no script. Every number
in the tables links to HR's listing filtered to the applications it
counts.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages

from ..models import Application
from ..selection import access, operations
from ..selection.ranking import review_progress, role_ranking
from ..url_names import url_name as listing_url_name
from .filters import listing_url
from .listing import annotated_applications
from .selection import SelectionPage, selection_forbidden, selection_url
from .selection_forms import RankingDecisionForm

Status = Application.Status


def chosen_round(request):
    """The round of ``?round=<translation key>`` (or ``round`` posted), else
    the current one. Raises ``Http404`` for a ``round`` that names no round:
    never the current round's applications instead."""
    data = request.POST if request.method == "POST" else request.GET
    wanted = data.get("round")
    rounds = list(access.source_rounds())
    if not wanted:
        return rounds, access.current_round()
    chosen = next((r for r in rounds if str(r.translation_key) == wanted), None)
    if chosen is None:
        raise Http404
    return rounds, chosen


# Ranking --------------------------------------------------------------------


class RankingView(SelectionPage):
    template_name = "mentoring_cms/admin/selection/ranking.html"
    page_title = gettext_lazy("Ranking")
    header_icon = "order"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds, programme_round = chosen_round(self.request)
        role = self.request.GET.get("role")
        if role not in Application.Role.values:
            role = Application.Role.MENTEE
        context["rounds"] = rounds
        context["round"] = programme_round
        context["role"] = role
        context["roles"] = (
            [
                (value, label, f"?round={programme_round.translation_key}&role={value}")
                for value, label in Application.Role.choices
            ]
            if programme_round
            else []
        )
        if programme_round is not None:
            ranking = role_ranking(
                programme_round, role, annotated_applications(Application.objects)
            )
            for position, row in enumerate(ranking.rows, start=1):
                row.position = position
                row.detail_url = reverse(listing_url_name("edit"), args=[row.pk])
                row.decide_url = selection_url("ranking_decide", row.pk)
            context["ranking"] = ranking
        context["form"] = RankingDecisionForm()
        return context


class RankingDecideView(View):
    """Accept or waitlist one application from the ranking."""

    http_method_names = ["post"]

    def post(self, request, pk):
        application = (
            Application.objects.select_related("round", "faculty")
            .filter(pk=pk, anonymised_at__isnull=True)
            .first()
        )
        if application is None:
            return selection_forbidden(request)
        back = (
            f"{selection_url('ranking')}?round={application.round.translation_key}"
            f"&role={application.role}"
        )
        form = RankingDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("From the ranking, accept or waitlist."))
            return redirect(back)
        try:
            operations.decide_from_ranking(
                application,
                form.cleaned_data["status"],
                user=request.user,
                notify=form.cleaned_data["notify"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Application %(ref)s is now “%(status)s”.")
                % {"ref": application, "status": application.get_status_display()},
            )
        return redirect(back)


# Dashboard ------------------------------------------------------------------

# Geometry of the charts, in SVG user units (the SVG scales to its box).
CHART_WIDTH = 640
LABEL_WIDTH = 250
BAR_AREA = 300
ROW_HEIGHT = 32
LABEL_CHARS = 32


@dataclass
class Bar:
    """One row of a chart and of its table: ``value`` of ``total``. ``url``
    lists the applications ``value`` counts; ``total_url`` those the total
    is about (a quota or places: the applications competing for them), and
    ``total_hint`` says so to a screen reader."""

    label: str
    value: int
    total: int
    url: str
    total_url: str = ""
    total_hint: str = ""
    y: int = 0

    @property
    def short_label(self):
        if len(self.label) <= LABEL_CHARS:
            return self.label
        return self.label[: LABEL_CHARS - 1] + "…"

    def width(self, scale):
        return round(self.value * scale)

    def total_width(self, scale):
        return round(self.total * scale)


@dataclass
class Chart:
    """A horizontal bar chart: each bar shows a value against its total
    (drawn as the pale track behind it)."""

    key: str
    title: str
    description: str
    value_heading: str
    total_heading: str
    bars: list

    def __post_init__(self):
        largest = max([1, *(max(bar.value, bar.total) for bar in self.bars)])
        self.scale = BAR_AREA / largest
        for index, bar in enumerate(self.bars):
            bar.y = index * ROW_HEIGHT
            bar.bar_width = bar.width(self.scale)
            bar.track_width = bar.total_width(self.scale)

    @property
    def height(self):
        return max(len(self.bars), 1) * ROW_HEIGHT

    label_width = LABEL_WIDTH
    width = CHART_WIDTH
    bar_x = LABEL_WIDTH + 10
    value_x = LABEL_WIDTH + BAR_AREA + 20


def nominations_chart(programme_round):
    """Mentees holding a nomination per faculty, against the quota."""
    lines = access.faculty_nominations(programme_round, access.default_faculties())
    bars = [
        Bar(
            label=line.name,
            value=line.nominated,
            total=line.quota,
            url=listing_url(
                programme_round,
                role=Application.Role.MENTEE,
                faculty=line.faculty.translation_key,
                status=list(Application.NOMINATION_STATUSES),
            ),
            total_url=listing_url(
                programme_round,
                role=Application.Role.MENTEE,
                faculty=line.faculty.translation_key,
            ),
            total_hint=_("quota; lists the faculty's mentee applications"),
        )
        for line in lines
    ]
    return Chart(
        key="nominations",
        title=_("Nominations per faculty"),
        description=_(
            "Mentees each faculty has nominated (nominated, waitlisted or "
            "accepted), against the quota of %(quota)s."
        )
        % {"quota": programme_round.faculty_quota},
        value_heading=_("Nominated"),
        total_heading=_("Quota"),
        bars=bars,
    )


def places_chart(programme_round):
    """Accepted applicants per role, against the round's places."""
    accepted = dict(
        Application.objects.filter(
            round__translation_key=programme_round.translation_key,
            status=Status.ACCEPTED,
        )
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
        .order_by()
    )
    places = {
        Application.Role.MENTEE: programme_round.mentee_places,
        Application.Role.MENTOR: programme_round.mentor_places,
    }
    bars = [
        Bar(
            label=str(role.label),
            value=accepted.get(role, 0),
            total=places[role],
            url=listing_url(programme_round, role=role, status=Status.ACCEPTED),
            total_url=listing_url(programme_round, role=role),
            total_hint=_("places; lists every application in this role"),
        )
        for role in Application.Role
    ]
    return Chart(
        key="places",
        title=_("Places filled per role"),
        description=_("Accepted applicants in each role, against the places."),
        value_heading=_("Accepted"),
        total_heading=_("Places"),
        bars=bars,
    )


def progress_chart(programme_round):
    """Applications the committee scores, with enough reviews and short."""
    progress = review_progress(programme_round)
    bars = [
        Bar(
            label=_("Fewer than %(count)s reviews") % {"count": progress.wanted},
            value=progress.incomplete,
            total=progress.total,
            url=listing_url(programme_round, reviews="incomplete"),
            total_url=listing_url(programme_round, reviews="all"),
            total_hint=_("lists every application the committee scores"),
        ),
        Bar(
            label=_("%(count)s reviews or more") % {"count": progress.wanted},
            value=progress.complete,
            total=progress.total,
            url=listing_url(programme_round, reviews="complete"),
            total_url=listing_url(programme_round, reviews="all"),
            total_hint=_("lists every application the committee scores"),
        ),
    ]
    return Chart(
        key="progress",
        title=_("Review progress"),
        description=_(
            "Nominated mentees and undecided mentor applications, by how many "
            "committee reviews they have."
        ),
        value_heading=_("Applications"),
        total_heading=_("Of"),
        bars=bars,
    )


class DashboardView(SelectionPage):
    template_name = "mentoring_cms/admin/selection/dashboard.html"
    page_title = gettext_lazy("Selection dashboard")
    header_icon = "view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds, programme_round = chosen_round(self.request)
        context["rounds"] = rounds
        context["round"] = programme_round
        if programme_round is not None:
            context["charts"] = [
                nominations_chart(programme_round),
                places_chart(programme_round),
                progress_chart(programme_round),
            ]
        return context
