"""Small-group suppression (issue: outcomes and evaluation)."""

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mentoring_cms.small_groups import is_small, suppress, suppress_share


def test_small_counts_are_words_not_numbers(settings):
    settings.MENTORING_CMS_SMALL_GROUP_THRESHOLD = 5
    assert suppress(4).value is None
    with translation.override("en"):
        assert suppress(4).text == "fewer than 5"
    assert suppress(5).value == 5
    assert suppress(0).value == 0
    with translation.override("nb"):
        assert suppress(1).text == "færre enn 5"


def test_threshold_is_a_setting(settings):
    settings.MENTORING_CMS_SMALL_GROUP_THRESHOLD = 3
    assert suppress(4).value == 4
    with translation.override("en"):
        assert suppress(2).text == "fewer than 3"


@given(
    whole=st.integers(min_value=0, max_value=60),
    data=st.data(),
    minimum=st.integers(min_value=1, max_value=10),
)
def test_a_share_never_reveals_a_small_group(whole, data, minimum):
    part = data.draw(st.integers(min_value=0, max_value=whole))
    cell = suppress_share(part, whole, minimum)
    if cell.value is not None:
        # Neither side of the split, nor the group, is small.
        assert not is_small(whole, minimum)
        assert not is_small(part, minimum)
        assert not is_small(whole - part, minimum)
        assert cell.value == round(100 * part / whole)
    elif whole:
        assert (
            is_small(whole, minimum)
            or is_small(part, minimum)
            or is_small(whole - part, minimum)
        )
