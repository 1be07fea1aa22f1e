"""The matching step of the applications: its answers are stored with the
application, its topics come from the programme, bad answers are refused."""

from django.core.cache import cache

from mentoring_cms.models import Application

from .application_helpers import (
    apply_url,
    mentee_answers,
    mentor_answers,
    post_step,
    walk,
)


def test_mentee_matching_answers_are_stored_with_the_application(
    client, open_round, faculty
):
    cache.clear()
    walk(client, open_round, "mentee", mentee_answers(faculty))
    application = Application.objects.get()
    assert application.answers["matching_topics"] == [
        "networking",
        "promotion_application",
    ]
    assert application.answers["matching_track"] == "professor"
    assert application.answers["matching_languages"] == ["nb"]


def test_mentor_sees_the_mentor_wording_and_gives_two_languages(
    client, open_round, faculty
):
    cache.clear()
    walk(client, open_round, "mentor", mentor_answers(faculty), until="experience")
    page = client.get(apply_url(open_round, "mentor", "matching")).content.decode()
    assert "Temaer du kan hjelpe med" in page
    walk(client, open_round, "mentor", mentor_answers(faculty))
    assert Application.objects.get().answers["matching_languages"] == ["en", "nb"]


def test_bad_matching_answers_are_refused(client, open_round, faculty):
    cache.clear()
    walk(client, open_round, "mentee", mentee_answers(faculty), until="motivation")
    response = post_step(
        client,
        open_round,
        "mentee",
        "matching",
        {"matching_track": "professor", "matching_topics": ["made_up"]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "matching_topics" in errors
    assert "matching_languages" in errors
    assert not Application.objects.exists()


def test_the_programmes_own_topics_replace_the_defaults(
    client, programme, open_round, faculty
):
    cache.clear()
    programme.matching_topics = [("topic", "Laboratorieledelse")]
    programme.save_revision().publish()
    walk(client, open_round, "mentee", mentee_answers(faculty), until="motivation")
    page = client.get(apply_url(open_round, "mentee", "matching")).content.decode()
    assert "Laboratorieledelse" in page
    assert "Nettverksbygging" not in page
    programme.refresh_from_db()
    (block,) = programme.matching_topics
    response = post_step(
        client,
        open_round,
        "mentee",
        "matching",
        {
            "matching_track": "dosent",
            "matching_topics": [block.id],
            "matching_languages": ["nb"],
        },
    )
    assert response.status_code == 302


def test_the_own_faculty_is_not_offered_to_avoid(client, open_round, faculty):
    """The hard rule already keeps the applicant's own faculty out: the
    matching step does not offer it, and refuses it when posted."""
    from .utils import make_faculty

    other = make_faculty(name="Det humanistiske fakultet")
    cache.clear()
    walk(client, open_round, "mentee", mentee_answers(faculty), until="motivation")
    page = client.get(apply_url(open_round, "mentee", "matching"))
    choices = dict(page.context["form"].fields["matching_avoid_faculties"].choices)
    assert str(other.pk) in choices
    assert str(faculty.pk) not in choices
    response = post_step(
        client,
        open_round,
        "mentee",
        "matching",
        {
            "matching_track": "professor",
            "matching_topics": ["networking"],
            "matching_languages": ["nb"],
            "matching_avoid_faculties": [str(faculty.pk)],
        },
    )
    assert "matching_avoid_faculties" in response.context["form"].errors


def test_a_mentee_is_asked_her_promotion_target_once(client, open_round, faculty):
    """The mentee's track is her promotion target: the matching step does
    not ask again, and the stored answers agree (issue 6 of the QA pass)."""
    cache.clear()
    answers = mentee_answers(faculty)
    walk(client, open_round, "mentee", answers, until="motivation")
    page = client.get(apply_url(open_round, "mentee", "matching"))
    assert "matching_track" not in page.context["form"].fields
    cache.clear()
    walk(client, open_round, "mentee", answers)
    application = Application.objects.get()
    target = application.answers["promotion_target"]
    assert application.answers["matching_track"] == target

    from mentoring_cms.matching.profiles import matching_answers

    assert matching_answers(application).track == target
    # A posted track that disagrees is not taken.
