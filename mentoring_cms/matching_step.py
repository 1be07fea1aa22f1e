"""The matching step of both application wizards (the public side of issue
15): what the matching reads (track, topics, languages, faculties or
departments to avoid, wishes)."""

from django import forms
from django.conf import settings
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from .forms import StepForm, long_text_field
from .models.topics import topic_choices
from .questions.core import MATCHING_STEP, QUESTIONS, TRACK_CHOICES
from .step_forms import asks

STEP_NAME = "matching"
MENTEE = "mentee"


class TopicChoices(BaseChoiceIterator):
    """The round's topics (``topic_choices``), looked up the first time they
    are shown or checked, not when the form is made."""

    def __init__(self, programme_round):
        self.round = programme_round
        self._choices = None

    def _load(self):
        if self._choices is None:
            self._choices = topic_choices(self.round)
        return self._choices

    def __iter__(self):
        yield from self._load()

    def __len__(self):
        return len(self._load())

    def __getitem__(self, index):
        return self._load()[index]


class TopicsField(forms.MultipleChoiceField):
    """Topics, checked against the choices unless ``check_choices`` is off."""

    check_choices = True

    def valid_value(self, value):
        return not self.check_choices or super().valid_value(value)


def multiple_choice_field(
    label, help_text="", required=True, error=None, field_class=None
):
    return (field_class or forms.MultipleChoiceField)(
        label=label,
        help_text=help_text,
        required=required,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": error} if error else {},
    )


class MatchingForm(StepForm):
    """One step, for mentees and mentors alike; the wording follows the role."""

    title = MATCHING_STEP.title

    matching_track = forms.ChoiceField(
        label=QUESTIONS["matching_track"].label,
        choices=TRACK_CHOICES,
        widget=forms.RadioSelect,
    )
    matching_topics = multiple_choice_field(
        QUESTIONS["matching_topics"].label,
        help_text=_("Choose one or more."),
        error=_("Choose at least one topic."),
        field_class=TopicsField,
    )
    matching_languages = multiple_choice_field(
        QUESTIONS["matching_languages"].label,
        error=_("Choose at least one language."),
    )
    matching_avoid_faculties = multiple_choice_field(
        QUESTIONS["matching_avoid_faculties"].label,
        help_text=_("You are never paired with someone from your own faculty."),
        required=False,
    )
    matching_avoid_departments = long_text_field(
        QUESTIONS["matching_avoid_departments"].label,
        1000,
        required=False,
        help_text=_("One department on each line."),
    )
    matching_wishes = long_text_field(
        QUESTIONS["matching_wishes"].label,
        2000,
        required=False,
        help_text=_(
            "For example a field, faculty or experience you would like your "
            "mentor to have (at most 2,000 characters)."
        ),
    )

    # False while the wizard submits (it sets this on every step): the topics
    # offered were checked when this step was posted, and the submission
    # does not look them up again (the round's query budget); a topic
    # removed since counts for nothing in the matching.
    check_duplicates = True

    def __init__(self, *args, own_faculty="", track_from_promotion=False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        # Looked up when shown or checked, not when the form is made.
        fields["matching_topics"].choices = TopicChoices(self.round)
        fields["matching_languages"].choices = list(settings.LANGUAGES)
        # The applicant's own faculty is excluded by the hard rule already
        # (the help text says so): it is not offered, and refused if posted.
        own_faculty = str(own_faculty or "")
        fields["matching_avoid_faculties"].choices = [
            (value, label)
            for value, label in self.faculties
            if not own_faculty or str(value) != own_faculty
        ]
        for name in MATCHING_STEP.questions:
            fields[name].label = QUESTIONS[name].label_for(self.role)
        if track_from_promotion and self.role == MENTEE:
            # The promotion step has asked already (``derive_track``).
            del fields["matching_track"]
        if self.role == "mentor":
            fields["matching_wishes"].help_text = _(
                "For example a field or faculty you would like your mentee to "
                "come from (at most 2,000 characters)."
            )

    def full_clean(self):
        self.fields["matching_topics"].check_choices = self.check_duplicates
        super().full_clean()

    def prepare_for_display(self):
        super().prepare_for_display()
        for field in self.fields.values():
            if isinstance(field, forms.MultipleChoiceField):
                # On a checkbox each would be required; one of them is.
                field.widget.attrs.pop("required", None)

    def display_value(self, name, field, value):
        """``value`` as shown on the review step: as ``questions.core``
        shows the answer (choices by their labels), with the choices this
        form offers (the round's topics, the faculties)."""
        choices = list(getattr(field, "choices", ())) or None
        return QUESTIONS[name].answer_text(value, self.role, choices)


def derive_track(answers, role):
    """Set a mentee's ``matching_track`` in ``answers`` (a dict, changed in
    place) to her ``promotion_target`` when she gave one: a mentee is asked
    which promotion she works towards once, on the promotion step, and the
    matching, the application's page and the exports read the same answer.
    Mentors (who answer which promotion they have made) are left alone."""
    target = answers.get("promotion_target")
    if role == MENTEE and target in dict(TRACK_CHOICES):
        answers["matching_track"] = target
    return answers


def matching_step_kwargs(form_list, initial_of):
    """The matching step's own form kwargs in a wizard whose steps are
    ``form_list`` ({step name: form class}); ``initial_of(step)`` gives what
    was typed on a step. ``own_faculty``: the faculty pk (text, ``""``
    before it was asked) left out of the faculties to avoid;
    ``track_from_promotion``: whether a step asks ``promotion_target``, so a
    mentee is not asked her track again (``derive_track``)."""
    own_faculty = ""
    for step, form_class in form_list.items():
        if asks(form_class, "faculty"):
            own_faculty = str(initial_of(step).get("faculty") or "")
            break
    return {
        "own_faculty": own_faculty,
        "track_from_promotion": any(
            asks(form_class, "promotion_target") for form_class in form_list.values()
        ),
    }


def with_matching_step(steps):
    """``steps`` (a wizard's (name, form class) list) with the matching step
    before the consent step (last but one and two: consent, review)."""
    steps = list(steps)
    names = [name for name, _form in steps]
    at = names.index("consent") if "consent" in names else max(len(steps) - 1, 0)
    return [*steps[:at], (STEP_NAME, MatchingForm), *steps[at:]]
