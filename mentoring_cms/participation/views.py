"""The personal page of an applicant or participant, reached by a signed
link (``links``), and the public and personal calendar feeds.

Every view that takes a token reads it first; a tampered, expired or revoked
token gets the same page, which offers a new link and shows no data. The
token names one application, and every object a view touches is looked up
through that application, so changing an id in the URL or the form reaches
nothing of anyone else's.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks

from .. import ratelimit
from ..conf import get_setting
from ..models import AbsenceNotice, Application, Faculty, Meeting, SessionPage
from ..models.evaluation import evaluation_state
from ..models.topics import application_topics
from ..questions.describe import describe_application
from . import operations
from .feeds import feed_response
from .forms import AbsenceForm, LinkRequestForm, MeetingForm, WithdrawForm
from .gatherings import localized_round, localized_sessions, source_round
from .links import CALENDAR, InvalidLink, calendar_path, personal_path, read_token
from .partners import partner_of
from .personal_data import personal_data
from .tasks import send_personal_links

TEMPLATES = "mentoring_cms/participation"
# Later stages add sections to the personal page through this hook: a
# function ``(request, application, token)`` returning ``None`` or a dict
# with the ``template`` to include and what it shows (the promotion outcome
# of a former mentee, issue 17).
PERSONAL_PAGE_SECTIONS_HOOK = "mentoring_cms_personal_page_sections"
FEED_AUDIENCES = {
    "all": [SessionPage.Audience.ALL],
    "mentors": [SessionPage.Audience.ALL, SessionPage.Audience.MENTORS],
    "mentees": [SessionPage.Audience.ALL, SessionPage.Audience.MENTEES],
}


def chosen_language(request):
    """The language the reader chose with ``?lang=`` (or a form's ``lang``
    field): a code of ``LANGUAGES``, or ``None``."""
    wanted = request.GET.get("lang") or request.POST.get("lang")
    return wanted if wanted in dict(settings.LANGUAGES) else None


def _language(request):
    """The language asked for with ``?lang=``, else the active one."""
    return (
        chosen_language(request) or translation.get_language() or settings.LANGUAGE_CODE
    )


def keep_language(request, url):
    """``url`` (a path, maybe with a query and a fragment) with the reader's
    chosen ``lang`` added, so that a redirect stays in her language."""
    language = chosen_language(request)
    if not language:
        return url
    url, hash_, fragment = url.partition("#")
    url += ("&" if "?" in url else "?") + f"lang={language}"
    return url + hash_ + fragment


def language_links(request):
    """[{code, name_local, url, current}] of the site's languages, each
    leading to the same page (same path, so the same token) in that
    language: the switcher of the pages of this module (``?lang=``)."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "name_local": translation.get_language_info(code)["name_local"],
            "url": f"{request.path}?lang={code}",
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def render(request, template, context, status=200):
    """The participant's page ``template`` (under ``TEMPLATES``) with
    ``context``, the language links and the language query: never cached,
    not indexed, and its address (which holds the personal token) not sent
    to other sites as a referrer."""
    context = {
        "language_links": language_links(request),
        "lang_query": keep_language(request, ""),
        **context,
    }
    response = TemplateResponse(
        request, f"{TEMPLATES}/{template}", context, status=status
    )
    add_never_cache_headers(response)
    # The token is in the URL: keep it out of other sites' logs. Not
    # "no-referrer": browsers then send "Origin: null" with the page's own
    # forms, and Django's CSRF check refuses them.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _invalid(request):
    language = _language(request)
    with translation.override(language):
        response = render(
            request,
            "invalid_link.html",
            {"form": LinkRequestForm(), "language": language},
            status=403,
        )
        response.render()
    return response


