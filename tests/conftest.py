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
