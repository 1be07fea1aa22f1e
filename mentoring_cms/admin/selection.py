"""The selection pages of faculty coordinators and the selection committee.

A coordinator sees only the mentee applications of her own faculties in the
current round (``selection.access.coordinator_applications``), and nominates
from them; a reviewer sees the applications the committee scores. Every
view looks its application up in the user's own queryset: any other id,
existing or not, gets the same 403 and nothing changes. HR's pages (the
ranking and the dashboard) are in ``admin.selection_dashboard``.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import ConflictOfInterest, Faculty, Nomination, Review
from ..models.topics import application_topics
from ..permissions import user_can_review
from ..questions.describe import describe_application
from ..selection import access, operations
from .application_views import AttachmentView
from .listing import annotated_applications
from .selection_forms import ConflictForm, NominationForm, ReviewForm

NAME = "mentoring_selection"


def selection_url(view, *args):
    return reverse(f"{NAME}:{view}", args=args)


def selection_forbidden(request):
    return TemplateResponse(
        request, "mentoring_cms/admin/selection/forbidden.html", status=403
    )


class SelectionPage(WagtailAdminTemplateMixin, TemplateView):
    """An admin page of the selection with its own breadcrumbs."""

    parent_label = None
    parent_view = None

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.parent_view:
            items.append(
                {"url": selection_url(self.parent_view), "label": self.parent_label}
            )
        return items + [{"url": "", "label": self.get_page_title()}]


class ScopedApplicationMixin:
    """The application of the URL, looked up only among those ``scope()``
    lets the user see; anything else gets a 403 before any work is done."""

    def scope(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.application = (
            self.scope()
            .select_related("round", "faculty")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if self.application is None:
            return selection_forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, error):
        messages.error(self.request, " ".join(error.messages))


# Coordinators -------------------------------------------------------------


class CoordinatorScope(ScopedApplicationMixin):
    def scope(self):
        return access.coordinator_applications(
            self.request.user, access.current_round()
        )

    def detail_url(self, fragment=""):
        url = selection_url("coordinator_detail", self.application.pk)
        return f"{url}#{fragment}" if fragment else url


def nomination_context(user, programme_round):
    """What a coordinator's pages show about her nominations in a round."""
    faculties = access.coordinator_faculties(user)
    return {
        "round": programme_round,
        "nominations": access.faculty_nominations(programme_round, faculties)
        if programme_round
        else [],
        "nominations_open": programme_round is not None
        and programme_round.nominations_open_at(timezone.now()),
    }


class CoordinatorIndexView(SelectionPage):
    template_name = "mentoring_cms/admin/selection/coordinator_index.html"
    page_title = gettext_lazy("Nominations")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        programme_round = access.current_round()
        context.update(nomination_context(user, programme_round))
        context["applications"] = (
            annotated_applications(
                access.coordinator_applications(user, programme_round)
            )
            .defer("answers")
            .annotate(
                nominated_now=Exists(
                    Nomination.objects.filter(
                        application=OuterRef("pk"), withdrawn_at__isnull=True
                    )
                )
            )
            .order_by("faculty__name", "-submitted_at", "-pk")
        )
        return context


class CoordinatorDetailView(CoordinatorScope, SelectionPage):
    template_name = "mentoring_cms/admin/selection/coordinator_detail.html"
    header_icon = "form"
    parent_view = "coordinator_index"
    parent_label = gettext_lazy("Nominations")

    def get_page_title(self):
        return _("Application %(reference)s") % {"reference": self.application}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        context.update(nomination_context(self.request.user, application.round))
        nomination = operations.active_nomination(application)
        open_now = context["nominations_open"]
        context.update(
            {
                "application": application,
                "sections": describe_application(
                    application,
                    Faculty.objects.choices(),
                    application_topics(application),
                ),
                "nomination": nomination,
                "can_nominate": open_now
                and nomination is None
                and application.status
                in (application.Status.SUBMITTED, application.Status.UNDER_REVIEW),
                "can_withdraw": open_now
                and nomination is not None
                and application.status == application.Status.NOMINATED,
                "form": kwargs.get("form") or NominationForm(),
                "nominate_url": selection_url("nominate", application.pk),
                "withdraw_url": selection_url("withdraw", application.pk),
                "attachment_url": selection_url(
                    "coordinator_attachment", application.pk
                ),
            }
        )
        return context


