from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Page


class AnchorFormField(AbstractFormField):
    page = ParentalKey(
        "AnchorFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class AnchorFormPage(AbstractForm):
    """What a site owner would build with Wagtail's form builder instead of
    mentoring_cms: one application form page with its submissions."""

    intro = RichTextField(blank=True)
    thank_you_text = RichTextField(blank=True)

    content_panels = AbstractForm.content_panels + [
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
    ]


class BarePage(Page):
    """An empty page: what Wagtail costs to serve any page at a given depth
    (site, locale, routing, view restrictions, template), for reference."""

    template = "bench_anchor/bare_page.html"
