"""HR's matching page for a round: run the matching, read the proposed pairs
with their scores and reasons and who is unmatched and why, lock, forbid or
set pairs by hand, re-run, and publish (after a confirmation).

Every view needs ``mentoring_cms.match_participants`` (``user_can_match``),
checked here on the server: anonymous users are sent to the login page by
Wagtail's admin, signed-in users without the permission get 403.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from ..matching import engine
from ..matching.operations import (
    MatchingRefused,
    active_matches,
    capacity_of,
    labels_for,
    latest_weights,
    participants,
    remove_pair_constraint,
    run_matching,
    set_capacity,
    set_pair_constraint,
    unmatched_after_publication,
)
from ..matching.reasons import describe_pair, describe_unmatched
from ..matching.tasks import publish_and_introduce
from ..models import MatchingRun, PairConstraint, ProgramRoundPage
from ..models.localized import faculty_names, localize_titles, localized_title
from ..models.matching import MATCH_PERMISSION
from ..validators import Form as TextForm
from .views import MentoringAdminPage, allowed_only

URL_NAMESPACE = "mentoring_matching"


def user_can_match(user):
    """Whether ``user`` may run, change and publish the matching."""
    return user.is_active and user.has_perm(MATCH_PERMISSION)


match_required = allowed_only(user_can_match)


def url_name(view):
    return f"{URL_NAMESPACE}:{view}"


def matching_rounds():
    """The rounds in the default language, newest first, each with
    ``admin_title`` in the reader's language (``models.localized``)."""
    return localize_titles(
        r
        for r in ProgramRoundPage.objects.order_by(
            "-period_start", "-pk"
        ).select_related("locale")
        if r.get_source_round().pk == r.pk
    )


def label_people(applications):
    """Set ``admin_label`` on each application: "name (faculty, reference)",
    the faculty in the reader's language, so that namesakes can be told
    apart in the page's lists and choices. One query (the faculties)."""
    applications = list(applications)
    faculties = faculty_names()
    for application in applications:
        details = [
            faculties.get(application.faculty_id, ""),
            application.reference or "",
        ]
        details = ", ".join(part for part in details if part)
        application.admin_label = (
            f"{application.full_name} ({details})" if details else application.full_name
        )
    return applications


class WeightsForm(TextForm):
    """The soft rules' weights of a run (defaults: ``engine.Weights``)."""

    same_track = forms.FloatField(
        label=gettext_lazy("Same track"), min_value=0, max_value=100
    )
    topic = forms.FloatField(
        label=gettext_lazy("Each shared topic"), min_value=0, max_value=100
    )
    language = forms.FloatField(
        label=gettext_lazy("A shared language"), min_value=0, max_value=100
    )
    wish = forms.FloatField(
        label=gettext_lazy("A wish met"), min_value=0, max_value=100
    )
    avoidance = forms.FloatField(
        label=gettext_lazy("Penalty for each avoidance broken"),
        min_value=0,
        max_value=1000,
    )
    avoidances_hard = forms.BooleanField(
        label=gettext_lazy("Never break an avoidance"), required=False
    )


class PairForm(TextForm):
    mentor = forms.IntegerField()
    mentee = forms.IntegerField()
    kind = forms.ChoiceField(choices=PairConstraint.Kind.choices)


class CapacityForm(TextForm):
    mentor = forms.IntegerField()
    capacity = forms.IntegerField(min_value=1, max_value=10)


class RoundMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.round = get_object_or_404(ProgramRoundPage, pk=kwargs["round_id"])

    def get_page_subtitle(self):
        return localized_title(self.round)

    def round_url(self):
        return reverse(url_name("round"), args=[self.round.pk])


class MatchingIndexView(MentoringAdminPage):
    """The rounds to match; goes straight to the newest one."""

    page_title = gettext_lazy("Matching")

    def get(self, request, *args, **kwargs):
        rounds = matching_rounds()
        if rounds:
            return redirect(url_name("round"), rounds[0].pk)
        messages.error(request, _("There is no round to match yet."))
        return redirect("wagtailadmin_home")


