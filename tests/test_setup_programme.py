"""``manage.py setup_programme``: faculties from a CSV file in both languages
and the "Programme editors" group; twice is once, a bad file imports nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from mentoring_cms.forms import faculty_choices
from mentoring_cms.models import Faculty

from .utils import get_locale, make_faculty, make_programme

GOOD = (
    "code,name_nb,name_en\n"
    "NV,Fakultet for naturvitenskap,Faculty of Natural Sciences\n"
    "IE,Fakultet for informasjonsteknologi og elektroteknikk,"
    "Faculty of Information Technology and Electrical Engineering\n"
    'HF,"Det humanistiske fakultet",Faculty of Humanities\n'
)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def run(tmp_path, content, encoding="utf-8"):
    path = tmp_path / "faculties.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    out = io.StringIO()
    call_command("setup_programme", faculties=str(path), stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(
        Faculty.objects.values_list("translation_key", "locale__language_code", "name")
    )


@pytest.mark.django_db
def test_faculties_are_created_in_both_languages(tmp_path):
    run(tmp_path, GOOD)
    assert Faculty.objects.filter(locale__language_code="nb").count() == 3
    assert Faculty.objects.filter(locale__language_code="en").count() == 3
    nb = Faculty.objects.get(name="Fakultet for naturvitenskap")
    en = Faculty.objects.get(name="Faculty of Natural Sciences")
    assert nb.translation_key == en.translation_key
    assert en.get_translation(nb.locale) == nb
    # Made with wagtail-localize, as its "Translate" action would: editors
    # find the English name in its translation editor.
    from wagtail_localize.models import Translation

    translation = Translation.objects.get(
        source__object_id=nb.translation_key, target_locale=en.locale
    )
    assert translation.get_status_display()
    assert translation.source.get_source_instance() == nb
    # The application wizard offers them in the reader's language.
    assert "Faculty of Humanities" in dict(faculty_choices("en")).values()
    assert "Det humanistiske fakultet" in dict(faculty_choices("nb")).values()
    assert dict(faculty_choices("en")).keys() == dict(faculty_choices("nb")).keys()


@pytest.mark.django_db
def test_twice_is_once(tmp_path):
    run(tmp_path, GOOD)
    before = snapshot()
    groups = list(Group.objects.values_list("name", flat=True))
    page_permissions = GroupPagePermission.objects.count()
    collection_permissions = GroupCollectionPermission.objects.count()
    out = run(tmp_path, GOOD)
    assert snapshot() == before
    assert list(Group.objects.values_list("name", flat=True)) == groups
    assert GroupPagePermission.objects.count() == page_permissions
    assert GroupCollectionPermission.objects.count() == collection_permissions
    assert "0 names added, 0 changed" in out


@pytest.mark.django_db
def test_a_changed_name_is_updated_in_place(tmp_path):
    run(tmp_path, GOOD)
    pk = Faculty.objects.get(name="Faculty of Humanities").pk
    run(tmp_path, GOOD.replace("Faculty of Humanities", "Faculty of the Humanities"))
    assert Faculty.objects.get(pk=pk).name == "Faculty of the Humanities"
    assert Faculty.objects.count() == 6
    nb_pk = Faculty.objects.get(name="Fakultet for naturvitenskap").pk
    en_pk = Faculty.objects.get(name="Faculty of Natural Sciences").pk
    run(
        tmp_path,
        GOOD.replace("Fakultet for naturvitenskap", "Naturvitenskapelig fakultet"),
    )
    assert Faculty.objects.get(pk=nb_pk).name == "Naturvitenskapelig fakultet"
    assert Faculty.objects.get(pk=en_pk).name == "Faculty of Natural Sciences"
    assert Faculty.objects.count() == 6


@pytest.mark.django_db
def test_a_faculty_made_by_hand_is_taken_over_not_doubled(tmp_path):
    by_hand = make_faculty(name="Fakultet for naturvitenskap")
    run(tmp_path, GOOD)
    assert Faculty.objects.filter(name="Fakultet for naturvitenskap").count() == 1
    english = Faculty.objects.get(name="Faculty of Natural Sciences")
    assert english.get_translation(get_locale("nb")).pk == by_hand.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("kode,name_nb,name_en\nNV,Naturvitenskap,Sciences\n", 1, "code"),
        ("code,name_en\nNV,Sciences\n", 1, "name_nb"),
        (GOOD + "NV,Igjen,Again\n", 5, "already on line 2"),
        (GOOD + "nv,Igjen,Again\n", 5, "already on line 2"),
        (GOOD + ",Uten kode,No code\n", 5, "code is empty"),
        (GOOD + "XX,,English only\n", 5, "name in nb is empty"),
        (GOOD + "LONG," + "x" * 300 + ",y\n", 5, "longer than 255"),
        (GOOD + 'BAD,"unclosed,x\n', 5, "unexpected end of data"),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_imported(
    tmp_path, content, line, words
):
    with pytest.raises(CommandError) as error:
        run(tmp_path, content)
    assert str(error.value).startswith(f"Line {line}:")
    assert words in str(error.value)
    assert Faculty.objects.count() == 0
    assert not Group.objects.filter(name="Programme editors").exists()


@pytest.mark.django_db
def test_errors_speak_the_sites_language(tmp_path):
    with translation.override("nb"), pytest.raises(CommandError) as error:
        run(tmp_path, GOOD + "NV,Igjen,Again\n")
    assert str(error.value) == (
        "Linje 5: koden NV står allerede på linje 2; ingenting ble importert."
    )


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    content = GOOD + "ØK,Økonomisk fakultet,Faculty of Economics\n"
    with pytest.raises(CommandError, match="Line 5:") as error:
        run(tmp_path, content, encoding="latin-1")
    assert "UTF-8" in str(error.value)
    assert Faculty.objects.count() == 0


@pytest.mark.django_db
def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    run(tmp_path, ("\ufeff" + GOOD).encode())
    assert Faculty.objects.filter(locale__language_code="nb").count() == 3


@pytest.mark.django_db
def test_nothing_is_half_imported_when_storing_fails(tmp_path, monkeypatch):
    from mentoring_cms.management.commands import setup_programme

    real_create = Faculty.objects.create
    calls = []

    def fail_on_the_third(**kwargs):
        calls.append(kwargs)
        # Two faculties and their translations are stored by then.
        if len(calls) == 3:
            raise RuntimeError("database gone")
        return real_create(**kwargs)

    monkeypatch.setattr(setup_programme.Faculty.objects, "create", fail_on_the_third)
    with pytest.raises(RuntimeError):
        run(tmp_path, GOOD)
    assert len(calls) == 3
    assert Faculty.objects.count() == 0
    assert not Group.objects.filter(name="Programme editors").exists()


@pytest.mark.django_db
def test_programme_editors_can_open_the_snippets_and_publish(client, home):
    from django.contrib.auth import get_user_model

    from mentoring_cms.models import ContactPerson

    call_command("setup_programme", stdout=io.StringIO())
    editor = get_user_model().objects.create_user("redaktor", password="x")
    editor.groups.add(Group.objects.get(name="Programme editors"))
    for model in (Faculty, ContactPerson):
        for action in ("add", "change", "delete"):
            assert editor.has_perm(f"mentoring_cms.{action}_{model._meta.model_name}")
    assert editor.has_perm("wagtailadmin.access_admin")
    assert editor.has_perm("wagtail_localize.submit_translation")
    programme = make_programme(home)
    permissions = programme.permissions_for_user(editor)
    assert permissions.can_publish()
    assert permissions.can_edit()
    from wagtail.models import Collection, GroupCollectionPermission

    assert set(
        GroupCollectionPermission.objects.filter(
            group__name="Programme editors",
            collection=Collection.get_first_root_node(),
        ).values_list("permission__codename", flat=True)
    ) == {"add_image", "choose_image", "add_document", "choose_document"}
    client.force_login(editor)
    assert client.get("/admin/snippets/mentoring_cms/faculty/").status_code == 200
    assert client.get("/admin/snippets/mentoring_cms/contactperson/").status_code == 200
    edit = client.get(f"/admin/pages/{programme.pk}/edit/")
    assert edit.status_code == 200
    assert "action-publish" in edit.content.decode()
