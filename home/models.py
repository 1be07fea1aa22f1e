from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from mentoring_cms.models.serving import LeanServeMixin


class HomePage(LeanServeMixin, Page):
    """The demo site's front page, from which the programme is reached."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["mentoring_cms.ProgramPage", "mentoring_cms.ContactPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # Nearly every request below the home page is for a round of a
        # programme (its page and every step of its applications): fetch the
        # round in one query rather than the programme, then the round.
        # Then programmes, in one query rather than Wagtail's two (the base
        # page, then its specific page). Other pages are routed as usual.
        from mentoring_cms.models import ProgramPage
        from mentoring_cms.models.pages import find_round

        if len(path_components) >= 2:
            programme_round = find_round(self, path_components[:2])
            if programme_round is not None:
                return programme_round.route(request, path_components[2:])
        if path_components:
            programme = (
                ProgramPage.objects.child_of(self)
                .filter(slug=path_components[0])
                .first()
            )
            if programme is not None:
                programme._cached_parent_obj = self
                return programme.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from mentoring_cms.models import ContactPage, ProgramPage

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgramPage.objects.child_of(self).live()
        context["contact_pages"] = ContactPage.objects.child_of(self).live()
        return context
