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


def post_data(block, raw, prefix):
    """The admin form data a StreamField widget posts for the raw JSON
    ``raw`` of ``block`` (what the editor's browser sends)."""
    from wagtail import blocks as wagtail_blocks

    data = {}
    if isinstance(block, wagtail_blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(raw))
        for index, child in enumerate(raw):
            base = f"{prefix}-{index}"
            data.update(
                {
                    f"{base}-type": child["type"],
                    f"{base}-id": child.get("id", ""),
                    f"{base}-deleted": "",
                    f"{base}-order": str(index),
                }
            )
            data.update(
                post_data(
                    block.child_blocks[child["type"]], child["value"], f"{base}-value"
                )
            )
    elif isinstance(block, wagtail_blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(raw or []))
        for index, item in enumerate(raw or []):
            base = f"{prefix}-{index}"
            data.update(
                {
                    f"{base}-id": item.get("id", ""),
                    f"{base}-deleted": "",
                    f"{base}-order": str(index),
                }
            )
            data.update(post_data(block.child_block, item["value"], f"{base}-value"))
    elif isinstance(block, wagtail_blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            data.update(
                post_data(child_block, (raw or {}).get(name), f"{prefix}-{name}")
            )
    elif isinstance(block, wagtail_blocks.BooleanBlock):
        if raw:
            data[prefix] = "on"
    else:
        data[prefix] = "" if raw is None else str(raw)
    return data
