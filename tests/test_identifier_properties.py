"""Property-based tests (hypothesis) of the text rules every form and the
listing share: canonical email addresses, search text, invisible and control
characters (mentoring_cms/identifiers.py and validators.py)."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mentoring_cms.identifiers import (
    DIRECTION_OVERRIDES,
    canonical_email,
    is_invisible,
    search_term,
    search_text,
    strip_invisible,
)
from mentoring_cms.validators import refuse_control_characters

INVISIBLE = st.sampled_from(
    ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060", "\u200e"]
)
# Letters of the names and domains the university's applicants type.
NAME_LETTERS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøåéüö"))
LABEL = st.text(NAME_LETTERS, min_size=1, max_size=12)


def sprinkle(draw, text):
    """``text`` with invisible characters inserted at random places."""
    chars = list(text)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(INVISIBLE))
    return "".join(chars)


@st.composite
def mailboxes(draw):
    local = draw(
        st.text(
            st.sampled_from(list("abcdefghijklmnopqrstuvwxyz.")),
            min_size=1,
            max_size=12,
        )
    )
    assume(not local.startswith(".") and not local.endswith(".") and ".." not in local)
    domain = f"{draw(LABEL)}.{draw(st.sampled_from(['no', 'org', 'com']))}"
    return f"{local}@{domain}"


@given(st.text(max_size=40))
def test_canonical_email_is_idempotent(value):
    once = canonical_email(value)
    assert canonical_email(once) == once


@given(st.data(), mailboxes())
def test_the_same_mailbox_written_differently_has_one_canonical_form(data, address):
    local, _at, domain = address.rpartition("@")
    variants = [
        address.upper(),
        f"  {address}  ",
        sprinkle(data.draw, address),
        f"{local}@{domain.encode('idna').decode('ascii')}",
        unicodedata.normalize("NFD", address),
    ]
    expected = canonical_email(address)
    for variant in variants:
        assert canonical_email(variant) == expected, variant


@given(st.text(max_size=40))
def test_stripping_leaves_no_invisible_character_and_is_idempotent(value):
    stripped = strip_invisible(value)
    assert not any(is_invisible(char) for char in stripped)
    assert strip_invisible(stripped) == stripped
    # Direction overrides are refused, not silently removed.
    assert [c for c in value if c in DIRECTION_OVERRIDES] == [
        c for c in stripped if c in DIRECTION_OVERRIDES
    ]


@given(
    st.data(),
    st.text(NAME_LETTERS | st.sampled_from(list(" -'")), min_size=1, max_size=30),
)
def test_a_name_is_found_however_it_was_typed_or_searched(data, name):
    assume(name.strip())
    stored = search_text(sprinkle(data.draw, name), "someone@example.org")
    for query in (name, name.upper(), name.strip().title(), sprinkle(data.draw, name)):
        assert search_term(query) in stored


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60), st.booleans())
def test_text_is_either_refused_or_holds_no_control_character(value, multiline):
    allowed = {"\n", "\r", "\t"} if multiline else set()
    try:
        refuse_control_characters(value, multiline=multiline)
    except ValidationError as error:
        assert error.code == "control_characters"
        assert any(
            (c not in allowed and unicodedata.category(c) in ("Cc", "Cs"))
            or c in DIRECTION_OVERRIDES
            for c in value
        )
    else:
        for char in value:
            assert char in allowed or unicodedata.category(char) not in ("Cc", "Cs")
            assert char not in DIRECTION_OVERRIDES


@pytest.mark.parametrize("override", sorted(DIRECTION_OVERRIDES))
def test_every_direction_override_is_refused(override):
    with pytest.raises(ValidationError):
        refuse_control_characters(f"Kari{override}Nordmann")
