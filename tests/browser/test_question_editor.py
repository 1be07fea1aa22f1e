"""An editor adds a question to the mentee application form in Norwegian in
the Wagtail admin, translates it in wagtail-localize's editor and publishes
the translation."""

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail_localize.models import TranslationSource

from mentoring_cms.models import ApplicationForm

from .admin import sign_in
from .i18n import tr, tr_js

pytestmark = pytest.mark.browser

QUESTION_NB = "Hvordan hørte du om programmet?"
QUESTION_EN = "How did you hear about the programme?"


@pytest.mark.browser_context_args(locale="nb-NO")
def test_editor_adds_and_translates_a_question(demo_site, page):
    form = ApplicationForm.objects.get(locale__language_code="nb", role="mentee")
    english = form.get_translation_or_none(
        form.locale.__class__.objects.get(language_code="en")
    )
    steps = [step["id"] for step in form.body.raw_data]
    motivation = steps.index("mentee-motivation")
    prefix = f"body-{motivation}-value-questions"
    sign_in(page, "editor")

    page.goto(f"/admin/snippets/mentoring_cms/applicationform/edit/{form.pk}/")
    stream = page.locator(f'input[name="{prefix}-count"]').locator("xpath=..")
    count = int(page.locator(f'input[name="{prefix}-count"]').input_value())
    stream.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=tr("Short text", "nb"), exact=True).click()
    new = f"{prefix}-{count}-value"
    page.locator(f'input[name="{new}-identifier"]').fill("heard_of")
    page.locator(f'input[name="{new}-label"]').fill(QUESTION_NB)
    page.get_by_role("button", name=tr("Save", "nb"), exact=True).first.click()
    expect(page.locator(".messages"), "form saved [nb]").to_be_visible()
    form.refresh_from_db()
    assert form.schema.question("heard_of").label == QUESTION_NB

    # The translator brings the new text into wagtail-localize (what "Sync
    # translated snippets" does) and translates it in its editor.
    TranslationSource.update_or_create_from_instance(form)
    page.goto(f"/admin/snippets/mentoring_cms/applicationform/edit/{english.pk}/")
    segment = page.get_by_text(QUESTION_NB, exact=True).locator("xpath=ancestor::li[1]")
    segment.get_by_role("button", name=tr_js("Translate", "nb")).click()
    segment.get_by_role("textbox").fill(QUESTION_EN)
    segment.get_by_role("button", name=tr_js("Save", "nb")).click()
    expect(segment, "localize editor: the string is saved").to_contain_text(QUESTION_EN)
    publish = tr_js("Publish in %s", "nb") % dict(settings.LANGUAGES)["en"]
    page.get_by_role("button", name=publish).click()
    expect(page.locator(".messages"), "translation published [nb]").to_be_visible()
    english.refresh_from_db()
    assert english.schema.question("heard_of").label == QUESTION_EN
