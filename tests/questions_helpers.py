"""Builders of application form bodies (raw StreamField JSON) for tests."""

import itertools

_ids = itertools.count(1)


def question(kind="short_text", identifier=None, label="Spørsmål", **value):
    """One question block's raw JSON; ``choices`` may be given as a list of
    texts (their ids become c1, c2…) or of (id, text) pairs."""
    if kind == "core":
        return {
            "type": "core",
            "id": f"b{next(_ids)}",
            "value": {
                "question": identifier,
                "label": value.get("label", ""),
                "help_text": value.get("help_text", ""),
            },
        }
    value.setdefault("help_text", "")
    value.setdefault("required", True)
    if kind == "long_text":
        value.setdefault("limit", 2000)
        value.setdefault("limit_unit", "characters")
    if "choices" in value:
        value["choices"] = [
            {"type": "item", "id": c[0], "value": c[1]}
            if isinstance(c, tuple)
            else {"type": "item", "id": f"c{index}", "value": c}
            for index, c in enumerate(value["choices"], start=1)
        ]
    return {
        "type": kind,
        "id": f"b{next(_ids)}",
        "value": {
            "identifier": identifier or f"q{next(_ids)}",
            "label": label,
            **value,
        },
    }


def step(title, *questions, intro="", step_id=None):
    return {
        "type": "step",
        "id": step_id or f"s{next(_ids)}",
        "value": {"title": title, "intro": intro, "questions": list(questions)},
    }


MENTEE_CORE = (
    "full_name",
    "email",
    "language",
    "position",
    "permanently_employed",
    "faculty",
    "department",
    "confirm_gatherings",
    "confirm_meetings",
    "accept_privacy",
)
MENTOR_CORE = tuple(key for key in MENTEE_CORE if key != "permanently_employed")


def core_step(role="mentee"):
    keys = MENTEE_CORE if role == "mentee" else MENTOR_CORE
    return step("Om deg", *(question("core", key) for key in keys), step_id="core")


def form_body(*steps, role="mentee"):
    """A complete form: the core questions of ``role`` in one step, then
    ``steps``."""
    return [core_step(role), *steps]
