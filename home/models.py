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

    def get_context(self, request, *args, **kwargs):
        from mentoring_cms.models import ContactPage, ProgramPage

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgramPage.objects.child_of(self).live()
        context["contact_pages"] = ContactPage.objects.child_of(self).live()
        return context
