"""Query budget of the final submit (issue 11: 14 queries, 1.24 times the
anchor form's POST), and the cached faculty list it relies on."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from mentoring_cms.forms import faculty_choices
from mentoring_cms.models import Application

from .application_helpers import (  # noqa: F401
    clear_rate_limits,
    make_faculty_pair,
    mentee_answers,
    post_step,
    walk,
)
from .production_settings import production_settings
from .utils import make_faculty

pytestmark = pytest.mark.django_db

# Routing (site, locale, home page, round), the session read, the
# application's INSERT and its one email task, the session written; in
# tests the transaction's BEGIN and COMMIT are a savepoint and its release.
FINAL_SUBMIT_QUERIES = 12


@override_settings(
    MENTORING_CMS_PAGE_CACHE_TIMEOUT=300, TASKS=production_settings()["TASKS"]
)
def test_final_submit_stays_within_its_query_budget(
    client,
    open_round,
    faculty,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    answers = mentee_answers(faculty)
    del answers["review"]
    walk(client, open_round, "mentee", answers)
    with django_assert_max_num_queries(FINAL_SUBMIT_QUERIES):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_step(client, open_round, "mentee", "review")
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.faculty == faculty
    # One task sends both emails.
    assert DBTaskResult.objects.count() == 1


@override_settings(MENTORING_CMS_PAGE_CACHE_TIMEOUT=300)
def test_the_faculty_list_is_cached_until_a_faculty_changes(
    django_assert_num_queries,
):
    cache.clear()
    nb, en = make_faculty_pair("Fakultet for kjemi", "Faculty of Chemistry")
    assert faculty_choices("nb") == [(str(nb.pk), "Fakultet for kjemi")]
    with django_assert_num_queries(0):
        assert faculty_choices("nb") == [(str(nb.pk), "Fakultet for kjemi")]
        assert faculty_choices("nb") == [(str(nb.pk), "Fakultet for kjemi")]
    assert faculty_choices("en") == [(str(nb.pk), "Faculty of Chemistry")]
    # Renamed, translated again, added, deleted: the next list shows it.
    nb.name = "Fakultet for kjemi og biologi"
    nb.save()
    assert faculty_choices("nb") == [(str(nb.pk), "Fakultet for kjemi og biologi")]
    en.name = "Faculty of Chemistry and Biology"
    en.save()
    assert faculty_choices("en") == [(str(nb.pk), "Faculty of Chemistry and Biology")]
    other = make_faculty(name="Arkitekturfakultetet")
    assert faculty_choices("nb")[0] == (str(other.pk), "Arkitekturfakultetet")
    other.delete()
    assert len(faculty_choices("nb")) == 1


def test_without_the_page_cache_the_faculty_list_is_read_each_time(
    faculty, django_assert_num_queries
):
    with override_settings(MENTORING_CMS_PAGE_CACHE_TIMEOUT=0):
        for _ in range(2):
            with django_assert_num_queries(1):
                faculty_choices("nb")
