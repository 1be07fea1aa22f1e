"""The step forms that carry the core questions of the mentee and mentor
application wizards (about you, position, consent) and the review.

The wizard asks the steps of an application form (``step_forms``): the
round's, else the seed's default form (``questions.defaults``), which holds
every other question's wording; these forms give the core questions their
fields and rules.

Every form takes the round being applied to and the faculty choices in the
reader's language (see ``faculty_choices``); answers are validated here, the
rules that need the database again at submission live in ``operations``.
"""

import functools
import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .conf import get_setting
from .identifiers import canonical_email
from .models import Application, Faculty
from .questions.core import QUESTIONS, STEPS, step
from .validators import (
    InvisibleCharactersMixin,
    multi_line,
    single_line,
    validate_pdf,
)


def faculty_choices(language_code=None):
    """The faculties as (pk, name) choices in ``language_code`` (see
    ``FacultyQuerySet.choices``)."""
    return Faculty.objects.choices(language_code)


def question(name, role=None):
    """The label of the question ``name`` asked of ``role`` (lazy)."""
    return QUESTIONS[name].label_for(role)


def step_title(name):
    """The title of the step ``name`` (lazy), as ``questions.core`` names it."""
    return next(
        each.title for steps in STEPS.values() for each in steps if each.name == name
    )


def choices(name, role=None):
    """The choices the question ``name`` offers ``role``."""
    return QUESTIONS[name].choices_for(role)


def text_field(label, max_length, help_text="", required=True, autocomplete=None):
    attrs = {"maxlength": max_length}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        validators=[single_line],
        widget=forms.TextInput(attrs=attrs),
    )


def long_text_field(label, max_length, help_text="", required=True):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        validators=[multi_line],
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": max_length}),
    )


def radio_field(label, choices, help_text="", required=True, invalid=None):
    error_messages = {}
    if invalid:
        error_messages["invalid_choice"] = invalid
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages=error_messages,
    )


