"""What the programme's page types share: the round statuses, contact
persons, view restrictions and the editor form of pages with facts."""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Page, PageViewRestriction

from ...translation_sync import (
    fact_fields_of,
    is_translation_source,
)
from ..selection import Score
from ..snippets import ContactPerson


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Applications closed")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


def cap_at_status_changes(timeout, rounds):
    """``timeout`` in seconds, shortened so that a cached page does not
    outlive the next status change of any of ``rounds``."""
    now = timezone.now()
    for programme_round in rounds:
        change = programme_round.next_status_change(now)
        if change is not None:
            seconds = int((change - now).total_seconds()) + 1
            timeout = min(timeout, max(seconds, 1))
    return timeout


def local_midnight(day):
    """The start of ``day`` (a date) in the site's time zone, aware."""
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


class ContactPersonLink(Orderable):
    """A contact person chosen for a programme or contact page."""

    page = ParentalKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="contact_person_links",
    )
    person = models.ForeignKey(
        "mentoring_cms.ContactPerson",
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")


class ContactPersonsMixin:
    def get_contact_persons(self):
        """The chosen contact persons, each in this page's language when it
        has been translated (a translated page keeps the source's links)."""
        people = [
            link.person
            for link in self.contact_person_links.select_related("person").all()
        ]
        if any(person.locale_id != self.locale_id for person in people):
            localized = {
                person.translation_key: person
                for person in ContactPerson.objects.filter(
                    translation_key__in=[p.translation_key for p in people],
                    locale_id=self.locale_id,
                )
            }
            people = [localized.get(p.translation_key, p) for p in people]
        return people


def view_restricted_below(ancestor, levels=1):
    """Whether a view restriction applies to the page being fetched, which
    lies ``levels`` below ``ancestor``: one set on the page, on ``ancestor``
    or on a page in between or above it, an alias standing for its source
    page as in ``Page.get_view_restrictions``. An expression for
    ``annotate``."""
    steplen = ancestor.steplen
    ancestors = Q(
        path__in=[
            ancestor.path[: depth * steplen] for depth in range(1, ancestor.depth + 1)
        ]
    )
    for extra in range(1, levels):
        # A page between: its path is the start of the fetched page's path.
        ancestors |= Q(
            path=Substr(
                OuterRef(OuterRef("path")), 1, (ancestor.depth + extra) * steplen
            )
        )
    restricted_by = (
        Page.objects.filter(ancestors)
        .annotate(restricted_by=Coalesce("alias_of_id", "id"))
        .values("restricted_by")
    )
    return Exists(
        PageViewRestriction.objects.filter(
            Q(page_id__in=restricted_by)
            | Q(page_id=Coalesce(OuterRef("alias_of_id"), OuterRef("pk")))
        )
    )


class FactsPageForm(WagtailAdminPageForm):
    """The page editor's form: on a translation, the page's facts
    (``fact_fields``) are read-only, shown with the source's values, because
    they follow the source page (see ``translation_sync``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [
            name for name in fact_fields_of(type(self.instance)) if name in self.fields
        ]
        if not names or not self.instance.pk or is_translation_source(self.instance):
            return
        source = (
            type(self.instance)
            .objects.filter(translation_key=self.instance.translation_key)
            .exclude(pk=self.instance.pk)
            .select_related("locale")
        )
        source = next((page for page in source if is_translation_source(page)), None)
        if source is None:
            # A page of its own, in whatever language: its facts are its own.
            return
        language = source.locale.get_display_name()
        for name in names:
            field = self.fields[name]
            field.disabled = True
            field.help_text = _(
                "Set on the page in %(language)s; it follows that page "
                "whenever it is published."
            ) % {"language": language}


class RoundPageForm(FactsPageForm):
    """The round's editor form: a selection criterion that has been scored
    cannot be removed (its scores would lose their meaning)."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("selection_criteria")
        if formset is None or not self.instance.pk:
            return cleaned_data
        # The rows are cleaned here (once; Django keeps the result) to see
        # which are being removed.
        formset.is_valid()
        removed = [
            form.instance.pk for form in formset.deleted_forms if form.instance.pk
        ]
        if removed and Score.objects.filter(criterion_id__in=removed).exists():
            self.add_error(
                None,
                _(
                    "A selection criterion that reviewers have scored cannot "
                    "be removed; change its label instead."
                ),
            )
        return cleaned_data
