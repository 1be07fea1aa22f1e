"""Calendar feeds (RFC 5545) of a round's gatherings, built with the
``icalendar`` library.

Times are written in the site's time zone (``TIME_ZONE``) with a ``TZID``
and the matching ``VTIMEZONE``, so a calendar shows 09:00 in Trondheim as
09:00 whatever the reader's device is set to. An event's ``UID`` is the
gathering's translation key, the same in both languages, so subscribing to
both feeds does not double it; ``DTSTAMP`` and ``LAST-MODIFIED`` are the
gathering's last publication, so the feed's bytes (and its ETag) change
only when editors publish a change.
"""

import datetime
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ..plain_text import html_to_text

PRODID = "-//mentoring_cms//Mentoring programme//EN"


def _description(session, request):
    parts = []
    for label, html in (
        (_("Agenda"), session.agenda),
        (_("Topics"), session.topics),
        (_("Homework for mentees"), session.homework),
    ):
        text = html_to_text(html)
        if text:
            parts.append(f"{label}:\n{text}")
    url = session.get_full_url(request)
    if url:
        parts.append(url)
    return "\n\n".join(parts)


def build_calendar(title, pages, request=None):
    """The iCalendar bytes of ``pages`` (gatherings to show, in the active
    language) under the calendar name ``title``."""
    zone = timezone.get_default_timezone()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for page in pages:
        event = Event()
        event.add("uid", f"{page.translation_key}@mentoring-cms")
        changed = page.last_published_at or page.first_published_at or page.start
        event.add("dtstamp", changed.astimezone(datetime.UTC))
        event.add("last-modified", changed.astimezone(datetime.UTC))
        event.add("dtstart", page.start.astimezone(zone))
        event.add("dtend", page.end.astimezone(zone))
        event.add("summary", page.title)
        if page.place:
            event.add("location", page.place)
        description = _description(page, request)
        if description:
            event.add("description", description)
        url = page.get_full_url(request)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    if pages:
        first = min(page.start for page in pages).date() - datetime.timedelta(days=1)
        last = max(page.end for page in pages).date() + datetime.timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def feed_response(request, title, pages, language, filename, private=False):
    """The feed as a ``text/calendar`` response with an ETag of its bytes;
    a request whose ``If-None-Match`` matches gets 304 Not Modified.

    No Last-Modified: an unpublished or deleted gathering changes the feed
    without a newer publication date, so only the ETag tells the truth."""
    with translation.override(language):
        body = build_calendar(title, pages, request)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if private:
        patch_cache_control(response, private=True, no_cache=True)
        response["Referrer-Policy"] = "same-origin"
    else:
        patch_cache_control(response, public=True, max_age=300)
    response["Content-Language"] = language
    return response
