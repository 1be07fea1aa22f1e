"""The default application forms: the seed's questions, word for word.

The questions the programme asked before editors owned them (towards
promotion, motivation, justification, hopes from a mentor; the mentor's
experience and what they offer) with their Norwegian (source) and English
wording, and the core questions where they stood. ``default_body(role,
language)`` gives a form's raw StreamField JSON; block ids and choice
values are the same in both languages (and equal to the values stored
before, e.g. ``"professor"``), so the English form is the translation of
the Norwegian one and old answers keep their meaning.

Used by migration 0012 (the forms of existing programmes) and by the demo
content (new sites). Pure data: no models.
"""

MENTEE = "mentee"
MENTOR = "mentor"

# (nb, en) pairs.
NAMES = {
    MENTEE: ("Søknadsskjema for adepter", "Mentee application form"),
    MENTOR: ("Søknadsskjema for mentorer", "Mentor application form"),
}

STEP_TITLES = {
    "about": ("Om deg", "About you"),
    "position": ("Stilling", "Position"),
    "promotion": ("Mot opprykk", "Towards promotion"),
    "motivation": ("Motivasjon", "Motivation"),
    "experience": ("Erfaring", "Experience"),
    "consent": ("Forpliktelse og samtykke", "Commitment and consent"),
}

CORE_STEPS = {
    "about": ("full_name", "email", "phone", "language"),
    "position": (
        "position",
        "permanently_employed",
        "faculty",
        "department",
        "academic_field",
        "attachment",
    ),
    "consent": ("confirm_gatherings", "confirm_meetings", "accept_privacy"),
}
MENTEE_ONLY_CORE = ("permanently_employed", "attachment")

CHARS_2000 = ("Høyst 2 000 tegn.", "At most 2,000 characters.")

# identifier: (type, label, help text, required, extra)
QUESTIONS = {
    "promotion_target": (
        "single_choice",
        (
            "Hvilket opprykk arbeider du mot?",
            "Which promotion are you working towards?",
        ),
        ("", ""),
        True,
        {
            "choices": [
                ("professor", ("Professor", "Professor")),
                ("dosent", ("Dosent", "Docent")),
            ]
        },
    ),
    "promotion_progress": (
        "single_choice",
        (
            "Hvor langt har du kommet i opprykksarbeidet?",
            "How far has your promotion work come?",
        ),
        ("", ""),
        True,
        {
            "choices": [
                ("starting", ("Jeg har begynt å planlegge", "I have started planning")),
                ("under_way", ("Jeg er godt i gang", "I am well under way")),
                (
                    "nearly_ready",
                    ("Jeg er nesten klar til å søke", "I am nearly ready to apply"),
                ),
            ]
        },
    ),
    "planned_application": (
        "single_choice",
        (
            "Når planlegger du å søke om opprykk?",
            "When do you plan to apply for promotion?",
        ),
        ("", ""),
        True,
        {
            "choices": [
                ("within_1_year", ("Innen et år", "Within a year")),
                ("1_2_years", ("Om ett til to år", "In one to two years")),
                ("2_3_years", ("Om to til tre år", "In two to three years")),
                (
                    "later",
                    ("Senere, eller ikke bestemt ennå", "Later, or not decided yet"),
                ),
            ]
        },
    ),
    "progress_summary": (
        "long_text",
        ("Oppsummering av hvor langt du har kommet", "Summary of your progress"),
        (
            "Hva du har gjort så langt og hva som gjenstår, med noen få setninger "
            "(høyst 2 000 tegn).",
            "What you have done so far and what remains, in a few sentences "
            "(at most 2,000 characters).",
        ),
        True,
        {"limit": 2000},
    ),
    "motivation": (
        "long_text",
        ("Hvorfor vil du delta?", "Why do you want to take part?"),
        (
            "Motivasjonen din for å delta i programmet (høyst 3 000 tegn).",
            "Your motivation for the programme (at most 3,000 characters).",
        ),
        True,
        {"limit": 3000},
    ),
    "justification": (
        "long_text",
        ("Hvorfor er tiden riktig for deg nå?", "Why is now the right time for you?"),
        (
            "Begrunnelsen din: hvordan programmet passer med karriereplanene dine "
            "(høyst 3 000 tegn).",
            "Your justification: how the programme fits your career plans "
            "(at most 3,000 characters).",
        ),
        True,
        {"limit": 3000},
    ),
    "expectations": (
        "long_text",
        (
            "Hva håper du å få ut av å ha en mentor?",
            "What do you hope to get from a mentor?",
        ),
        CHARS_2000,
        True,
        {"limit": 2000},
    ),
    "earlier_mentoring": (
        "yes_no",
        ("Har du vært mentor før?", "Have you been a mentor before?"),
        ("I dette programmet eller andre steder.", "In this programme or elsewhere."),
        True,
        {},
    ),
    "mentoring_experience": (
        "long_text",
        (
            "Erfaringen din som mentor (valgfritt)",
            "Your experience as a mentor (optional)",
        ),
        (
            "Hvor og hvordan du har vært mentor (høyst 2 000 tegn).",
            "Where and how you have mentored (at most 2,000 characters).",
        ),
        False,
        {"limit": 2000},
    ),
    "offer": (
        "long_text",
        ("Hva kan du tilby en adept?", "What can you offer a mentee?"),
        (
            "Erfaringen din med opprykk, nettverk og arbeidsmåter (høyst 3 000 tegn).",
            "Your experience of promotion, networks, ways of working "
            "(at most 3,000 characters).",
        ),
        True,
        {"limit": 3000},
    ),
}

