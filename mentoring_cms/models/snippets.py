from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Faculty(TranslatableMixin, index.Indexed, models.Model):
    """A faculty or unit that nominates mentees; translatable so forms and
    reports show its name in the reader's language."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)

    panels = [FieldPanel("name"), FieldPanel("short_name")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("faculty")
        verbose_name_plural = _("faculties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactPerson(TranslatableMixin, index.Indexed, models.Model):
    """Someone applicants and participants can ask about the programme."""

    name = models.CharField(_("name"), max_length=255)
    job_title = models.CharField(_("job title"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("job_title"),
        FieldPanel("unit"),
        FieldPanel("email"),
        FieldPanel("phone"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return self.name
