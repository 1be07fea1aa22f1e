"""An editor adds a question in Norwegian, it is translated in
wagtail-localize; an applicant in English answers it; HR reads question and
answer in their own language and finds the answer in its export column."""

import copy

import pytest
from django.test import Client
from django.urls import reverse
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from mentoring_cms.models import Application, ProgramPage
from mentoring_cms.questions.blocks import ApplicationFormBlock

from .application_helpers import (  # noqa: F401
    apply_url,
    clear_rate_limits,
    make_faculty_pair,
    mentee_answers,
    translate_page,
    walk,
)
from .questions_helpers import post_data, question
from .test_review_export import read_csv
from .utils import get_locale, set_admin_language

pytestmark = pytest.mark.django_db

QUESTION_NB = "Hvordan hørte du om programmet?"
QUESTION_EN = "How did you hear about the programme?"
CHOICES = {"Kollega": "A colleague", "Nettsiden": "The website"}


def add_question_in_norwegian(client, form):
    """The editor's edit of the form in the Wagtail admin."""
    raw = copy.deepcopy(list(form.body.raw_data))
    motivation = next(step for step in raw if step["id"] == "mentee-motivation")
    motivation["value"]["questions"].append(
        question(
            "single_choice",
            "heard_of",
            QUESTION_NB,
            help_text="Velg ett svar.",
            required=True,
            choices=[("colleague", "Kollega"), ("website", "Nettsiden")],
        )
    )
    data = {"name": form.name, "role": form.role}
    data.update(post_data(ApplicationFormBlock(), raw, "body"))
    url = reverse("wagtailsnippets_mentoring_cms_applicationform:edit", args=[form.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def translate_in_wagtail_localize(form):
    """What the translator does in wagtail-localize's editor: the new texts
    get their English, and the translation is published."""
    form.refresh_from_db()
    source, _created = TranslationSource.update_or_create_from_instance(form)
    translation_, _created = Translation.objects.get_or_create(
        source=source, target_locale=get_locale("en")
    )
    english = {QUESTION_NB: QUESTION_EN, "Velg ett svar.": "Choose one.", **CHOICES}
    for segment in source.stringsegment_set.select_related("string", "context"):
        text = segment.string.data
        if text in english:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=get_locale("en"),
                context=segment.context,
                defaults={"data": english[text]},
            )
    translation_.save_target(publish=True)


@pytest.fixture
def faculties():
    return make_faculty_pair(
        "Fakultet for naturvitenskap", "Faculty of Natural Sciences"
    )


def test_a_new_question_from_editor_to_applicant_to_hr(
    client,
    superuser,
    hr_user,
    programme,
    open_round,
    faculties,
    django_capture_on_commit_callbacks,
):
    form = programme.default_mentee_form
    client.force_login(superuser)
    add_question_in_norwegian(client, form)
    translate_in_wagtail_localize(form)
    english_form = form.get_translation(get_locale("en"))
    assert english_form.schema.question("heard_of").label == QUESTION_EN

    round_en = translate_page(open_round, "en", title="Round 2026")
    applicant = Client()
    answers = mentee_answers(
        faculties[0],
        about={"language": "en"},
        motivation={"heard_of": "website"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        walk(applicant, round_en, "mentee", answers)
    application = Application.objects.get(role="mentee")
    entry = next(e for e in application.answer_snapshot if e["id"] == "heard_of")
    assert entry["label"] == {"nb": QUESTION_NB, "en": QUESTION_EN}
    assert entry["value"] == "website"

    hr = Client()
    hr.force_login(hr_user)
    detail = reverse("mentoring_applications:edit", args=[application.pk])
    set_admin_language(hr_user, "en")
    html = hr.get(detail).content.decode()
    assert QUESTION_EN in html and "The website" in html
    set_admin_language(hr_user, "nb")
    html = hr.get(detail).content.decode()
    assert QUESTION_NB in html and "Nettsiden" in html

    rows = read_csv(hr.get(reverse("mentoring_applications:export", args=["csv"])))
    header, row = rows[0], rows[1]
    assert row[header.index(QUESTION_NB)] == "Nettsiden"
    set_admin_language(hr_user, "en")
    rows = read_csv(hr.get(reverse("mentoring_applications:export", args=["csv"])))
    assert rows[1][rows[0].index(QUESTION_EN)] == "The website"


def test_the_english_step_asks_the_new_question(
    client, superuser, programme, open_round, faculties
):
    form = programme.default_mentee_form
    client.force_login(superuser)
    add_question_in_norwegian(client, form)
    translate_in_wagtail_localize(form)
    round_en = translate_page(open_round, "en", title="Round 2026")
    applicant = Client()
    walk(applicant, round_en, "mentee", mentee_answers(faculties[0]), until="promotion")
    html = applicant.get(apply_url(round_en, "mentee", "motivation")).content.decode()
    assert QUESTION_EN in html and "The website" in html and "Choose one." in html
    # Required, and only the choices offered.
    from .application_helpers import post_step

    fields = dict(mentee_answers(faculties[0])["motivation"])
    response = post_step(applicant, round_en, "mentee", "motivation", fields)
    assert response.status_code == 200
    fields["heard_of"] = "somewhere"
    response = post_step(applicant, round_en, "mentee", "motivation", fields)
    assert "Choose one of the answers offered." in response.content.decode()
    assert ProgramPage.objects.count() == 2


def test_editor_question_messages_follow_each_applicants_language(
    client, superuser, programme, open_round, faculties
):
    """The editor's question fields are built once per form and language:
    an applicant in Norwegian and one in English, in turns in one process,
    each get the messages of their own page's language."""
    from .application_helpers import post_step

    form = programme.default_mentee_form
    client.force_login(superuser)
    add_question_in_norwegian(client, form)
    translate_in_wagtail_localize(form)
    round_en = translate_page(open_round, "en", title="Round 2026")
    expected = {
        open_round: ("Velg et svar.", "Velg et av svarene som tilbys."),
        round_en: ("Choose an answer.", "Choose one of the answers offered."),
    }
    for programme_round in (open_round, round_en, open_round, round_en):
        applicant = Client()
        answers = mentee_answers(faculties[0])
        walk(applicant, programme_round, "mentee", answers, until="promotion")
        fields = dict(answers["motivation"])
        missing, not_offered = expected[programme_round]
        response = post_step(applicant, programme_round, "mentee", "motivation", fields)
        assert response.status_code == 200
        assert missing in response.content.decode()
        fields["heard_of"] = "somewhere"
        response = post_step(applicant, programme_round, "mentee", "motivation", fields)
        assert not_offered in response.content.decode()


def test_rewording_after_submission_leaves_hrs_page_as_asked(
    client,
    superuser,
    hr_user,
    programme,
    open_round,
    faculties,
    django_capture_on_commit_callbacks,
):
    applicant = Client()
    with django_capture_on_commit_callbacks(execute=True):
        walk(applicant, open_round, "mentee", mentee_answers(faculties[0]))
    application = Application.objects.get(role="mentee")
    form = programme.default_mentee_form
    raw = copy.deepcopy(list(form.body.raw_data))
    for step_ in raw:
        for block in step_["value"]["questions"]:
            if block["value"].get("identifier") == "motivation":
                block["value"]["label"] = "Hva driver deg?"
    client.force_login(superuser)
    data = {"name": form.name, "role": form.role}
    data.update(post_data(ApplicationFormBlock(), raw, "body"))
    url = reverse("wagtailsnippets_mentoring_cms_applicationform:edit", args=[form.pk])
    assert client.post(url, data).status_code == 302
    form.refresh_from_db()
    assert form.schema.question("motivation").label == "Hva driver deg?"

    hr = Client()
    hr.force_login(hr_user)
    set_admin_language(hr_user, "nb")
    html = hr.get(reverse("mentoring_applications:edit", args=[application.pk]))
    html = html.content.decode()
    assert "Hvorfor vil du delta?" in html
    assert "Hva driver deg?" not in html
