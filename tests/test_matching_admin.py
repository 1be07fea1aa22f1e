"""HR's matching page: run, read pairs with reasons and the unmatched with
theirs in the reviewer's language, lock, forbid, hand-set, re-run and
publish after a confirmation; partners left alone by a withdrawal show."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from mentoring_cms.models import Application, Match, MatchingRun, PairConstraint
from mentoring_cms.operations import decide_application

from .matching_helpers import mentee, mentor
from .utils import make_faculty, make_round, set_admin_language, translate_snippet


@pytest.fixture
def people(open_round):
    science = make_faculty(name="Fakultet for naturvitenskap")
    translate_snippet(science, "en", name="Faculty of Natural Sciences")
    humanities = make_faculty(name="Det humanistiske fakultet")
    return {
        "mentor": mentor(open_round, science, full_name="Anne Mentor", track="dosent"),
        "mentee": mentee(
            open_round,
            humanities,
            full_name="Cecilie Adept",
            track="dosent",
            wishes="Gjerne noen innen fysikk",
        ),
        "same": mentee(open_round, science, full_name="Siri Samme"),
    }


def url(name, *args):
    return reverse(f"mentoring_matching:{name}", args=args)


def test_hr_reviewers_hold_the_matching_permission(db, client, superuser):
    group = Group.objects.get(name="HR reviewers")
    assert group.permissions.filter(codename="match_participants").exists()
    client.force_login(superuser)
    html = client.get(reverse("wagtailusers_groups:edit", args=[group.pk])).content
    permission = Permission.objects.get(codename="match_participants")
    assert f'value="{permission.pk}"'.encode() in html


def test_reviewer_without_the_matching_permission_gets_403(
    client, django_user_model, open_round
):
    group = Group.objects.create(name="Readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_application"),
    )
    user = django_user_model.objects.create_user(username="reader", password="pw")
    user.groups.add(group)
    client.force_login(user)
    assert client.get(url("round", open_round.pk)).status_code == 403
    assert client.post(url("run", open_round.pk)).status_code == 403
    assert not MatchingRun.objects.exists()
    # The menu does not offer it either.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") not in home


def test_hr_runs_locks_reruns_and_publishes(
    hr_client, hr_user, open_round, people, django_capture_on_commit_callbacks
):
    set_admin_language(hr_user, "en")
    page = hr_client.get(url("round", open_round.pk)).content.decode()
    assert "Accepted in this round: 1 mentors and 2 mentees." in page
    response = hr_client.post(url("run", open_round.pk), {**weights()}, follow=True)
    page = response.content.decode()
    assert "The matching has made a new proposal." in page
    assert "different faculties; both docent track; 1 shared topic: Networking" in page
    assert "the mentee wished for “Fysikk”" in page
    # The mentee of the mentor's own faculty is unmatched, and says why.
    siri = people["same"]
    assert (
        f"Siri Samme (Faculty of Natural Sciences, {siri.reference}): Every "
        "possible partner is excluded: Anne Mentor: same faculty."
        if siri.reference
        else "Siri Samme (Faculty of Natural Sciences): Every possible partner "
        "is excluded: Anne Mentor: same faculty."
    ) in page
    pair = (people["mentor"].pk, people["mentee"].pk)
    hr_client.post(
        url("constraint", open_round.pk),
        {"mentor": pair[0], "mentee": pair[1], "kind": "lock"},
    )
    assert PairConstraint.objects.get().kind == "lock"
    hr_client.post(url("run", open_round.pk), {**weights(), "same_track": "0"})
    run = MatchingRun.objects.first()
    assert run.weights["same_track"] == 0
    assert run.pairs.get().fixed == "locked"
    confirm = hr_client.get(url("publish", open_round.pk, run.pk)).content.decode()
    assert "Publish proposal" in confirm
    # Without the confirmation nothing is published.
    hr_client.post(url("publish", open_round.pk, run.pk))
    assert not Match.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            url("publish", open_round.pk, run.pk), {"confirm": "1"}, follow=True
        )
    assert "The pairs are published" in response.content.decode()
    assert Match.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["mentor"].email, people["mentee"].email]
    )
    # Withdrawal: the partner shows as without a partner.
    decide_application(people["mentee"], Application.Status.WITHDRAWN)
    page = hr_client.get(url("round", open_round.pk)).content.decode()
    assert "Anne Mentor: the partner has withdrawn or is no longer accepted." in page


def test_reasons_follow_the_reviewers_language(hr_client, hr_user, open_round, people):
    set_admin_language(hr_user, "nb")
    hr_client.post(url("run", open_round.pk), weights())
    page = hr_client.get(url("round", open_round.pk)).content.decode()
    assert (
        "ulike fakulteter; begge i dosentløp; 1 felles tema: Nettverksbygging" in page
    )


def test_nobody_accepted_gives_a_clear_message(hr_client, hr_user, open_round):
    set_admin_language(hr_user, "en")
    response = hr_client.post(url("run", open_round.pk), weights(), follow=True)
    assert "Nobody has been accepted in this round yet" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_bad_weights_and_refused_pairs_change_nothing(
    hr_client, hr_user, open_round, people
):
    set_admin_language(hr_user, "en")
    response = hr_client.post(
        url("run", open_round.pk), {**weights(), "topic": "-1"}, follow=True
    )
    assert "The weights must be numbers" in response.content.decode()
    response = hr_client.post(
        url("constraint", open_round.pk),
        {"mentor": people["mentor"].pk, "mentee": people["same"].pk, "kind": "lock"},
        follow=True,
    )
    assert "same faculty are never paired" in response.content.decode()
    assert not MatchingRun.objects.exists()
    assert not PairConstraint.objects.exists()


def test_the_page_costs_a_fixed_number_of_queries(
    hr_client, open_round, people, django_assert_max_num_queries
):
    hr_client.post(url("run", open_round.pk), weights())
    with django_assert_max_num_queries(30):
        assert hr_client.get(url("round", open_round.pk)).status_code == 200
    for n in range(10):
        mentor(open_round, make_faculty(name=f"F{n}"))
        mentee(open_round, make_faculty(name=f"G{n}"))
    hr_client.post(url("run", open_round.pk), weights())
    with django_assert_max_num_queries(30):
        assert hr_client.get(url("round", open_round.pk)).status_code == 200


def weights():
    return {
        "same_track": "3",
        "topic": "1",
        "language": "2",
        "wish": "2",
        "avoidance": "10",
    }


def test_every_proposal_is_listed_and_an_earlier_one_can_be_opened(
    hr_client, hr_user, open_round, people, programme, django_assert_max_num_queries
):
    set_admin_language(hr_user, "en")
    hr_client.post(url("run", open_round.pk), weights())
    first = MatchingRun.objects.get()
    # A second run with the pair forbidden proposes something else.
    hr_client.post(
        url("constraint", open_round.pk),
        {
            "mentor": people["mentor"].pk,
            "mentee": people["mentee"].pk,
            "kind": "forbid",
        },
    )
    hr_client.post(url("run", open_round.pk), weights())
    second = MatchingRun.objects.exclude(pk=first.pk).get()
    assert set(second.pairs.values_list("mentee_id", flat=True)) != {
        people["mentee"].pk
    }
    html = hr_client.get(url("round", open_round.pk)).content.decode()
    # The newest is shown, numbered within its round (whatever its id);
    # both are listed, the earlier one as a link.
    assert "Proposal 2" in html
    assert f'data-matching-proposal="{first.pk}"' in html
    assert f'data-matching-proposal="{second.pk}"' in html
    assert url("proposal", open_round.pk, first.pk) in html
    assert "data-matching-earlier" not in html
    with django_assert_max_num_queries(30):
        response = hr_client.get(url("proposal", open_round.pk, first.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-matching-earlier" in html
    pair = f'data-matching-pair="{people["mentor"].pk}-{people["mentee"].pk}"'
    assert pair in html
    # It can be published from there (the publish link names it).
    assert url("publish", open_round.pk, first.pk) in html


def test_a_proposal_of_another_round_or_none_is_404(
    hr_client, open_round, programme, people
):
    other_round = make_round(programme, title="Runde 2030", slug="runde-2030")
    foreign = MatchingRun.objects.create(round=other_round)
    for run_pk in (foreign.pk, 424242):
        response = hr_client.get(url("proposal", open_round.pk, run_pk), follow=True)
        assert response.status_code == 404
