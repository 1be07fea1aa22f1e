import pytest

from .utils import make_programme, make_round, make_site


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def programme(home):
    return make_programme(home)


@pytest.fixture
def open_round(programme):
    return make_round(programme)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The test database; when browser tests will run, a copy of its contents
    as the migrations left them (the root page, groups, permissions) is kept
    on the pytest config, because a transactional test before them may have
    emptied the tables (tests/browser/conftest.py restores it)."""
    if any(item.get_closest_marker("browser") for item in request.session.items):
        from django.db import connection

        with django_db_blocker.unblock():
            request.config.mentoring_cms_migrated_database = (
                connection.creation.serialize_db_to_string()
            )
