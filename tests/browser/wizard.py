"""Helpers for walking the application wizards in the browser: the open
demo round, texts in the page's language, and filling a step's fields."""

from playwright.sync_api import expect

from mentoring_cms.models import Faculty, ProgramRoundPage
from mentoring_cms.models.pages import RoundStatus

from .i18n import tr


def open_round(language):
    """The demo round that is open for applications, in ``language``."""
    rounds = ProgramRoundPage.objects.live().filter(locale__language_code=language)
    for programme_round in rounds.order_by("application_closes"):
        if programme_round.status == RoundStatus.OPEN:
            return programme_round
    raise AssertionError(f"the demo content has an open round in {language}")


def faculties(language):
    """The faculties the position step offers in ``language``."""
    return list(Faculty.objects.filter(locale__language_code=language).order_by("name"))


def field(page, step, name):
    return page.locator(f'[name="{step}-{name}"]')


def choose(page, step, name, value):
    page.locator(f'input[name="{step}-{name}"][value="{value}"]').check()


def continue_(page, language):
    page.get_by_role("button", name=tr("Continue", language), exact=True).click()
    page.wait_for_load_state("load")


def expect_step(page, title, language):
    """The wizard shows the step called ``title``."""
    heading = page.get_by_role("heading", level=2, name=tr(title, language), exact=True)
    expect(
        heading, f"step {tr(title, language)!r} at {page.url} [{language}]"
    ).to_be_visible()


def fill_about(page, full_name, email, phone=""):
    field(page, "about", "full_name").fill(full_name)
    field(page, "about", "email").fill(email)
    field(page, "about", "phone").fill(phone)


def fill_mentee_position(page, faculty, attachment=None):
    choose(page, "position", "position", "associate_professor")
    choose(page, "position", "permanently_employed", "yes")
    field(page, "position", "faculty").select_option(label=faculty.name)
    field(page, "position", "department").fill("Institutt for matematiske fag")
    field(page, "position", "academic_field").fill("Algebraisk geometri")
    if attachment is not None:
        field(page, "position", "attachment").set_input_files(attachment)


def fill_mentor_position(page, faculty):
    choose(page, "position", "position", "professor")
    field(page, "position", "faculty").select_option(label=faculty.name)
    field(page, "position", "department").fill("Institutt for fysikk")
    field(page, "position", "academic_field").fill("Kondenserte fasers fysikk")


def fill_promotion(page):
    choose(page, "promotion", "promotion_target", "professor")
    choose(page, "promotion", "promotion_progress", "under_way")
    choose(page, "promotion", "planned_application", "1_2_years")
    field(page, "promotion", "progress_summary").fill(
        "Tre artikler publisert, to under arbeid; søknaden skrives neste år."
    )


def fill_motivation(page):
    field(page, "motivation", "motivation").fill("Jeg vil bli professor.")
    field(page, "motivation", "justification").fill("Opprykksarbeidet er i gang.")
    field(page, "motivation", "expectations").fill("Råd om søknaden og nettverk.")


def fill_experience(page):
    choose(page, "experience", "earlier_mentoring", "yes")
    field(page, "experience", "mentoring_experience").fill("Two PhD candidates.")
    field(page, "experience", "offer").fill("Experience of promotion committees.")


def fill_matching(page, track="professor", role="mentee"):
    """The matching step: a track (mentors only: a mentee's comes from the
    promotion target she gave), the first topic and the first language."""
    if role == "mentor":
        choose(page, "matching", "matching_track", track)
    else:
        assert page.locator('input[name="matching-matching_track"]').count() == 0
    for name in ("matching_topics", "matching_languages"):
        page.locator(f'input[name="matching-{name}"]').first.check()


def fill_consent(page):
    for name in ("confirm_gatherings", "confirm_meetings", "accept_privacy"):
        field(page, "consent", name).check()


# Keyboard only: Tab to move, Space to tick and choose, arrows inside a radio
# group, Enter to follow links and press buttons, and typing.


def tab_to(page, predicate, what, limit=60):
    """Press Tab until the focused element satisfies the JavaScript
    ``predicate`` (called with the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def tab_to_field(page, step, name):
    tab_to(page, f"(el) => el.name === '{step}-{name}'", f"the field {step}-{name}")


def tab_to_button(page, label):
    tab_to(
        page,
        f"(el) => el.tagName === 'BUTTON' && el.textContent.trim() === {label!r}",
        f"the button {label!r}",
    )


def type_into(page, step, name, text):
    tab_to_field(page, step, name)
    page.keyboard.type(text)


def choose_by_keyboard(page, step, name, value):
    """Tab into the radio group, then Space and the arrow keys to choose."""
    tab_to_field(page, step, name)
    page.keyboard.press("Space")
    group = page.locator(f'input[name="{step}-{name}"]')
    for _ in range(group.count()):
        if page.evaluate("document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    expect(group.and_(page.locator(f'[value="{value}"]'))).to_be_checked()


def tick_by_keyboard(page, step, name):
    tab_to_field(page, step, name)
    page.keyboard.press("Space")
    expect(field(page, step, name)).to_be_checked()


def press_button(page, label):
    tab_to_button(page, label)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
