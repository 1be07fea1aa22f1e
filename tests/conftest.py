import pytest

from .utils import make_faculty, make_programme, make_round, make_site


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def programme(home):
    return make_programme(home)


@pytest.fixture
def open_round(programme):
    return make_round(programme)


@pytest.fixture
def faculty(db):
    return make_faculty(name="Fakultet for naturvitenskap")


@pytest.fixture
def hr_user(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="hr", email="hr@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name="HR reviewers"))
    return user


@pytest.fixture
def editor_user(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="editor", email="editor@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="pw"
    )


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client
