"""A round of the programme and its gatherings: the pages applicants apply
from and participants meet by."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import dateformat, formats, timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from ...conf import get_setting
from ...page_cache import PageCacheMixin, cached_fragment, cached_value
from ...questions.core import MENTEE
from ...translation_sync import (
    synchronized_facts,
)
from ..questions import RoundFormsMixin
from ..selection import (
    DEFAULT_CRITERIA,
    DEFAULT_CRITERION_ROLES,
    DEFAULT_SCALE,
    SelectionCriterion,
)
from ..serving import ChildUrlMixin, LeanServeMixin, share_parent_url
from .common import (
    FactsPageForm,
    RoundPageForm,
    RoundStatus,
    cap_at_status_changes,
    local_midnight,
    view_restricted_below,
)


def find_round(ancestor, slugs):
    """The round at ``slugs`` below ``ancestor`` (a programme, or the page
    holding programmes), with its locale and whether a view restriction
    applies to it; ``None`` if there is none.

    Nearly every public request (a round's page, each step of its
    applications) is routed through here, so the round is kept in the page
    cache's store and generation (``page_cache.cached_value``): publishing,
    moving or deleting any page or changing a view restriction empties it,
    as it empties the cached pages, and it is kept no longer than they are
    (``MENTORING_CMS_PAGE_CACHE_TIMEOUT``; 0 turns both off). A submission
    reads the round's window from the database again
    (``operations.submit_application``). One query when it is not kept."""
    queried = []

    def query():
        queried.append(True)
        return _query_round(ancestor, slugs)

    programme_round = cached_value(
        "round-route",
        (ancestor.pk, ancestor.path, *slugs),
        query,
        timeout=get_setting("PAGE_CACHE_TIMEOUT"),
    )
    if programme_round is not None and queried:
        # Set after the cache kept its copy: only this request's round is
        # known to be as the database holds it now.
        setattr(programme_round, READ_THIS_REQUEST, True)
    return programme_round


# Set on a round read from the database by this request (not from a cache).
READ_THIS_REQUEST = "_mentoring_cms_read_this_request"


def _query_round(ancestor, slugs):
    return (
        ProgramRoundPage.objects.filter(
            depth=ancestor.depth + len(slugs),
            path__startswith=ancestor.path,
            slug=slugs[-1],
            url_path=ancestor.url_path + "".join(f"{slug}/" for slug in slugs),
        )
        .select_related("locale")
        .annotate(
            route_view_restricted=view_restricted_below(ancestor, levels=len(slugs))
        )
        .first()
    )


class ProgramRoundPage(
    ChildUrlMixin,
    PageCacheMixin,
    RoutablePageMixin,
    LeanServeMixin,
    RoundFormsMixin,
    Page,
):
    """One round of the programme, e.g. 2022–2023: its dates, its places and
    its gatherings. Its status follows from the dates and the clock.

    The mentee and mentor applications are served under the round's URL
    (``apply/<role>/…``) so they use the site's templates and languages."""

    class GatheringLanguage(models.TextChoices):
        NORWEGIAN = "nb", _("Norwegian")
        ENGLISH = "en", _("English")
        NORWEGIAN_WITH_ENGLISH = (
            "nb+en",
            _("Norwegian, adapted to English where needed"),
        )

    intro = RichTextField(_("introduction"), blank=True)
    period_start = models.DateField(_("programme starts"))
    period_end = models.DateField(_("programme ends"))
    application_opens = models.DateTimeField(
        _("applications open"),
        null=True,
        blank=True,
        help_text=_(
            "Leave both application times empty while the round is being planned."
        ),
    )
    application_closes = models.DateTimeField(
        _("applications close"), null=True, blank=True
    )
    decisions_by = models.DateField(
        _("decisions by"),
        null=True,
        blank=True,
        help_text=_(
            "The day by which applicants hear whether they have a place; "
            "shown when they have applied. Leave empty if it is not known yet."
        ),
    )
    nomination_deadline = models.DateField(
        _("nomination deadline"),
        null=True,
        blank=True,
        help_text=_(
            "The last day faculties can nominate mentees or withdraw a "
            "nomination. Empty: until the round starts."
        ),
    )
    mentee_places = models.PositiveSmallIntegerField(
        _("places for mentees"), default=20, validators=[MinValueValidator(1)]
    )
    mentor_places = models.PositiveSmallIntegerField(
        _("places for mentors"), default=20, validators=[MinValueValidator(1)]
    )
    faculty_quota = models.PositiveSmallIntegerField(
        _("nominated mentees per faculty"),
        default=4,
        validators=[MinValueValidator(1)],
        help_text=_("The most mentees each faculty may nominate."),
    )
    meetings_min = models.PositiveSmallIntegerField(
        _("mentor–mentee meetings, at least"),
        default=8,
        validators=[MinValueValidator(1)],
    )
    meetings_max = models.PositiveSmallIntegerField(
        _("mentor–mentee meetings, at most"),
        default=10,
        validators=[MinValueValidator(1)],
    )
    gathering_language = models.CharField(
        _("language of the gatherings"),
        max_length=8,
        choices=GatheringLanguage.choices,
        default=GatheringLanguage.NORWEGIAN,
    )
    form_intro = RichTextField(
        _("introduction to the mentee application"),
        blank=True,
        help_text=_("Shown at the start of the mentee application form."),
    )
    mentor_form_intro = RichTextField(
        _("introduction to the mentor application"),
        blank=True,
        help_text=_("Shown at the start of the mentor application form."),
    )
    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        help_text=_("Applicants must accept this notice before they can apply."),
    )
    confirmation_text = RichTextField(
        _("confirmation text"),
        blank=True,
        help_text=_("Shown to applicants once their application is received."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldRowPanel(
                    [FieldPanel("application_opens"), FieldPanel("application_closes")]
                ),
                FieldPanel("decisions_by"),
                FieldPanel("nomination_deadline"),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("mentee_places"), FieldPanel("mentor_places")]
                ),
                FieldPanel("faculty_quota"),
                FieldRowPanel([FieldPanel("meetings_min"), FieldPanel("meetings_max")]),
                FieldPanel("gathering_language"),
            ],
            heading=_("Places and format"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("form_intro"),
                FieldPanel("mentor_form_intro"),
                FieldPanel("privacy_notice"),
                FieldPanel("confirmation_text"),
                *RoundFormsMixin.application_form_panels,
            ],
            heading=_("Application form"),
        ),
        InlinePanel(
            "selection_criteria",
            heading=_("Selection criteria"),
            label=_("Criterion"),
            help_text=_(
                "What the selection committee scores each application on, "
                "each on its own scale."
            ),
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    # The same in every language (see ``translation_sync``): dates, places,
    # quotas and the language of the gatherings follow the source page.
    fact_fields = (
        "period_start",
        "period_end",
        "application_opens",
        "application_closes",
        "decisions_by",
        "nomination_deadline",
        "mentee_places",
        "mentor_places",
        "faculty_quota",
        "meetings_min",
        "meetings_max",
        "gathering_language",
    )
    override_translatable_fields = synchronized_facts(*fact_fields)

    base_form_class = RoundPageForm
    parent_page_types = ["mentoring_cms.ProgramPage"]
    subpage_types = ["mentoring_cms.SessionPage"]

    class Meta:
        verbose_name = _("programme round")
        verbose_name_plural = _("programme rounds")

    def clean(self):
        super().clean()
        errors = {}
        opens, closes = self.application_opens, self.application_closes
        if bool(opens) != bool(closes):
            errors["application_closes" if opens else "application_opens"] = _(
                "Give both the opening and the closing time of the application "
                "window, or neither."
            )
        if opens and closes and closes <= opens:
            errors["application_closes"] = _(
                "The application window must close after it opens."
            )
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                errors["period_end"] = _("The round cannot end before it starts.")
            elif closes and closes > self.starts_at:
                errors.setdefault(
                    "application_closes",
                    _("Applications must close before the round starts."),
                )
        decisions = self.decisions_by
        if decisions and closes and decisions < timezone.localdate(closes):
            errors["decisions_by"] = _(
                "Decisions cannot come before the application window closes."
            )
        elif decisions and self.period_start and decisions > self.period_start:
            errors["decisions_by"] = _(
                "Decisions must come by the day the round starts."
            )
        deadline = self.nomination_deadline
        if deadline and opens and deadline < timezone.localdate(opens):
            errors["nomination_deadline"] = _(
                "The nomination deadline cannot come before applications open."
            )
        elif deadline and self.period_start and deadline >= self.period_start:
            errors["nomination_deadline"] = _(
                "The nomination deadline must come before the round starts."
            )
        if (
            self.meetings_min
            and self.meetings_max
            and self.meetings_max < self.meetings_min
        ):
            errors["meetings_max"] = _(
                "The highest number of meetings cannot be lower than the lowest."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self):
        return local_midnight(self.period_start)

    @property
    def nominations_close_at(self):
        """The first moment at which nominations are locked: midnight after
        the nomination deadline, or the start of the round without one."""
        if self.nomination_deadline:
            return local_midnight(self.nomination_deadline + datetime.timedelta(days=1))
        return self.starts_at

    def nominations_open_at(self, moment):
        """Whether faculties may nominate (or withdraw a nomination) at
        ``moment``."""
        return moment < self.nominations_close_at

    def save(self, *args, **kwargs):
        """A new round without criteria gets the seed's three (see
        ``models.selection.DEFAULT_CRITERIA``), labelled in its language."""
        if self._state.adding and not self.selection_criteria.all():
            language = self.locale.language_code if self.locale_id else None
            with translation.override(language or settings.LANGUAGE_CODE):
                self.selection_criteria = [
                    SelectionCriterion(
                        label=str(label),
                        scale_min=DEFAULT_SCALE[0],
                        scale_max=DEFAULT_SCALE[1],
                        applies_to=DEFAULT_CRITERION_ROLES.get(code, ""),
                    )
                    for code, label in DEFAULT_CRITERIA
                ]
        return super().save(*args, **kwargs)

    @property
    def ends_at(self):
        """The first moment after the round: midnight after its last day."""
        return local_midnight(self.period_end + datetime.timedelta(days=1))

    def places_for(self, role):
        """The places of ``role`` (an ``Application.Role`` value) in this
        round."""
        return self.mentee_places if role == MENTEE else self.mentor_places

    def status_at(self, moment):
        if moment >= self.ends_at:
            return RoundStatus.FINISHED
        if moment >= self.starts_at:
            return RoundStatus.RUNNING
        if self.application_opens and self.application_closes:
            if moment < self.application_opens:
                return RoundStatus.PLANNED
            if moment < self.application_closes:
                return RoundStatus.OPEN
            return RoundStatus.CLOSED
        return RoundStatus.PLANNED

    @property
    def status(self):
        return self.status_at(timezone.now())

    def next_status_change(self, moment):
        """The first moment after ``moment`` at which the status changes."""
        moments = [
            self.application_opens,
            self.application_closes,
            self.starts_at,
            self.ends_at,
        ]
        return min((m for m in moments if m and m > moment), default=None)

    def get_page_cache_timeout(self):
        return cap_at_status_changes(super().get_page_cache_timeout(), [self])

    @property
    def is_open_for_applications(self):
        return self.status == RoundStatus.OPEN

    def get_sessions(self):
        return (
            SessionPage.objects.child_of(self)
            .live()
            .defer_streamfields()
            .order_by("start", "path")
        )

    @cached_property
    def sessions(self):
        return list(self.get_sessions())

    def get_sessions_for_role(self, role):
        """The live gatherings an applicant in ``role`` ("mentee" or
        "mentor") commits to: those for everyone and those for their group."""
        group = (
            SessionPage.Audience.MENTORS
            if role == "mentor"
            else SessionPage.Audience.MENTEES
        )
        return self.get_sessions().filter(
            audience__in=[SessionPage.Audience.ALL, group]
        )

    def form_intro_for(self, role):
        """The introduction to the application form of ``role``."""
        return self.mentor_form_intro if role == "mentor" else self.form_intro

    def first_gathering_for(self, role):
        """The first live gathering of this round that ``role`` (an
        ``Application.Role`` value) attends: one for everyone or for that
        group; ``None`` while none is published."""
        return self.get_sessions_for_role(role).first()

    def next_gathering_for(self, role, now=None):
        """The next live gathering of this round that ``role`` attends: the
        first one that has not started by ``now`` (an aware datetime, default
        the current time); ``None`` when none is to come (the round is over,
        or none is published). Emails and pages name only this one, never a
        gathering in the past."""
        now = now or timezone.now()
        return self.get_sessions_for_role(role).filter(start__gt=now).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only by templates that list the gatherings themselves.
        context["sessions"] = SimpleLazyObject(lambda: self.sessions_for(request))
        context["sessions_html"] = self.render_sessions(request)
        context["status"] = self.status
        return context

    def sessions_for(self, request):
        """The live gatherings, their URLs built from this page's."""
        share_parent_url(self, self.sessions, request)
        return self.sessions

    def render_sessions(self, request):
        """The list of gatherings as HTML. It is the same for every visitor
        until content changes, and its cost grows with the number of
        gatherings, so it is kept as a fragment (``cached_fragment``): a
        round page then costs the same with 7 or 30 gatherings. Previews
        always render afresh."""

        def render():
            return render_to_string(
                "mentoring_cms/includes/round_sessions.html",
                {"sessions": self.sessions_for(request)},
                request=request,
            )

        if request is None or getattr(request, "is_preview", False):
            return render()
        parts = self.get_url_parts(request) or ()
        return cached_fragment(
            "round-sessions",
            (self.pk, get_language(), timezone.get_current_timezone_name(), *parts),
            render,
        )

    def get_view_restrictions(self):
        # Routing (``ProgramPage.route``) has already found out whether any
        # restriction applies; most rounds have none, and then there is
        # nothing more to ask the database.
        if getattr(self, "route_view_restricted", None) is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_source_round(self):
        """The round in the default language: the one applications belong to,
        whichever language the applicant uses."""
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale

        # The locale came with the round when it was routed to: no need to
        # look up the default locale to see that this is the source round.
        default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        if self.locale.language_code == default_code:
            return self
        source = self.get_translation_or_none(Locale.get_default())
        if source is None:
            return self
        setattr(source, READ_THIS_REQUEST, True)
        return source

    @path("apply/<str:role>/", name="apply")
    @path("apply/<str:role>/<slug:step>/", name="apply_step")
    def apply(self, request, role, step=None):
        return application_view("apply")(request, self, role, step)

    @path("apply/<str:role>/done/<str:reference>/", name="apply_done")
    def apply_done(self, request, role, reference):
        return application_view("apply_done")(request, self, role, reference)


# The application wizard's views are registered with this Wagtail hook (by
# ``mentoring_cms.wagtail_hooks``, with the views of ``mentoring_cms.wizards``)
# so that the round page routes to them without importing the public side:
# imports run from the wizards down to the models, never back. A hook
# function returns {"apply": view, "apply_done": view}; a site can register
# its own, and the hook registered last wins.
APPLICATION_VIEWS_HOOK = "register_mentoring_cms_application_views"


def application_view(name):
    """The registered application view ``name`` (``"apply"``: the wizard,
    called as ``view(request, round_page, role, step)``; ``"apply_done"``:
    the confirmation, ``view(request, round_page, role, reference)``).
    Raises ``Http404`` when none is registered."""
    for hook in reversed(hooks.get_hooks(APPLICATION_VIEWS_HOOK)):
        view = hook().get(name)
        if view is not None:
            return view
    raise Http404


def session_outside_round_error(programme_round, start, end):
    """The message for a gathering from ``start`` to ``end`` (aware
    datetimes) that does not lie within ``programme_round``, or ``None``."""
    if start < programme_round.starts_at or end > programme_round.ends_at:
        return _("The session must lie within its round (%(start)s – %(end)s).") % {
            "start": programme_round.period_start.isoformat(),
            "end": programme_round.period_end.isoformat(),
        }
    return None


class SessionPageForm(FactsPageForm):
    def clean(self):
        cleaned_data = super().clean()
        start = cleaned_data.get("start")
        end = cleaned_data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The session must end after it starts."))
        programme_round = self.get_round()
        if programme_round and start and end:
            error = session_outside_round_error(programme_round, start, end)
            if error:
                self.add_error("start", error)
        return cleaned_data

    def get_round(self):
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if parent is None:
            return None
        parent = parent.specific
        return parent if isinstance(parent, ProgramRoundPage) else None


class SessionPage(ChildUrlMixin, PageCacheMixin, LeanServeMixin, Page):
    """One gathering ("samling") of a round, for everyone or for one group."""

    class Format(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")

    class Audience(models.TextChoices):
        ALL = "all", _("All participants")
        MENTORS = "mentors", _("Mentors only")
        MENTEES = "mentees", _("Mentees only")

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.ON_SITE
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL
    )
    mandatory = models.BooleanField(_("attendance is mandatory"), default=True)
    agenda = RichTextField(_("agenda"), blank=True)
    topics = RichTextField(_("topics"), blank=True)
    homework = RichTextField(
        _("homework for mentees"),
        blank=True,
        help_text=_("What mentees prepare before or after this gathering."),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("place"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("audience")]),
        FieldPanel("mandatory", widget=forms.CheckboxInput),
        FieldPanel("agenda"),
        FieldPanel("topics"),
        FieldPanel("homework"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("agenda"),
        index.SearchField("topics"),
    ]

    # The same in every language (see ``translation_sync``): a time or place
    # that differed would send participants to the wrong gathering.
    fact_fields = ("start", "end", "place", "format", "audience", "mandatory")
    override_translatable_fields = synchronized_facts(*fact_fields)

    @cached_property
    def when(self):
        """Start and end as the pages show them, in the current language and
        time zone; each datetime is converted once however often it is shown."""
        start = timezone.localtime(self.start)
        end = timezone.localtime(self.end)
        return {
            "start_iso": start.isoformat(),
            "end_iso": end.isoformat(),
            "weekday": dateformat.format(start, "l"),
            "start_date": formats.date_format(start, "DATE_FORMAT"),
            "start_time": formats.time_format(start, "TIME_FORMAT"),
            "same_day": start.date() == end.date(),
            "end_date": formats.date_format(end, "DATE_FORMAT"),
            "end_time": formats.time_format(end, "TIME_FORMAT"),
        }

    base_form_class = SessionPageForm
    parent_page_types = ["mentoring_cms.ProgramRoundPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The session must end after it starts.")})