def round_runs(programme_round):
    """Every proposal of ``programme_round`` (any language of the round),
    newest first, each with ``pair_count``, who ran it and ``number``: its
    place in the round's own sequence (1 for the round's first run, whatever
    other rounds have run). One query."""
    runs = list(
        MatchingRun.objects.filter(
            round__translation_key=programme_round.translation_key
        )
        .select_related("created_by")
        .annotate(pair_count=Count("pairs"))
        .order_by("-created_at", "-pk")
    )
    for number, run in enumerate(reversed(runs), start=1):
        run.number = number
    return runs


def run_number(run):
    """``run``'s number within its round (see ``round_runs``). One query."""
    return (
        MatchingRun.objects.filter(
            round__translation_key=run.round.translation_key,
            created_at__lte=run.created_at,
        )
        .exclude(created_at=run.created_at, pk__gt=run.pk)
        .count()
    )


class MatchingRoundView(RoundMixin, MentoringAdminPage):
    """The round's matching page: the newest proposal, or with ``run_id``
    an earlier one (404 when it is not a proposal of this round), and the
    list of every proposal."""

    template_name = "mentoring_cms/admin/matching.html"
    page_title = gettext_lazy("Matching")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme_round = self.round
        mentors, mentees = participants(programme_round)
        people = {a.pk: a for a in (*mentors, *mentees)}
        runs = round_runs(programme_round)
        run = runs[0] if runs else None
        if "run_id" in self.kwargs:
            run = next((r for r in runs if r.pk == self.kwargs["run_id"]), None)
            if run is None:
                raise Http404
        matches = list(active_matches(programme_round))
        for match in matches:
            people.setdefault(match.mentor_id, match.mentor)
            people.setdefault(match.mentee_id, match.mentee)
        constraints = list(
            PairConstraint.objects.filter(
                round__translation_key=programme_round.translation_key
            ).select_related("mentor", "mentee")
        )
        for constraint in constraints:
            people.setdefault(constraint.mentor_id, constraint.mentor)
            people.setdefault(constraint.mentee_id, constraint.mentee)
        pairs = list(run.pairs.select_related("mentor", "mentee")) if run else []
        for pair in pairs:
            people.setdefault(pair.mentor_id, pair.mentor)
            people.setdefault(pair.mentee_id, pair.mentee)
        label_people(
            [
                *people.values(),
                *(p for m in matches for p in (m.mentor, m.mentee)),
                *(p for c in constraints for p in (c.mentor, c.mentee)),
                *(p for pair in pairs for p in (pair.mentor, pair.mentee)),
            ]
        )
        labels = labels_for(programme_round, people.values())
        constraint_by_pair = {(c.mentor_id, c.mentee_id): c for c in constraints}
        context.update(
            {
                "round": programme_round,
                "rounds": matching_rounds(),
                "mentors": mentors,
                "mentees": mentees,
                "run": run,
                "runs": runs,
                "is_latest": bool(runs) and run == runs[0],
                "pairs": [
                    {
                        "pair": pair,
                        "text": describe_pair(pair.reasons, labels),
                        "constraint": constraint_by_pair.get(
                            (pair.mentor_id, pair.mentee_id)
                        ),
                    }
                    for pair in pairs
                ],
                "unmatched": [
                    {
                        "person": people.get(item["participant_id"]),
                        "role": item["role"],
                        "text": describe_unmatched(item, labels),
                    }
                    for item in (run.unmatched if run else [])
                ],
                "constraints": constraints,
                "matches": [
                    {"match": m, "text": describe_pair(m.reasons, labels)}
                    for m in matches
                ],
                "broken": unmatched_after_publication(programme_round),
                "weights_form": WeightsForm(
                    initial=latest_weights(programme_round).as_dict()
                ),
                "kinds": PairConstraint.Kind,
                "capacities": {a.pk: capacity_of(a) for a in mentors},
            }
        )
        return context


