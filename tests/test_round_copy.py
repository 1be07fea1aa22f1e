""" "Copy to next round": the demo 2022–2023 round becomes 2023–2024 as
drafts, in both languages, dates moved; refused copies leave nothing."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation

from mentoring_cms.models import Application, ProgramRoundPage, SessionPage
from mentoring_cms.round_copy import move_moment, move_years

from .utils import make_application, make_round, make_session, oslo, translate_page


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    # make demo mends translated trees as it loads the content.
    assert "Page tree checked; 0 page(s) repaired." in out.getvalue()
    return ProgramRoundPage.objects.get(
        locale__language_code="nb", period_start__year=2022
    )


def copy_url(programme_round):
    return reverse("mentoring_cms_copy_round", args=[programme_round.pk])


def test_the_demo_round_is_copied_a_year_later_in_both_languages(
    client, superuser, demo
):
    make_application(round=demo)
    applications = Application.objects.count()
    # The date decisions come by moves with the round.
    ProgramRoundPage.objects.filter(pk=demo.pk).update(
        decisions_by=timezone.localdate(demo.application_closes)
        + datetime.timedelta(days=14)
    )
    demo.refresh_from_db()
    client.force_login(superuser)
    form = client.get(copy_url(demo))
    assert 'value="364"' in form.content.decode()
    response = client.post(copy_url(demo), {"days": 364})

    new_round = ProgramRoundPage.objects.exclude(pk=demo.pk).get(
        locale__language_code="nb", period_start__year=2023
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[new_round.pk]
    )
    assert not new_round.live
    assert new_round.title == move_years(demo.title, 1)
    assert "2023" in new_round.title and "2024" in new_round.title
    assert new_round.period_start == demo.period_start + datetime.timedelta(days=364)
    assert new_round.period_start.weekday() == demo.period_start.weekday()
    assert new_round.application_closes == move_moment(demo.application_closes, 364)
    assert new_round.decisions_by == demo.decisions_by + datetime.timedelta(days=364)
    assert timezone.localtime(new_round.application_closes).time() == (
        timezone.localtime(demo.application_closes).time()
    )
    old_sessions = list(SessionPage.objects.child_of(demo).order_by("path"))
    new_sessions = list(SessionPage.objects.child_of(new_round).order_by("path"))
    assert len(old_sessions) == len(new_sessions) == 7
    for old, new in zip(old_sessions, new_sessions, strict=True):
        assert not new.live
        assert new.title == old.title
        assert new.start == move_moment(old.start, 364)
        # The same hour on the local clock, across summer time.
        assert timezone.localtime(new.start).hour == timezone.localtime(old.start).hour

    english = new_round.get_translation(
        demo.get_translation_or_none(
            ProgramRoundPage.objects.filter(locale__language_code="en").first().locale
        ).locale
    )
    assert not english.live
    assert english.period_start == new_round.period_start
    assert "2023" in english.title
    english_sessions = SessionPage.objects.child_of(english)
    assert english_sessions.count() == 7
    assert {s.translation_key for s in english_sessions} == {
        s.translation_key for s in new_sessions
    }
    assert all(not s.live for s in english_sessions)
    # The translator finds the strings already translated.
    translation = Translation.objects.get(
        source__object_id=new_round.translation_key, target_locale=english.locale
    )
    assert (
        StringTranslation.objects.filter(
            context__object_id=new_round.translation_key, locale=english.locale
        ).count()
        >= translation.source.stringsegment_set.count() - 1
    )
    assert Application.objects.count() == applications
    # The new round's tree is whole.
    assert Page.objects.get(pk=new_round.pk).numchild == 7
    assert Page.objects.get(pk=english.pk).numchild == 7


def test_a_copy_breaking_the_rules_is_refused_and_nothing_is_created(
    client, superuser, programme
):
    programme_round = make_round(
        programme,
        application_opens=oslo(2030, 3, 1, 9),
        application_closes=oslo(2030, 4, 1, 12),
        period_start=datetime.date(2030, 8, 15),
        period_end=datetime.date(2031, 6, 15),
    )
    # A gathering already outside the round (as imported data can be).
    make_session(programme_round, start=oslo(2031, 7, 1, 9), end=oslo(2031, 7, 1, 15))
    pages = Page.objects.count()
    client.force_login(superuser)
    response = client.post(copy_url(programme_round), {"days": 364})
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("nb"):
        message = gettext(
            "The session must lie within its round (%(start)s – %(end)s)."
        )
    assert message % {"start": "2031-08-14", "end": "2032-06-13"} in html
    assert Page.objects.count() == pages


def test_an_application_window_after_the_start_is_refused(client, superuser, programme):
    programme_round = make_round(
        programme,
        application_opens=oslo(2030, 3, 1, 9),
        application_closes=oslo(2030, 4, 1, 12),
        period_start=datetime.date(2030, 8, 15),
        period_end=datetime.date(2031, 6, 15),
    )
    # Closing after the start, as data from before the rule can be.
    ProgramRoundPage.objects.filter(pk=programme_round.pk).update(
        application_closes=oslo(2030, 9, 1, 12)
    )
    pages = Page.objects.count()
    client.force_login(superuser)
    response = client.post(copy_url(programme_round), {"days": 364})
    with translation.override("nb"):
        message = gettext("Applications must close before the round starts.")
    assert message in response.content.decode()
    assert Page.objects.count() == pages


@pytest.mark.parametrize("days", ["0", "-364", "5000", "ett år"])
def test_a_bad_offset_is_refused(client, superuser, open_round, days):
    pages = Page.objects.count()
    client.force_login(superuser)
    response = client.post(copy_url(open_round), {"days": days})
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode() or (
        "help-critical" in response.content.decode()
    )
    assert Page.objects.count() == pages


def test_only_editors_who_may_add_rounds_can_copy(
    client, django_user_model, open_round
):
    user = django_user_model.objects.create_user(username="hr2", password="pw")
    user.groups.add(Group.objects.get(name="HR reviewers"))
    client.force_login(user)
    pages = Page.objects.count()
    assert client.get(copy_url(open_round)).status_code in (302, 403)
    assert client.post(copy_url(open_round), {"days": 364}).status_code in (302, 403)
    assert Page.objects.count() == pages


def test_the_round_header_offers_the_action(client, superuser, open_round):
    client.force_login(superuser)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[open_round.pk]))
    assert copy_url(open_round) in html.content.decode()


def test_copying_a_translation_copies_its_source(client, superuser, home, open_round):
    translate_page(home, title="Home", slug="home-en")
    translate_page(open_round.get_parent(), title="Programme", slug="programme")
    round_en = translate_page(open_round, title="Round")
    client.force_login(superuser)
    response = client.get(copy_url(round_en))
    assert response.status_code == 302
    assert response["Location"] == copy_url(open_round)
