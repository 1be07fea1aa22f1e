"""The admin's "Copy to next round" action on a round page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import ProgramRoundPage
from ..round_copy import DEFAULT_OFFSET_DAYS, MAX_OFFSET_DAYS, copy_round_to_next
from ..translation_sync import is_translation_source
from ..validators import Form as TextForm


class CopyRoundForm(TextForm):
    days = forms.IntegerField(
        label=gettext_lazy("Move every date by (days)"),
        initial=DEFAULT_OFFSET_DAYS,
        min_value=1,
        max_value=MAX_OFFSET_DAYS,
        help_text=gettext_lazy(
            "364 days (52 weeks) is a year later on the same weekday."
        ),
    )


def user_can_copy(user, programme_round):
    """Only editors who may add pages under the round's programme."""
    parent = programme_round.get_parent()
    return parent.permissions_for_user(user).can_add_subpage()


class CopyRoundView(WagtailAdminTemplateMixin, FormView):
    """Asks for the offset and creates the next round (see ``round_copy``)."""

    template_name = "mentoring_cms/admin/round_copy.html"
    form_class = CopyRoundForm
    header_icon = "copy"

    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(ProgramRoundPage, pk=kwargs["page_id"])
        if not user_can_copy(request.user, self.round):
            raise PermissionDenied
        if not is_translation_source(self.round):
            # A translation is copied along with its source round.
            source = next(
                (
                    page
                    for page in self.round.get_translations()
                    if is_translation_source(page)
                ),
                None,
            )
            if source is not None:
                return redirect("mentoring_cms_copy_round", source.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Copy to next round")

    def get_page_subtitle(self):
        return self.round.get_admin_display_title()

    def get_breadcrumbs_items(self):
        # The header names the page (the last breadcrumb), not "Home".
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["round"] = self.round
        context["cancel_url"] = reverse("wagtailadmin_pages:edit", args=[self.round.pk])
        return context

    def form_valid(self, form):
        try:
            new_round = copy_round_to_next(
                self.round, days=form.cleaned_data["days"], user=self.request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext(
                "“%(title)s” was created as a draft with its gatherings and "
                "translations. Check it and publish it when it is ready."
            )
            % {"title": new_round.title},
        )
        return redirect("wagtailadmin_pages:edit", new_round.pk)


def admin_urls():
    return [
        path(
            "mentoring/rounds/<int:page_id>/copy/",
            CopyRoundView.as_view(),
            name="mentoring_cms_copy_round",
        )
    ]


def copy_round_buttons(page, user, view_name=None, next_url=None):
    """The action in the round's header menu and its listing menu."""
    from wagtail.admin.widgets import ListingButton

    if (
        isinstance(page.specific_deferred, ProgramRoundPage)
        and page.locale.language_code == _source_language()
        and user_can_copy(user, page)
    ):
        yield ListingButton(
            gettext("Copy to next round"),
            reverse("mentoring_cms_copy_round", args=[page.pk]),
            priority=70,
            icon_name="copy",
        )


def _source_language():
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant

    return get_supported_content_language_variant(settings.LANGUAGE_CODE)