def with_application(view):
    """Read the token of the URL; the view gets the application, and runs in
    the language the reader chose (``?lang=``), else the person's own."""

    def wrapped(request, token, *args, **kwargs):
        try:
            application = read_token(token)
        except InvalidLink:
            return _invalid(request)
        language = (
            chosen_language(request) or application.language or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            response = view(request, application, token, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# The link request ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_link(request):
    """Ask for a new personal link. The answer is the same whether or not the
    address has applied. Requests are rate-limited per client address (a
    page saying so) and per email address asked for: past that limit the
    same "sent" page shows and nothing is sent, so the limit reveals nothing
    about the address, applied or not, and nobody can flood a mailbox."""
    language = _language(request)
    with translation.override(language):
        form = LinkRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            rate = get_setting("LINK_REQUEST_RATE_LIMIT")
            if ratelimit.is_over_limit(request, "personal-link", rate):
                response = render(
                    request, "link_rate_limited.html", {"language": language}, 429
                )
                response["Retry-After"] = str(ratelimit.retry_after(rate))
                response.render()
                return response
            if form.is_valid():
                email = form.cleaned_data["email"]
                if not ratelimit.is_over_limit_for(
                    email,
                    "personal-link",
                    get_setting("LINK_REQUEST_EMAIL_RATE_LIMIT"),
                ):
                    send_personal_links.enqueue(email)
                response = render(request, "link_sent.html", {"language": language})
                response.render()
                return response
        response = render(
            request,
            "link_request.html",
            {"form": form, "language": language},
            status=400 if form.is_bound else 200,
        )
        response.render()
    return response


# The personal page --------------------------------------------------------


def page_context(request, application, token):
    """Everything the personal page shows, in the active language, in a
    fixed number of queries."""
    language = translation.get_language()
    programme_round = localized_round(application.round, language)
    context = {
        "application": application,
        "round": programme_round,
        "sections": describe_application(
            application,
            Faculty.objects.choices(language),
            application_topics(application),
        ),
        "can_withdraw": application.can_transition_to(Application.Status.WITHDRAWN),
        "is_participant": operations.is_participant(application),
        "page_url": personal_path(application),
        "page_token": token,
        "extra_sections": [
            section
            for section_for in hooks.get_hooks(PERSONAL_PAGE_SECTIONS_HOOK)
            if (section := section_for(request, application, token)) is not None
        ],
    }
    if context["is_participant"]:
        now = timezone.now()
        pairs = localized_sessions(
            application.round,
            operations.audiences_of(application.role),
            language,
            request,
        )
        notices = {
            notice.session_id: notice
            for notice in AbsenceNotice.objects.filter(application=application)
        }
        meetings = list(Meeting.objects.filter(application=application))
        gatherings = [
            {
                "source": source,
                "page": shown,
                "notice": notices.get(source.pk),
                "past": source.start <= now,
            }
            for source, shown in pairs
        ]
        context.update(
            {
                "gatherings": gatherings,
                # Only a gathering still to come is "next"; none once the
                # round's last one has started.
                "next_gathering": next(
                    (item["page"] for item in gatherings if not item["past"]), None
                ),
                "meetings": meetings,
                "meetings_min": programme_round.meetings_min,
                "meetings_max": programme_round.meetings_max,
                "partner": partner_of(application),
                "calendar_url": request.build_absolute_uri(calendar_path(application)),
                "absence_form": AbsenceForm(),
                "meeting_form": MeetingForm(
                    programme_round=application.round, today=timezone.localdate()
                ),
                "today": timezone.localdate(),
                # The end-of-round evaluation (outcomes.evaluation_views).
                "evaluation": evaluation_state(application),
            }
        )
    return context


@require_GET
@with_application
def personal_page(request, application, token):
    """Her answers, status and, once accepted, the round she takes part in."""
    return render(request, "page.html", page_context(request, application, token))


@require_http_methods(["GET", "POST"])
@with_application
def withdraw(request, application, token):
    """Withdraw the application, after a confirmation step."""
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            operations.withdraw(application)
        except operations.ParticipationRefused as refusal:
            error = refusal.messages[0]
        else:
            return redirect(
                keep_language(request, personal_path(application) + "?done=withdrawn")
            )
    status = 400 if form.is_bound else 200
    if error:
        status = 409
    return render(
        request,
        "withdraw.html",
        {
            "application": application,
            "round": localized_round(application.round, translation.get_language()),
            "form": form,
            "error": error,
            "can_withdraw": application.can_transition_to(Application.Status.WITHDRAWN),
            "page_url": personal_path(application),
        },
        status=status,
    )


def _refused(request, application, token, message, status=400, **forms):
    """The personal page again, with ``message`` on top and ``forms`` (the
    refused bound form under its context name, ``absence_open``: the
    gathering whose absence form is shown open) replacing the empty ones."""
    context = page_context(request, application, token)
    context.update(forms)
    context["action_error"] = message
    return render(request, "page.html", context, status=status)


@require_http_methods(["POST"])
@with_application
def report_absence(request, application, token):
    """ "I cannot attend" for one of her gatherings, with a reason."""
    form = AbsenceForm(request.POST)
    # The refused form is shown again under its gathering, open, with the
    # field's message and the text as typed.
    shown = {"absence_form": form, "absence_open": form.posted_session()}
    if not form.is_valid():
        return _refused(
            request, application, token, _("Check the form below."), **shown
        )
    session = operations.session_for(application, form.cleaned_data["session"])
    if session is None:
        raise Http404
    try:
        operations.give_absence_notice(
            application, session, form.cleaned_data["reason"]
        )
    except operations.ParticipationRefused as refusal:
        return _refused(
            request, application, token, refusal.messages[0], status=409, **shown
        )
    return redirect(
        keep_language(request, personal_path(application) + "?done=absence#gatherings")
    )


@require_http_methods(["POST"])
@with_application
def log_meeting(request, application, token):
    """Log a meeting with the partner: its date only."""
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, application, token, _("Check the form below."), meeting_form=form
        )
    try:
        operations.log_meeting(application, form.cleaned_data["date"])
    except operations.ParticipationRefused as refusal:
        return _refused(
            request,
            application,
            token,
            refusal.messages[0],
            status=409,
            meeting_form=form,
        )
    return redirect(
        keep_language(request, personal_path(application) + "?done=meeting#meetings")
    )


@require_http_methods(["POST"])
@with_application
def revoke(request, application, token):
    """Make every link sent so far useless; a new one is sent by email."""
    operations.revoke_links(application)
    send_personal_links.enqueue(application.email)
    return render(request, "link_sent.html", {"revoked": True})


@require_GET
@with_application
def download_data(request, application, token):
    """Her data as JSON (GDPR Art. 15): see ``personal_data`` for what is
    given and what is withheld."""
    data = personal_data(application)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"{application.reference or 'application'}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    add_never_cache_headers(response)
    return response


# Calendar feeds ------------------------------------------------------------


@require_GET
def personal_feed(request, token):
    """The gatherings of her audience, for her calendar application."""
    try:
        application = read_token(token, CALENDAR)
    except InvalidLink:
        raise Http404 from None
    if not operations.is_participant(application):
        raise Http404
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        programme_round = localized_round(application.round, language)
        pairs = localized_sessions(
            application.round,
            operations.audiences_of(application.role),
            language,
            request,
        )
        return feed_response(
            request,
            programme_round.title,
            [shown for _source, shown in pairs],
            language,
            "mentoring.ics",
            private=True,
        )


@require_GET
def round_feed(request, round_key, language, audience):
    """A round's public calendar for one audience ("all", "mentors",
    "mentees") in one language."""
    if audience not in FEED_AUDIENCES or language not in dict(settings.LANGUAGES):
        raise Http404
    source = source_round(round_key)
    if source is None or source.get_view_restrictions().exists():
        raise Http404
    with translation.override(language):
        programme_round = localized_round(source, language)
        pairs = localized_sessions(source, FEED_AUDIENCES[audience], language, request)
        return feed_response(
            request,
            feed_title(programme_round, audience),
            [shown for _source, shown in pairs],
            language,
            f"{audience}-{language}.ics",
        )


def feed_title(programme_round, audience):
    names = {
        "all": _("%(round)s: gatherings for everyone"),
        "mentors": _("%(round)s: gatherings for mentors"),
        "mentees": _("%(round)s: gatherings for mentees"),
    }
    return names[audience] % {"round": programme_round.title}