@functools.lru_cache(maxsize=64)
def privacy_notice_version(notice_html):
    """A short fingerprint of the privacy notice text the applicant saw
    (remembered for the last 64 notices: every consent form asks for it)."""
    text = " ".join(strip_tags(notice_html or "").split())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class StepForm(InvisibleCharactersMixin, forms.Form):
    """One step of an application wizard."""

    title = ""
    template_name_fieldsets = ()

    # A field people never see (it sits in a ``hidden`` container); simple
    # bots fill it in, and their applications are silently dropped.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )

    def __init__(self, *args, round=None, role=None, faculties=None, **kwargs):
        self.round = round
        self.role = role
        self.faculties = faculties or []
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1"}
        )

    def visible_answer_fields(self):
        return [
            field
            for field in self
            if field.name not in ("website", "notice_version") and not field.is_hidden
        ]

    def prepare_for_display(self):
        """Point every field to its hint and error, for screen readers."""
        for bound in self:
            if bound.name == "website":
                continue
            describedby = []
            if bound.help_text:
                describedby.append(f"{bound.auto_id}-hint")
            if bound.errors:
                describedby.append(f"{bound.auto_id}-error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if describedby and not isinstance(bound.field.widget, forms.RadioSelect):
                bound.field.widget.attrs["aria-describedby"] = " ".join(describedby)
            if bound.field.required:
                bound.field.widget.attrs["required"] = True

    def describe(self, values):
        """(label, shown value) pairs of this step's answers in ``values``."""
        rows = []
        for name, field in self.fields.items():
            if name in ("website", "notice_version"):
                continue
            rows.append(
                (field.label, self.display_value(name, field, values.get(name)))
            )
        return rows

    def display_value(self, name, field, value):
        """``value`` shown the way ``questions.core`` shows the answer to the
        question ``name``, with this form's own choices (the faculties and
        positions it offers)."""
        return QUESTIONS[name].answer_text(
            value, self.role, getattr(field, "choices", None)
        )


class AboutYouForm(StepForm):
    title = step_title("about")

    full_name = text_field(question("full_name"), 200, autocomplete="name")
    email = forms.EmailField(
        label=question("email"),
        max_length=254,
        help_text=_("Use your email address at the university."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
    )
    phone = forms.CharField(
        label=question("phone"),
        required=False,
        max_length=32,
        help_text=_("For example +47 73 59 50 00."),
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()\-]{4,32}$",
                _("Enter a phone number with digits, spaces and an optional +."),
            )
        ],
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "type": "tel", "maxlength": 32}
        ),
    )
    language = radio_field(
        question("language"),
        choices("language"),
        help_text=_("We write to you in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = choices("language")
        self.fields["language"].initial = get_language()

    check_duplicates = True

    def clean_email(self):
        email = canonical_email(self.cleaned_data["email"])
        if (
            self.check_duplicates
            and self.round is not None
            and Application.objects.by_applicant(self.round, self.role, email).exists()
        ):
            raise ValidationError(duplicate_message(self.role), code="duplicate")
        return email


def duplicate_message(role):
    if role == Application.Role.MENTOR:
        return gettext(
            "An application as mentor with this email address has already been "
            "received for this round. Contact HR if you need to change it."
        )
    return gettext(
        "An application as mentee with this email address has already been "
        "received for this round. Contact HR if you need to change it."
    )


class PositionForm(StepForm):
    title = step_title("position")
    role = None

    position = radio_field(question("position"), [])
    faculty = forms.ChoiceField(label=question("faculty"), choices=[])
    department = text_field(
        question("department"), 255, help_text=_("The department or unit you work in.")
    )
    academic_field = text_field(
        question("academic_field"),
        255,
        help_text=_("Your subject area, for example computational chemistry."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        positions = choices("position", self.role)
        labels = ", ".join(str(label) for _value, label in positions)
        position = self.fields["position"]
        position.choices = positions
        position.help_text = self.position_help(labels)
        position.error_messages["invalid_choice"] = self.position_error(labels)
        self.fields["faculty"].choices = [("", gettext("Choose your faculty"))] + list(
            self.faculties
        )

    def clean_faculty(self):
        value = self.cleaned_data["faculty"]
        return value and int(value)


class MenteePositionForm(PositionForm):
    permanently_employed = radio_field(
        question("permanently_employed"),
        choices("permanently_employed"),
        help_text=_("Mentees must have a permanent position at the university."),
    )
    attachment = forms.FileField(
        label=question("attachment"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _(
                "The file name is too long (%(length)d characters): rename the "
                "file to at most %(max)d characters and upload it again."
            ),
        },
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    field_order = list(step(Application.Role.MENTEE, "position").questions)

    def __init__(self, *args, **kwargs):
        kwargs["role"] = Application.Role.MENTEE
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = gettext(
            "One PDF file, at most %(max)s."
        ) % {"max": filesizeformat(get_setting("MAX_UPLOAD_BYTES"))}

    def position_help(self, labels):
        return gettext("Mentees hold one of these positions: %(positions)s.") % {
            "positions": labels
        }

    def position_error(self, labels):
        return gettext("Only these positions can apply as mentees: %(positions)s.") % {
            "positions": labels
        }

    def clean_permanently_employed(self):
        value = self.cleaned_data["permanently_employed"]
        if value != "yes":
            raise ValidationError(
                _(
                    "Only permanently employed associate professors and senior "
                    "lecturers can apply as mentees."
                ),
                code="not_permanent",
            )
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_pdf(upload)
        return upload


class MentorPositionForm(PositionForm):
    def __init__(self, *args, **kwargs):
        kwargs["role"] = Application.Role.MENTOR
        super().__init__(*args, **kwargs)
        self.fields["academic_field"].required = False
        self.fields["academic_field"].label = question(
            "academic_field", Application.Role.MENTOR
        )

    def position_help(self, labels):
        return gettext("Mentors hold one of these positions: %(positions)s.") % {
            "positions": labels
        }

    def position_error(self, labels):
        return gettext("Only these positions can apply as mentors: %(positions)s.") % {
            "positions": labels
        }


class ConsentForm(StepForm):
    title = step_title("consent")

    confirm_gatherings = forms.BooleanField(
        label=question("confirm_gatherings"),
        help_text=_("Attendance at every gathering is mandatory."),
        error_messages={
            "required": _("Confirm that you will attend all the gatherings.")
        },
    )
    confirm_meetings = forms.BooleanField(
        label=question("confirm_meetings"),
        error_messages={
            "required": _("Confirm that you will take part in the mentor meetings.")
        },
    )
    accept_privacy = forms.BooleanField(
        label=question("accept_privacy"),
        help_text=_("The notice above says how your personal data are processed."),
        error_messages={"required": _("Accept the privacy notice to apply.")},
    )
    notice_version = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_notice_version = privacy_notice_version(
            self.round.privacy_notice if self.round else ""
        )
        self.fields["notice_version"].initial = self.current_notice_version
        if self.round is not None:
            low, high = self.round.meetings_min, self.round.meetings_max
            self.fields["confirm_meetings"].help_text = ngettext(
                "%(low)s to %(high)s meeting with your mentor or mentee.",
                "%(low)s to %(high)s meetings with your mentor or mentee.",
                high,
            ) % {"low": low, "high": high}

    @cached_property
    def gatherings(self):
        """The gatherings the applicant commits to, for the step to list their
        dates: those for everyone and those for the applicant's own group."""
        if self.round is None:
            return []
        return list(self.round.get_sessions_for_role(self.role))

    def clean(self):
        cleaned_data = super().clean()
        version = cleaned_data.get("notice_version")
        if cleaned_data.get("accept_privacy") and (
            version != self.current_notice_version
        ):
            self.add_error(
                "accept_privacy",
                ValidationError(
                    _(
                        "The privacy notice has changed since you accepted it. "
                        "Read it again and accept it to apply."
                    ),
                    code="notice_changed",
                ),
            )
        return cleaned_data


class ReviewForm(StepForm):
    title = step_title("review")
