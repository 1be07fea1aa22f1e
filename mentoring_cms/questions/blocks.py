"""The StreamField blocks editors build an application form with.

A form (``ApplicationFormBlock``) is a sequence of steps; a step
(``StepBlock``) has a title, an introduction and its questions: short text,
long text (with a word or character limit), single choice, multiple choice,
yes/no, date, number, URL, each with a stable identifier, a label, a help
text and whether it must be answered; and the core questions
(``CoreQuestionBlock``), whose type and rules stay in code: an editor places
them and may reword their label and help text.

wagtail-localize translates the labels, help texts, titles and choices in
its editor; identifiers are not translated (``IdentifierBlock``), and a
choice's value is the id of its list item, the same in every translation.

``clean`` of each block gives the editor's errors on the field that is
wrong: a step without questions, an identifier used twice in the form, a
choice question without choices, a limit of zero or less.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from . import schema


class IdentifierBlock(blocks.CharBlock):
    """The identifier of a question: a slug that stays the same in every
    language and in every revision, so answers can be matched to it. Not
    offered for translation."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("validators", [validate_slug])
        super().__init__(**kwargs)

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


def _field_error(name, message):
    return StructBlockValidationError(block_errors={name: ValidationError(message)})


class QuestionBlock(blocks.StructBlock):
    """What every editor's question has: identifier, label, help text and
    whether it must be answered."""

    identifier = IdentifierBlock(
        label=_("Identifier"),
        help_text=_(
            "Letters, digits, hyphens or underscores; the same in every "
            "language. Do not change it once applications have answered."
        ),
    )
    label = blocks.CharBlock(label=_("Question"), max_length=255)
    help_text = blocks.TextBlock(label=_("Help text"), required=False)
    required = blocks.BooleanBlock(
        label=_("Must be answered"), required=False, default=True
    )

    def clean(self, value):
        value = super().clean(value)
        if value["identifier"] in schema.RESERVED_IDENTIFIERS:
            raise _field_error(
                "identifier",
                gettext(
                    "“%(identifier)s” is reserved for a question of the form "
                    "itself. Choose another identifier."
                )
                % {"identifier": value["identifier"]},
            )
        return value


class ShortTextBlock(QuestionBlock):
    limit = blocks.IntegerBlock(
        label=_("Maximum number of characters"),
        required=False,
        help_text=_("At most 255; leave empty for 255."),
    )

    def clean(self, value):
        value = super().clean(value)
        limit = value.get("limit")
        if limit is not None and limit <= 0:
            raise _field_error("limit", gettext("The limit must be more than zero."))
        if limit is not None and limit > schema.SHORT_TEXT_MAX_LENGTH:
            raise _field_error(
                "limit",
                gettext("A short answer has at most %(max)s characters.")
                % {"max": schema.SHORT_TEXT_MAX_LENGTH},
            )
        return value

    class Meta:
        label = _("Short text")
        icon = "pilcrow"


class LongTextBlock(QuestionBlock):
    limit = blocks.IntegerBlock(label=_("Limit"))
    limit_unit = blocks.ChoiceBlock(
        label=_("Limit in"),
        choices=[(schema.CHARACTERS, _("characters")), (schema.WORDS, _("words"))],
        default=schema.CHARACTERS,
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("limit") is None or value["limit"] <= 0:
            raise _field_error("limit", gettext("The limit must be more than zero."))
        return value

    class Meta:
        label = _("Long text")
        icon = "doc-full"


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=255),
        label=_("Choices"),
        min_num=0,
    )

    def clean(self, value):
        value = super().clean(value)
        if not [choice for choice in value["choices"] if choice]:
            raise _field_error(
                "choices", gettext("A choice question needs at least one choice.")
            )
        return value


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        label = _("Single choice")
        icon = "radio-full"


class MultipleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        label = _("Multiple choice")
        icon = "tasks"


class YesNoBlock(QuestionBlock):
    class Meta:
        label = _("Yes or no")
        icon = "tick"


class DateQuestionBlock(QuestionBlock):
    class Meta:
        label = _("Date")
        icon = "date"


class NumberQuestionBlock(QuestionBlock):
    min_value = blocks.DecimalBlock(label=_("Smallest number"), required=False)
    max_value = blocks.DecimalBlock(label=_("Largest number"), required=False)

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and high < low:
            raise _field_error(
                "max_value",
                gettext("The largest number cannot be smaller than the smallest."),
            )
        return value

    class Meta:
        label = _("Number")
        icon = "order"


class UrlQuestionBlock(QuestionBlock):
    class Meta:
        label = _("Web address")
        icon = "link"


class CoreQuestionBlock(blocks.StructBlock):
    """A core question placed in the form. Its type and rules are in code;
    an empty label or help text keeps the wording in code."""

    question = blocks.ChoiceBlock(label=_("Core question"), choices=schema.core_choices)
    label = blocks.CharBlock(
        label=_("Question"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the standard wording."),
    )
    help_text = blocks.TextBlock(
        label=_("Help text"),
        required=False,
        help_text=_("Leave empty to use the standard help text."),
    )

    class Meta:
        label = _("Core question")
        icon = "lock"


class QuestionsBlock(blocks.StreamBlock):
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    yes_no = YesNoBlock()
    date = DateQuestionBlock()
    number = NumberQuestionBlock()
    url = UrlQuestionBlock()
    core = CoreQuestionBlock()

    class Meta:
        required = False


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    questions = QuestionsBlock(label=_("Questions"))

    def clean(self, value):
        value = super().clean(value)
        if not len(value["questions"]):
            raise _field_error(
                "questions", gettext("A step needs at least one question.")
            )
        return value

    class Meta:
        label = _("Step")
        icon = "list-ol"


def question_identifier(child):
    """The identifier of a question block in a step (a core question's is
    its key)."""
    if child.block_type == schema.CORE:
        return child.value["question"]
    return child.value["identifier"]


class ApplicationFormBlock(blocks.StreamBlock):
    """A whole form: its steps, each identifier at most once."""

    step = StepBlock()

    def clean(self, value):
        value = super().clean(value)
        seen = {}
        for step_index, step in enumerate(value):
            for question_index, child in enumerate(step.value["questions"]):
                identifier = question_identifier(child)
                seen.setdefault(identifier, []).append((step_index, question_index))
        errors = {}
        for identifier, places in seen.items():
            if len(places) < 2:
                continue
            message = gettext(
                "The identifier “%(identifier)s” is used by more than one "
                "question. Give each question its own identifier."
            ) % {"identifier": identifier}
            for step_index, question_index in places[1:]:
                errors.setdefault(step_index, {})[question_index] = message
        if errors:
            raise blocks.StreamBlockValidationError(
                block_errors={
                    step_index: StructBlockValidationError(
                        block_errors={
                            "questions": blocks.StreamBlockValidationError(
                                block_errors={
                                    index: _duplicate_error(value[step_index], index, m)
                                    for index, m in by_question.items()
                                }
                            )
                        }
                    )
                    for step_index, by_question in errors.items()
                }
            )
        return value

    class Meta:
        required = True


def _duplicate_error(step, index, message):
    child = step.value["questions"][index]
    name = "question" if child.block_type == schema.CORE else "identifier"
    return _field_error(name, message)