class NominateView(CoordinatorScope, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = NominationForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.detail_url("nomination"))
        try:
            operations.nominate(
                self.application,
                user=request.user,
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            self.refuse(error)
        else:
            messages.success(
                request,
                _("Application %(reference)s is nominated.")
                % {"reference": self.application},
            )
        return redirect(self.detail_url("nomination"))


class WithdrawView(CoordinatorScope, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            operations.withdraw_nomination(self.application, user=request.user)
        except ValidationError as error:
            self.refuse(error)
        else:
            messages.success(
                request,
                _("The nomination of application %(reference)s is withdrawn.")
                % {"reference": self.application},
            )
        return redirect(self.detail_url("nomination"))


class ScopedAttachmentView(AttachmentView):
    """HR's download of the applicant's PDF (with its check of the file),
    for an application of the user's own scope."""

    def get_object(self):
        return self.application


class CoordinatorAttachmentView(CoordinatorScope, ScopedAttachmentView):
    pass


# Reviewers ----------------------------------------------------------------


class ReviewerScope(ScopedApplicationMixin):
    def scope(self):
        return access.reviewer_applications(self.request.user)

    def detail_url(self, fragment=""):
        url = selection_url("review", self.application.pk)
        return f"{url}#{fragment}" if fragment else url


class ReviewIndexView(SelectionPage):
    template_name = "mentoring_cms/admin/selection/review_index.html"
    page_title = gettext_lazy("Scoring")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        programme_round = access.current_round()
        applications = (
            annotated_applications(access.reviewer_applications(user, programme_round))
            .defer("answers")
            .annotate(
                reviewed=Exists(
                    Review.objects.filter(application=OuterRef("pk"), reviewer=user)
                ),
                conflicted=Exists(
                    ConflictOfInterest.objects.filter(
                        application=OuterRef("pk"), reviewer=user
                    )
                ),
            )
            .order_by("role", "submitted_at", "pk")
        )
        context["round"] = programme_round
        context["applications"] = applications
        return context


class ReviewView(ReviewerScope, SelectionPage):
    """One application for a reviewer: the answers, her scoring form (or
    her review), a conflict declaration, and everyone's scores once she has
    submitted her own."""

    template_name = "mentoring_cms/admin/selection/review.html"
    header_icon = "tasks"
    parent_view = "review_index"
    parent_label = gettext_lazy("Scoring")

    def get_page_title(self):
        return _("Review of application %(reference)s") % {
            "reference": self.application
        }

    def criteria(self):
        return operations.criteria_for(self.application.round, self.application.role)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        application = self.application
        own = Review.objects.filter(application=application, reviewer=user).first()
        conflict = ConflictOfInterest.objects.filter(
            application=application, reviewer=user
        ).first()
        reviewable = access.reviewable_applications().filter(pk=application.pk).exists()
        see_all = access.can_see_all_scores(user, application)
        reviews = []
        if see_all:
            reviews = list(
                application.reviews.select_related("reviewer").prefetch_related(
                    "scores__criterion"
                )
            )
        elif own is not None:
            reviews = [own]
        context.update(
            {
                "application": application,
                "sections": describe_application(
                    application,
                    Faculty.objects.choices(),
                    application_topics(application),
                ),
                "own_review": own,
                "conflict": conflict,
                "can_score": reviewable and own is None and conflict is None,
                "can_declare": own is None and conflict is None,
                "see_all": see_all,
                "reviews": reviews,
                "form": kwargs.get("form") or ReviewForm(criteria=self.criteria()),
                "conflict_form": kwargs.get("conflict_form") or ConflictForm(),
                "conflict_url": selection_url("conflict", application.pk),
                "attachment_url": selection_url("review_attachment", application.pk),
                "hr_can_review": user_can_review(user),
            }
        )
        return context

    def post(self, request, pk):
        form = ReviewForm(request.POST, criteria=self.criteria())
        if not form.is_valid():
            messages.error(request, _("Give a score on the scale for every criterion."))
            return self.render_to_response(self.get_context_data(form=form))
        try:
            operations.submit_review(
                self.application, reviewer=request.user, scores=form.scores()
            )
        except ValidationError as error:
            self.refuse(error)
        else:
            messages.success(
                request,
                _("Your review of application %(reference)s is submitted.")
                % {"reference": self.application},
            )
        return redirect(self.detail_url("scores"))


class ConflictView(ReviewerScope, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ConflictForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.detail_url("conflict"))
        try:
            operations.declare_conflict(
                self.application,
                reviewer=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            self.refuse(error)
        else:
            messages.success(
                request,
                _(
                    "Your conflict of interest is recorded; you will not score "
                    "application %(reference)s."
                )
                % {"reference": self.application},
            )
        return redirect(self.detail_url("conflict"))


class ReviewAttachmentView(ReviewerScope, ScopedAttachmentView):
    pass
