"""A round without a form asks exactly the questions ``questions.core``
describes: same steps, same order, same labels, so HR's detail page, the
exports and the confirmation email (which read ``questions.core`` for an
application without a snapshot) name every answer the way the applicant
was asked."""

import pytest
from django.utils.translation import override

from mentoring_cms.questions.core import QUESTIONS, STEPS
from mentoring_cms.step_forms import default_step_list

FORM_MACHINERY = {"website", "notice_version"}


@pytest.mark.parametrize("role", ["mentee", "mentor"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_step_forms_ask_the_core_questions_in_order(role, language):
    steps = default_step_list(role, language)
    with override(language):
        assert [name for name, _form in steps] == [step.name for step in STEPS[role]]
        for (name, form_class), step in zip(steps, STEPS[role], strict=True):
            form = form_class(role=role)
            asked = [field for field in form.fields if field not in FORM_MACHINERY]
            assert asked == list(step.questions), name
            assert str(form.title) == str(step.title)
            for field in asked:
                assert str(form.fields[field].label) == str(
                    QUESTIONS[field].label_for(role)
                ), field
