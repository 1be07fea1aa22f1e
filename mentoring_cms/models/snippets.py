import logging

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

from .. import page_cache
from ..conf import get_setting

logger = logging.getLogger(__name__)


class FacultyQuerySet(models.QuerySet):
    """Faculties in the reader's language. Applications store the faculty in
    the default language, so that one faculty counts once whichever language
    the applicant used."""

    def localized(self, language_code=None):
        """Every faculty once, as (pk in the default language, translation
        key, name in ``language_code`` where it has been translated), sorted
        by that name. One query; none while the page cache is on and holds
        the list (``page_cache``: a faculty, locale or page saved or deleted
        starts a new generation, and the list lives at most as long as a
        cached page)."""
        language_code = language_code or get_language()
        timeout = get_setting("PAGE_CACHE_TIMEOUT")
        if not timeout or timeout <= 0:
            return self._query_localized(language_code)
        try:
            cache = page_cache.get_cache()
            key = (
                f"mentoring_cms:faculties:{page_cache.current_generation(cache)}:"
                f"{settings.LANGUAGE_CODE}:{language_code}"
            )
            rows = cache.get(key)
        except Exception:  # a cache that is down costs the query
            logger.warning("The cache could not be read for the faculty list.")
            return self._query_localized(language_code)
        if rows is None:
            rows = self._query_localized(language_code)
            try:
                cache.set(key, rows, timeout)
            except Exception:
                logger.warning("The cache could not keep the faculty list.")
        return rows

    def _query_localized(self, language_code):
        default_code = settings.LANGUAGE_CODE
        faculties = list(
            self.filter(
                locale__language_code__in={language_code, default_code}
            ).values_list("pk", "name", "translation_key", "locale__language_code")
        )
        localized = {
            key: name for _pk, name, key, code in faculties if code == language_code
        }
        rows = [
            (pk, key, localized.get(key, name))
            for pk, name, key, code in faculties
            if code == default_code
        ]
        return sorted(rows, key=lambda row: row[2].casefold())

    def choices(self, language_code=None):
        """The faculties as (pk, name) pairs for a form: the pk of the
        faculty in the default language (what applications store) and its
        name in ``language_code`` where it has been translated. One query at
        most (see ``localized``)."""
        return [(str(pk), name) for pk, _key, name in self.localized(language_code)]

    def choices_by_translation_key(self, language_code=None):
        """The faculties as (translation key, name) pairs, for filters that
        match a faculty in any language."""
        return [(str(key), name) for _pk, key, name in self.localized(language_code)]


class Faculty(TranslatableMixin, index.Indexed, models.Model):
    """A faculty or unit that nominates mentees; translatable so forms and
    reports show its name in the reader's language."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)

    panels = [FieldPanel("name"), FieldPanel("short_name")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    objects = FacultyQuerySet.as_manager()

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
