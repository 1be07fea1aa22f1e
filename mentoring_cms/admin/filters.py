"""Filters of the HR listing and its exports, and ``listing_url``, the
address of the listing with some of them set (what the summary and the
selection dashboard link their numbers to)."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from ..models import Application, Faculty, ProgramRoundPage
from ..selection.access import REVIEWABLE
from ..selection.ranking import reviews_wanted, score_annotations
from ..url_names import url_name


def one_per_translation(objects, label):
    """(translation_key, label) choices, one per translated object, labelled
    in the active language where a translation exists."""
    language = get_language()
    chosen = {}
    for obj in objects:
        key = str(obj.translation_key)
        current = chosen.get(key)
        if current is None or obj.locale.language_code == language:
            chosen[key] = obj
    return [(key, label(obj)) for key, obj in chosen.items()]


def round_choices():
    """(translation key, title) of every round, newest first."""
    rounds = ProgramRoundPage.objects.select_related("locale").order_by(
        "-period_start", "pk"
    )
    return one_per_translation(rounds, lambda r: r.title)


def faculty_choices():
    """(translation key, name in the active language) of every faculty."""
    return Faculty.objects.choices_by_translation_key(get_language())


class ApplicationFilterSet(WagtailFilterSet):
    round = django_filters.ChoiceFilter(
        label=_("Round"),
        choices=round_choices,
        field_name="round__translation_key",
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Application.Role.choices
    )
    faculty = django_filters.ChoiceFilter(
        label=_("Faculty"),
        choices=faculty_choices,
        method="filter_faculty",
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Application.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"),
        widget=DateRangePickerWidget,
    )
    reviews = django_filters.ChoiceFilter(
        label=_("Committee reviews"),
        choices=[
            ("all", _("Scored by the committee")),
            ("incomplete", _("Fewer reviews than wanted")),
            ("complete", _("Enough reviews")),
        ],
        method="filter_reviews",
    )

    def filter_reviews(self, queryset, name, value):
        """Applications the committee scores (``selection.access``): all
        of them, or those with fewer than, or at least, ``reviews_wanted()``
        reviews: the counts the selection dashboard links here with."""
        queryset = queryset.filter(REVIEWABLE)
        if value == "all":
            return queryset
        count = score_annotations()["review_count"]
        queryset = queryset.alias(reviews_so_far=count)
        if value == "complete":
            return queryset.filter(reviews_so_far__gte=reviews_wanted())
        return queryset.filter(reviews_so_far__lt=reviews_wanted())

    def filter_faculty(self, queryset, name, value):
        """Applications to the faculty with translation key ``value``, in
        any language, as a condition on ``faculty_id`` alone: no join, so
        the database walks the (faculty, submitted_at) index in the
        listing's order and stops at one page of rows. Only the
        faculties applications actually name are kept (applications name the
        default language's faculty), so that one faculty is one equality."""
        ids = list(
            Faculty.objects.filter(translation_key=value).values_list("pk", flat=True)
        )
        if len(ids) > 1:
            ids = [
                pk for pk in ids if Application.objects.filter(faculty_id=pk).exists()
            ]
        if len(ids) == 1:
            return queryset.filter(faculty_id=ids[0])
        return queryset.filter(faculty_id__in=ids)

    class Meta:
        model = Application
        fields = ["round", "role", "faculty", "status", "submitted_at", "reviews"]


def listing_url(programme_round, **filters):
    """The address of HR's listing filtered to ``programme_round`` (any
    language version) and ``filters``: names of ``ApplicationFilterSet``
    filters, each a value or a list of values (e.g. several statuses).
    Raises ``ValueError`` for a name the listing does not filter by."""
    unknown = set(filters) - set(ApplicationFilterSet.base_filters)
    if unknown:
        raise ValueError(f"The listing has no filter {sorted(unknown)}")
    query = [("round", str(programme_round.translation_key))]
    for key, value in filters.items():
        values = value if isinstance(value, list | tuple) else [value]
        query += [(key, str(v)) for v in values]
    return f"{reverse(url_name('index'))}?{urlencode(query)}"
