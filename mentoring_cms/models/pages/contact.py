"""The programme's contact page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ...page_cache import PageCacheMixin
from ...translation_sync import synchronized_facts
from ..serving import LeanServeMixin
from .common import ContactPersonsMixin, FactsPageForm


class ContactPage(PageCacheMixin, LeanServeMixin, ContactPersonsMixin, Page):
    """The unit that runs the programme (HR) and its contact persons."""

    unit_name = models.CharField(_("unit"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("unit_name"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("address"),
        InlinePanel("contact_person_links", label=_("Contact persons")),
    ]

    # The same in every language (see ``translation_sync``).
    fact_fields = ("email", "phone")
    override_translatable_fields = synchronized_facts(*fact_fields)

    base_form_class = FactsPageForm
    subpage_types = []

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contact_persons"] = self.get_contact_persons()
        return context