class RunView(RoundMixin, View):
    def post(self, request, round_id):
        form = WeightsForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("The weights must be numbers within their limits.")
            )
            return redirect(self.round_url())
        try:
            run_matching(
                self.round,
                user=request.user,
                weights=engine.Weights(**form.cleaned_data),
            )
        except MatchingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The matching has made a new proposal."))
        return redirect(self.round_url())


class ConstraintView(RoundMixin, View):
    def post(self, request, round_id):
        form = PairForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a mentor, a mentee and what to do."))
            return redirect(self.round_url())
        try:
            set_pair_constraint(
                self.round,
                mentor_id=form.cleaned_data["mentor"],
                mentee_id=form.cleaned_data["mentee"],
                kind=form.cleaned_data["kind"],
                user=request.user,
            )
        except MatchingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Saved. Run the matching again to apply it."))
        return redirect(self.round_url())


class ReleaseView(RoundMixin, View):
    def post(self, request, round_id, pk):
        if remove_pair_constraint(self.round, constraint_id=pk, user=request.user):
            messages.success(
                request, _("Released. Run the matching again to apply it.")
            )
        return redirect(self.round_url())


class CapacityView(RoundMixin, View):
    def post(self, request, round_id):
        form = CapacityForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("A mentor takes between 1 and 10 mentees."))
            return redirect(self.round_url())
        try:
            set_capacity(
                self.round,
                mentor_id=form.cleaned_data["mentor"],
                capacity=form.cleaned_data["capacity"],
                user=request.user,
            )
        except MatchingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Saved. Run the matching again to apply it."))
        return redirect(self.round_url())


class PublishView(RoundMixin, MentoringAdminPage):
    """Asks for confirmation (GET), then publishes (POST)."""

    template_name = "mentoring_cms/admin/matching_publish.html"
    page_title = gettext_lazy("Publish the pairs")
    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.run = get_object_or_404(
            MatchingRun,
            pk=kwargs["run_id"],
            round__translation_key=self.round.translation_key,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "round": self.round,
                "run": self.run,
                "number": run_number(self.run),
                "pair_count": self.run.pairs.count(),
                "round_url": self.round_url(),
            }
        )
        return context

    def post(self, request, round_id, run_id):
        if not request.POST.get("confirm"):
            messages.error(request, _("Confirm that the pairs are to be published."))
            return redirect(self.round_url())
        try:
            created = publish_and_introduce(self.run, user=request.user)
        except MatchingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _(
                    "The pairs are published; %(count)s new pairs get their "
                    "introduction emails."
                )
                % {"count": len(created)},
            )
        return redirect(self.round_url())


def admin_urls():
    """The matching page's URLs (``register_admin_urls``)."""

    def view(view_class):
        return match_required(view_class.as_view())

    urls = [
        path("", view(MatchingIndexView), name="index"),
        path("<int:round_id>/", view(MatchingRoundView), name="round"),
        path(
            "<int:round_id>/proposals/<int:run_id>/",
            view(MatchingRoundView),
            name="proposal",
        ),
        path("<int:round_id>/run/", view(RunView), name="run"),
        path("<int:round_id>/pairs/", view(ConstraintView), name="constraint"),
        path(
            "<int:round_id>/pairs/<int:pk>/release/",
            view(ReleaseView),
            name="release",
        ),
        path("<int:round_id>/capacity/", view(CapacityView), name="capacity"),
        path(
            "<int:round_id>/publish/<int:run_id>/",
            view(PublishView),
            name="publish",
        ),
    ]
    return [path("mentoring/matching/", include((urls, URL_NAMESPACE)))]


class MatchingMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_match(request.user)


def menu_item():
    return MatchingMenuItem(
        gettext_lazy("Matching"),
        reverse(url_name("index")),
        name="mentoring-matching",
        icon_name="group",
        order=30,
    )


def permissions_to_register():
    return Permission.objects.filter(
        content_type__app_label="mentoring_cms", codename="match_participants"
    )