STEPS = {
    MENTEE: (
        ("about", ()),
        ("position", ()),
        (
            "promotion",
            (
                "promotion_target",
                "promotion_progress",
                "planned_application",
                "progress_summary",
            ),
        ),
        ("motivation", ("motivation", "justification", "expectations")),
        ("consent", ()),
    ),
    MENTOR: (
        ("about", ()),
        ("position", ()),
        ("experience", ("earlier_mentoring", "mentoring_experience", "offer")),
        ("consent", ()),
    ),
}

LANGUAGES = ("nb", "en")


def _pick(pair, language):
    return pair[LANGUAGES.index(language)] if language in LANGUAGES else pair[0]


def _core_block(role, key):
    return {
        "type": "core",
        "id": f"{role}-{key}",
        "value": {"question": key, "label": "", "help_text": ""},
    }


def _question_block(role, identifier, language):
    kind, label, help_text, required, extra = QUESTIONS[identifier]
    value = {
        "identifier": identifier,
        "label": _pick(label, language),
        "help_text": _pick(help_text, language),
        "required": required,
    }
    if kind == "long_text":
        value.update({"limit": extra["limit"], "limit_unit": "characters"})
    if "choices" in extra:
        value["choices"] = [
            {"type": "item", "id": choice_id, "value": _pick(text, language)}
            for choice_id, text in extra["choices"]
        ]
    return {"type": kind, "id": f"{role}-{identifier}", "value": value}


def default_body(role, language="nb"):
    """The raw StreamField JSON of the default form of ``role`` ("mentee"
    or "mentor") in ``language`` ("nb" or "en")."""
    body = []
    for step, editor_questions in STEPS[role]:
        blocks = [
            _core_block(role, key)
            for key in CORE_STEPS.get(step, ())
            if role == MENTEE or key not in MENTEE_ONLY_CORE
        ]
        blocks += [
            _question_block(role, identifier, language)
            for identifier in editor_questions
        ]
        body.append(
            {
                "type": "step",
                "id": f"{role}-{step}",
                "value": {
                    "title": _pick(STEP_TITLES[step], language),
                    "intro": "",
                    "questions": blocks,
                },
            }
        )
    return body


def default_name(role, language="nb"):
    """The editors' name of the default form of ``role`` in ``language``."""
    return _pick(NAMES[role], language)
