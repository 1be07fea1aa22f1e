"""HR matches the demo's 2022 round in the admin (in Norwegian): runs the
matching, locks one pair, runs it again (the locked pair is kept), opens the
earlier proposal from the list, publishes the newest, and both participants of the locked pair get their
introduction email in their own correspondence language."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from mentoring_cms.models import Application, Match, MatchingRun, ProgramRoundPage
from tests.utils import set_admin_language

from .admin import sign_in
from .i18n import tr

pytestmark = pytest.mark.browser

SUBJECT = "Your partner in the mentoring programme, %(round)s"


@pytest.fixture
def demo_round(demo_site):
    set_admin_language(get_user_model().objects.get(username="hr"), "nb")
    programme_round = ProgramRoundPage.objects.get(
        locale__language_code="nb", period_start__year=2022
    )
    accepted = Application.objects.filter(
        round=programme_round, status=Application.Status.ACCEPTED
    )
    assert accepted.count() == 40, "the demo's 2022 round: 20 + 20 accepted"
    assert not Match.objects.filter(round=programme_round).exists()
    return programme_round


def latest_run(programme_round):
    return MatchingRun.objects.filter(round=programme_round).latest("created_at", "pk")


def pair_to_lock(run):
    """A proposed pair whose mentor and mentee write in different languages,
    so the emails show each their own."""
    pairs = run.pairs.select_related("mentor", "mentee")
    mixed = [p for p in pairs if p.mentor.language != p.mentee.language]
    assert mixed, "the demo round has a pair of a Norwegian and an English writer"
    return mixed[0]


def subject_start(language):
    return tr(SUBJECT, language).split("%(round)s")[0]


@pytest.mark.browser_context_args(locale="nb-NO")
def test_hr_runs_locks_reruns_and_publishes_the_matching(page, demo_round, quality):
    sign_in(page, "hr")
    page.goto(f"/admin/mentoring/matching/{demo_round.pk}/")
    main = page.get_by_role("main")
    expect(main, "matching page [nb]").to_contain_text(tr("Run the matching", "nb"))

    # The first run: twenty pairs with their reasons.
    page.locator("[data-matching-run]").click()
    page.wait_for_load_state("load")
    rows = page.locator("[data-matching-pair]")
    expect(rows, "first proposal [nb]").to_have_count(20)
    expect(main).to_contain_text(tr("different faculties", "nb"))
    first = latest_run(demo_round)
    chosen = pair_to_lock(first)
    key = f"{chosen.mentor_id}-{chosen.mentee_id}"

    # Lock it, then run again: the pair is kept, marked as locked.
    row = page.locator(f'[data-matching-pair="{key}"]')
    row.locator("[data-matching-lock]").click()
    page.wait_for_load_state("load")
    page.locator("[data-matching-run]").click()
    page.wait_for_load_state("load")
    second = latest_run(demo_round)
    assert second.pk != first.pk, "a second proposal was made"
    kept = second.pairs.get(mentor_id=chosen.mentor_id, mentee_id=chosen.mentee_id)
    assert kept.fixed == "locked", kept.fixed
    row = page.locator(f'[data-matching-pair="{key}"]')
    expect(row, "the locked pair after the re-run [nb]").to_contain_text(
        tr("Locked", "nb")
    )
    expect(main).to_contain_text(
        tr("Proposal %(number)s", "nb") % {"number": second.pk}
    )
    # Checked as HR comes back to it, without the fading "new proposal"
    # message (axe may catch it half-transparent).
    page.goto(f"/admin/mentoring/matching/{demo_round.pk}/")
    quality.check("matching proposal with a locked pair")

    # The first proposal is still there, listed and viewable.
    page.locator(f'[data-matching-proposal="{first.pk}"] a').click()
    page.wait_for_load_state("load")
    expect(
        page.locator("[data-matching-earlier]"), "earlier proposal [nb]"
    ).to_be_visible()
    expect(page.locator("[data-matching-pair]")).to_have_count(20)
    page.go_back()
    page.wait_for_load_state("load")

    # Publish the second proposal (after the confirmation page).
    sent_before = len(mail.outbox)
    page.locator("[data-matching-publish]").click()
    page.wait_for_load_state("load")
    page.locator("[data-matching-confirm-publish]").click()
    page.wait_for_load_state("load")
    expect(
        page.locator("[data-matching-official]"), "official pairs [nb]"
    ).to_have_count(20)
    second.refresh_from_db()
    assert second.published_at, "the proposal is published"

    # Both introductions of the locked pair, each in its own language.
    sent = mail.outbox[sent_before:]
    mentor, mentee = chosen.mentor, chosen.mentee
    for recipient, partner in ((mentor, mentee), (mentee, mentor)):
        mine = [m for m in sent if m.to == [recipient.email]]
        assert len(mine) == 1, (recipient.email, [m.to for m in sent])
        (message,) = mine
        assert message.subject.startswith(subject_start(recipient.language)), (
            recipient.language,
            message.subject,
        )
        assert partner.full_name in message.body
        assert partner.email in message.body
    assert len(sent) == 40, "every participant of the twenty pairs is introduced"
    quality.assert_clean()
