"""A GET never changes stored data: every admin URL of the applications and
the public pages of a round are opened with GET by the users who may use
them, and no row, log entry, queued task or stored file may appear or change.
State changes go through POST with a CSRF token (a confirm step for exports,
erasure and bulk actions)."""

import os

import pytest
from django.apps import apps
from django.test import override_settings

from mentoring_cms.models import Application
from mentoring_cms.storage import private_storage

from .test_review_permissions import application, endpoints  # noqa: F401

pytestmark = pytest.mark.django_db


def database_state():
    """Row count of every model, and the application rows as stored."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        # Sessions hold the wizard's place; they are the visitor's own state.
        and model._meta.label != "sessions.Session"
    }
    rows = list(Application.objects.order_by("pk").values())
    return counts, rows


def stored_files():
    root = private_storage.location
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def get_endpoints(application):  # noqa: F811
    return [e for e in endpoints(application) if e[2] == "get"]


@pytest.mark.parametrize("who", ["hr", "superuser"])
@pytest.mark.parametrize("inline_max", [0, 10_000])
def test_no_admin_get_writes(
    client,
    hr_user,
    superuser,
    application,  # noqa: F811
    who,
    inline_max,
    django_capture_on_commit_callbacks,
):
    client.force_login(hr_user if who == "hr" else superuser)
    before, files = database_state(), stored_files()
    gets = get_endpoints(application)
    assert {e[0] for e in gets} >= {"export xlsx", "erase form", "bulk action form"}
    with (
        override_settings(MENTORING_CMS_XLSX_INLINE_MAX_ROWS=inline_max),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        for name, _url_name, _method, url, _data, ok in gets:
            response = client.get(url)
            assert response.status_code == ok, name
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            assert database_state() == before, name
            assert stored_files() == files, name
    assert callbacks == []


def test_no_public_get_writes(client, open_round, django_capture_on_commit_callbacks):
    base = open_round.url
    urls = [base, "/healthz", "/", "/en/"]
    for role in ("mentee", "mentor"):
        urls += [f"{base}apply/{role}/", f"{base}apply/{role}/about/"]
        urls += [f"{base}apply/{role}/review/", f"{base}apply/{role}/nowhere/"]
    before, files = database_state(), stored_files()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            assert database_state() == before, url
            assert stored_files() == files, url
    assert callbacks == []
