"""A stored answer keeps the question as it was asked."""

from mentoring_cms.questions import schema, snapshot

from .questions_helpers import form_body, question, step


def schemas(nb_label="Hvorfor vil du delta?", en_label="Why do you want to take part?"):
    def body(label, choices, title):
        return form_body(
            step(
                title,
                question("long_text", "motivation", label),
                question("single_choice", "target", "Mål", choices=choices),
                question("yes_no", "earlier", "Før?"),
                question("date", "start", "Start"),
                step_id="s-motivation",
            )
        )

    return {
        "nb": schema.schema_from_raw(
            body(nb_label, [("p", "Professor"), ("d", "Dosent")], "Motivasjon")
        ),
        "en": schema.schema_from_raw(
            body(en_label, [("p", "Professor"), ("d", "Docent")], "Motivation")
        ),
    }


VALUES = {"motivation": "<b>Fordi</b>", "target": "d", "earlier": False, "start": None}


def test_the_snapshot_holds_labels_and_choices_in_both_languages():
    entries = snapshot.take_snapshot(schemas(), VALUES)
    assert [entry["id"] for entry in entries] == [
        "motivation",
        "target",
        "earlier",
        "start",
    ]
    motivation, target = entries[0], entries[1]
    assert motivation == {
        "id": "motivation",
        "type": "long_text",
        "label": {"nb": "Hvorfor vil du delta?", "en": "Why do you want to take part?"},
        "choices": [],
        "value": "<b>Fordi</b>",
        "step": {"nb": "Motivasjon", "en": "Motivation"},
    }
    assert target["choices"][1] == {
        "value": "d",
        "label": {"nb": "Dosent", "en": "Docent"},
    }


def test_rendering_reads_the_snapshot_alone_in_the_readers_language():
    entries = snapshot.take_snapshot(schemas(), VALUES)
    assert snapshot.describe_snapshot(entries, "en") == [
        (
            "Motivation",
            [
                ("Why do you want to take part?", "<b>Fordi</b>"),
                ("Mål", "Docent"),
                ("Før?", "No"),
                ("Start", "Not given"),
            ],
        )
    ]
    nb = dict(snapshot.describe_snapshot(entries, "nb")[0][1])
    assert nb["Mål"] == "Dosent"
    assert nb["Før?"] == "Nei"
    assert nb["Start"] == "Ikke oppgitt"


def test_rewording_the_form_later_leaves_the_snapshot_as_asked():
    entries = snapshot.take_snapshot(schemas(), VALUES)
    reworded = schemas(nb_label="Hva driver deg?", en_label="What drives you?")
    assert reworded["en"].question("motivation").label == "What drives you?"
    # The stored entries do not refer to the form at all.
    assert snapshot.question_text(entries[0], "en") == "Why do you want to take part?"


def test_an_untranslated_form_falls_back_to_the_source_texts():
    entries = snapshot.take_snapshot({"nb": schemas()["nb"]}, VALUES)
    assert entries[0]["label"] == {
        "nb": "Hvorfor vil du delta?",
        "en": "Hvorfor vil du delta?",
    }


def test_dates_numbers_and_multiple_choices_as_text():
    entry = {"type": "date", "value": "2026-09-01", "label": {}}
    assert snapshot.answer_text(entry, "en") == "Sept. 1, 2026"
    multiple = {
        "type": "multiple_choice",
        "value": ["a", "b"],
        "choices": [
            {"value": "a", "label": {"nb": "A-nb", "en": "A-en"}},
            {"value": "b", "label": {"nb": "B-nb", "en": "B-en"}},
        ],
    }
    assert snapshot.answer_text(multiple, "nb") == "A-nb, B-nb"


def test_answered_identifiers_ignore_empty_answers_but_count_no():
    entries = snapshot.take_snapshot(schemas(), VALUES)
    assert snapshot.answered_identifiers(entries) == {"motivation", "target", "earlier"}


def test_core_questions_are_kept_in_place_with_their_wording_in_code():
    def core_label(key, language):
        return f"{key}@{language}"

    entries = snapshot.take_snapshot(schemas(), VALUES, core_label=core_label)
    email = next(entry for entry in entries if entry["id"] == "email")
    assert email["type"] == "core"
    assert email["label"] == {"nb": "email@nb", "en": "email@en"}
    assert email["value"] is None
    assert email["step"] == {"nb": "Om deg", "en": "Om deg"}
    assert snapshot.answered_identifiers(entries) == {"motivation", "target", "earlier"}
    sections = snapshot.describe_snapshot(
        entries, "en", core_text=lambda key: key.upper()
    )
    assert sections[0][1][1] == ("email@en", "EMAIL")
    # Without a way to show core answers, they are left out.
    assert [title for title, _rows in snapshot.describe_snapshot(entries, "en")] == [
        "Motivation"
    ]
