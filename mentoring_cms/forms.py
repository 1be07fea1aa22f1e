"""Step forms of the mentee and mentor application wizards.

Every form takes the round being applied to and the faculty choices in the
reader's language (see ``faculty_choices``); answers are validated here, the
rules that need the database again at submission live in ``operations``.
"""

import functools
import hashlib
import json
import logging
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import page_cache
from .conf import get_setting
from .identifiers import canonical_email, strip_invisible
from .models import Application, Faculty
from .models.applications import positions_for_role
from .pdf_check import inspect_pdf

logger = logging.getLogger(__name__)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# Answers stored in Application columns; every other answer goes to
# ``Application.answers``.
COLUMN_FIELDS = (
    "full_name",
    "email",
    "phone",
    "language",
    "position",
    "permanently_employed",
    "faculty",
    "department",
    "academic_field",
)
# Fields that are part of the form's machinery, not of the answers.
MACHINERY_FIELDS = ("website", "notice_version", "attachment")


def refuse_control_characters(value, multiline=False):
    """Refuse control characters (category Cc, except line breaks and tabs
    in ``multiline`` text), lone surrogates and direction overrides and
    isolates; other invisible format characters are removed before
    validation by ``InvisibleCharactersMixin``."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for char in value:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cs"):
            raise ValidationError(
                _("Remove the control characters from this text."),
                code="control_characters",
            )
        # Direction overrides can disguise what the text says.
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            raise ValidationError(
                _("Remove the control characters from this text."),
                code="control_characters",
            )


class InvisibleCharactersMixin:
    """Removes invisible format characters (Unicode category Cf: zero-width
    space and joiners, soft hyphen, BOM, bidi marks…) from every text field
    of the form before it is validated, so that what is stored and compared
    is what a reader sees. Direction overrides stay, for the fields'
    validators to refuse (``refuse_control_characters``)."""

    def full_clean(self):
        if self.is_bound and self.data:
            self.data = without_invisible_characters(self, self.data)
        super().full_clean()


def without_invisible_characters(form, data):
    """A copy of ``data`` (a QueryDict or dict) in which the values of the
    text fields of ``form`` have no invisible format characters."""
    data = data.copy()
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        key = form.add_prefix(name)
        if hasattr(data, "setlist"):
            if key in data:
                data.setlist(key, [strip_invisible(v) for v in data.getlist(key)])
        elif isinstance(data.get(key), str):
            data[key] = strip_invisible(data[key])
    return data


def single_line(value):
    refuse_control_characters(value, multiline=False)


def multi_line(value):
    refuse_control_characters(value, multiline=True)


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


def localized_faculties(language_code=None):
    """Every faculty once, as (pk in the default language, translation key,
    name in ``language_code`` where it has been translated), sorted by that
    name. One query; none while the page cache is on and holds the list
    (``page_cache``: a faculty, locale or page saved or deleted starts a new
    generation, and the list lives at most as long as a cached page)."""
    language_code = language_code or get_language()
    timeout = get_setting("PAGE_CACHE_TIMEOUT")
    if not timeout or timeout <= 0:
        return _query_localized_faculties(language_code)
    try:
        cache = page_cache.get_cache()
        key = (
            f"mentoring_cms:faculties:{page_cache.current_generation(cache)}:"
            f"{settings.LANGUAGE_CODE}:{language_code}"
        )
        rows = cache.get(key)
    except Exception:  # a cache that is down costs the query
        logger.warning("The cache could not be read for the faculty list.")
        return _query_localized_faculties(language_code)
    if rows is None:
        rows = _query_localized_faculties(language_code)
        try:
            cache.set(key, rows, timeout)
        except Exception:
            logger.warning("The cache could not keep the faculty list.")
    return rows


def _query_localized_faculties(language_code):
    default_code = settings.LANGUAGE_CODE
    faculties = list(
        Faculty.objects.filter(
            locale__language_code__in={language_code, default_code}
        ).values_list("pk", "name", "translation_key", "locale__language_code")
    )
    localized = {
        key: name for _pk, name, key, code in faculties if code == language_code
    }
    rows = [
        (pk, key, localized.get(key, name))
        for pk, name, key, code in faculties
        if code == default_code
    ]
    return sorted(rows, key=lambda row: row[2].casefold())


def faculty_choices(language_code=None):
    """The faculties as (pk, name) pairs: the pk of the faculty in the default
    language (what applications store, so one faculty counts once) and its
    name in ``language_code`` where it has been translated. One query."""
    return [(str(pk), name) for pk, _key, name in localized_faculties(language_code)]


@functools.lru_cache(maxsize=64)
def privacy_notice_version(notice_html):
    """A short fingerprint of the privacy notice text the applicant saw
    (remembered for the last 64 notices: every consent form asks for it)."""
    text = " ".join(strip_tags(notice_html or "").split())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def pdf_refusal(verdict, not_a_pdf=None):
    """The field error for a refused PDF, in the active language;
    ``not_a_pdf`` replaces the message for a file that is no PDF."""
    code = verdict["verdict"]
    save_again = gettext(
        "Save it again as a plain PDF (for example with Print → Save as PDF) "
        "and upload it again."
    )
    if code == "encrypted":
        message = gettext(
            "The PDF is password protected. Upload a PDF without a password."
        )
    elif code == "too_many_pages":
        message = gettext(
            "The PDF has %(pages)s pages: upload at most %(max)s pages."
        ) % {"pages": verdict.get("pages"), "max": get_setting("PDF_MAX_PAGES")}
    elif code == "too_many_objects":
        message = gettext(
            "The PDF is made of more than %(max)s parts, far more than a CV or "
            "publication list needs."
        ) % {"max": get_setting("PDF_MAX_OBJECTS")}
        message = f"{message} {save_again}"
    elif code == "too_large_unpacked":
        message = gettext("The PDF unpacks to more than %(max)s.") % {
            "max": filesizeformat(get_setting("PDF_MAX_UNPACKED_BYTES"))
        }
        message = f"{message} {save_again}"
    elif code == "too_slow":
        message = gettext("Checking the PDF took longer than %(seconds)s seconds.") % {
            "seconds": get_setting("PDF_CHECK_SECONDS")
        }
        message = f"{message} {save_again}"
    elif code == "active_content":
        message = gettext(
            "The PDF contains active content (scripts, actions that open files "
            "or programs, or embedded files), which we do not accept."
        )
        message = f"{message} {save_again}"
    elif code == "not_checked":
        message = gettext("The PDF could not be checked.")
        message = f"{message} {save_again}"
    elif not_a_pdf is not None:
        message = not_a_pdf
    else:
        message = gettext(
            "The file is not a PDF. Upload your CV or publication list as one PDF."
        )
    return ValidationError(message, code=f"pdf_{code}")


def check_pdf_content(upload, max_pages=None, not_a_pdf=None):
    """Raise the field error of ``pdf_refusal`` unless ``upload`` (a PDF by
    its first bytes) passes ``pdf_check.inspect_pdf``; mark it with its
    verdict (``pdf_verdict``) when it does."""
    upload.seek(0)
    header = upload.read(5)
    upload.seek(0)
    if header != b"%PDF-":
        raise pdf_refusal({"verdict": "not_a_pdf"}, not_a_pdf)
    verdict = inspect_pdf(upload, max_pages=max_pages)
    if verdict["verdict"] != "ok":
        raise pdf_refusal(verdict, not_a_pdf)
    upload.pdf_verdict = verdict


def validate_pdf(upload):
    """Refuse anything that is not a plain, readable PDF within the limits
    (size here, the rest in ``pdf_check``). A file the wizard stored after
    checking it carries its verdict (``pdf_verdict``) and is not checked
    again; a newly checked upload gets one."""
    if getattr(upload, "pdf_verdict", None):
        return
    max_bytes = get_setting("MAX_UPLOAD_BYTES")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large: upload at most %(max)s."),
            code="file_too_large",
            params={"max": filesizeformat(max_bytes)},
        )
    check_pdf_content(upload)


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
        if value in (None, "", [], False) and not isinstance(field, forms.BooleanField):
            return gettext("Not given")
        if isinstance(field, forms.BooleanField):
            return gettext("Yes") if value else gettext("No")
        if isinstance(field, forms.FileField):
            return getattr(value, "name", value)
        if isinstance(field, forms.ChoiceField):
            return {str(k): v for k, v in field.choices}.get(str(value), value)
        return value


class AboutYouForm(StepForm):
    title = _("About you")

    full_name = text_field(_("Full name"), 200, autocomplete="name")
    email = forms.EmailField(
        label=_("Work email"),
        max_length=254,
        help_text=_("Use your email address at the university."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
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
        _("Preferred language for correspondence"),
        settings.LANGUAGES,
        help_text=_("We write to you in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES
        ]
        self.fields["language"].initial = get_language()

    check_duplicates = True

    def clean_email(self):
        email = canonical_email(self.cleaned_data["email"])
        if (
            self.check_duplicates
            and self.round is not None
            and already_applied(self.round, self.role, email)
        ):
            raise ValidationError(duplicate_message(self.role), code="duplicate")
        return email


def applications_by(programme_round, role, email):
    """The applications ``email`` has made in ``role`` to this round, in any
    language (anonymised ones no longer count). Addresses are compared in
    their canonical form (``identifiers.canonical_email``), as stored."""
    return Application.objects.filter(
        round__translation_key=programme_round.translation_key,
        role=role,
        email=canonical_email(email),
        anonymised_at__isnull=True,
    )


def already_applied(programme_round, role, email):
    """Whether ``email`` has applied in ``role`` to this round in any language."""
    return applications_by(programme_round, role, email).exists()


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
    title = _("Position")
    role = None

    position = radio_field(_("Current position"), [])
    faculty = forms.ChoiceField(label=_("Faculty"), choices=[])
    department = text_field(
        _("Department"), 255, help_text=_("The department or unit you work in.")
    )
    academic_field = text_field(
        _("Academic field"),
        255,
        help_text=_("Your subject area, for example computational chemistry."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = positions_for_role(self.role)
        labels = ", ".join(str(label) for _value, label in choices)
        position = self.fields["position"]
        position.choices = choices
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
        _("Are you permanently employed?"),
        YES_NO,
        help_text=_("Mentees must have a permanent position at the university."),
    )
    attachment = forms.FileField(
        label=_("CV or publication list (optional)"),
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

    field_order = [
        "position",
        "permanently_employed",
        "faculty",
        "department",
        "academic_field",
        "attachment",
    ]

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
        self.fields["academic_field"].label = _("Academic field (optional)")

    def position_help(self, labels):
        return gettext("Mentors hold one of these positions: %(positions)s.") % {
            "positions": labels
        }

    def position_error(self, labels):
        return gettext("Only these positions can apply as mentors: %(positions)s.") % {
            "positions": labels
        }


class PromotionForm(StepForm):
    title = _("Towards promotion")

    promotion_target = radio_field(
        _("Which promotion are you working towards?"),
        [("professor", _("Professor")), ("dosent", _("Docent"))],
    )
    promotion_progress = radio_field(
        _("How far has your promotion work come?"),
        [
            ("starting", _("I have started planning")),
            ("under_way", _("I am well under way")),
            ("nearly_ready", _("I am nearly ready to apply")),
        ],
    )
    planned_application = radio_field(
        _("When do you plan to apply for promotion?"),
        [
            ("within_1_year", _("Within a year")),
            ("1_2_years", _("In one to two years")),
            ("2_3_years", _("In two to three years")),
            ("later", _("Later, or not decided yet")),
        ],
    )
    progress_summary = long_text_field(
        _("Summary of your progress"),
        2000,
        help_text=_(
            "What you have done so far and what remains, in a few sentences "
            "(at most 2,000 characters)."
        ),
    )


class MotivationForm(StepForm):
    title = _("Motivation")

    motivation = long_text_field(
        _("Why do you want to take part?"),
        3000,
        help_text=_("Your motivation for the programme (at most 3,000 characters)."),
    )
    justification = long_text_field(
        _("Why is now the right time for you?"),
        3000,
        help_text=_(
            "Your justification: how the programme fits your career plans "
            "(at most 3,000 characters)."
        ),
    )
    expectations = long_text_field(
        _("What do you hope to get from a mentor?"),
        2000,
        help_text=_("At most 2,000 characters."),
    )


class ExperienceForm(StepForm):
    title = _("Experience")

    earlier_mentoring = radio_field(
        _("Have you been a mentor before?"),
        YES_NO,
        help_text=_("In this programme or elsewhere."),
    )
    mentoring_experience = long_text_field(
        _("Your experience as a mentor (optional)"),
        2000,
        required=False,
        help_text=_("Where and how you have mentored (at most 2,000 characters)."),
    )
    offer = long_text_field(
        _("What can you offer a mentee?"),
        3000,
        help_text=_(
            "Your experience of promotion, networks, ways of working "
            "(at most 3,000 characters)."
        ),
    )


class ConsentForm(StepForm):
    title = _("Commitment and consent")

    confirm_gatherings = forms.BooleanField(
        label=_("I will attend all the gatherings of the round."),
        help_text=_("Attendance at every gathering is mandatory."),
        error_messages={
            "required": _("Confirm that you will attend all the gatherings.")
        },
    )
    confirm_meetings = forms.BooleanField(
        label=_("I will take part in the mentor meetings between the gatherings."),
        error_messages={
            "required": _("Confirm that you will take part in the mentor meetings.")
        },
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and accept it."),
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
    title = _("Review")


MENTEE_STEPS = [
    ("about", AboutYouForm),
    ("position", MenteePositionForm),
    ("promotion", PromotionForm),
    ("motivation", MotivationForm),
    ("consent", ConsentForm),
    ("review", ReviewForm),
]

MENTOR_STEPS = [
    ("about", AboutYouForm),
    ("position", MentorPositionForm),
    ("experience", ExperienceForm),
    ("consent", ConsentForm),
    ("review", ReviewForm),
]

STEPS_BY_ROLE = {
    Application.Role.MENTEE: MENTEE_STEPS,
    Application.Role.MENTOR: MENTOR_STEPS,
}


# Kept in ``Application.answers`` by the submission itself, not typed by the
# applicant: the language the form was filled in.
SUBMISSION_ANSWERS = ("form_language",)


def stored_values(application):
    """An application's answers keyed by the step forms' field names."""
    values = {name: getattr(application, name) for name in COLUMN_FIELDS}
    values["faculty"] = application.faculty_id
    if application.permanently_employed is not None:
        values["permanently_employed"] = (
            "yes" if application.permanently_employed else "no"
        )
    values["attachment"] = application.attachment_name
    values.update(application.answers or {})
    return values


def answer_fields():
    """(name, form field) of every answer kept in ``Application.answers``, for
    both roles, in the order of the steps (the mentee's first); each name
    once. Labels and choices are lazy: they read in the active language."""
    fields = {}
    for role in (Application.Role.MENTEE, Application.Role.MENTOR):
        for _step, form_class in STEPS_BY_ROLE[role]:
            for name, field in form_class().fields.items():
                if name not in COLUMN_FIELDS and name not in MACHINERY_FIELDS:
                    fields.setdefault(name, field)
    return list(fields.items())


def plain_value(value):
    """An answer no step form knows, as text."""
    if value in (None, "", [], {}):
        return gettext("Not given")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def other_answers(answers, known):
    """(label, text) of the stored answers whose names are not in ``known``."""
    return [
        (name.replace("_", " ").capitalize(), plain_value(value))
        for name, value in answers.items()
        if name not in known
    ]


def describe_application(application, programme_round=None, faculties=None):
    """The answers of a stored application, step by step, as
    [(step title, [(label, value)…])…] in the active language: labels are the
    step forms' own, choices are shown by their labels.

    Stored answers that no step form of the role asks for (older or imported
    data) follow under "Other answers", so nothing an applicant gave is
    hidden. ``faculties`` defaults to ``faculty_choices()`` (one query).
    """
    values = stored_values(application)
    if faculties is None:
        faculties = faculty_choices()
    if application.faculty_id and str(application.faculty_id) not in dict(faculties):
        # A faculty outside the usual choices still shows by its name.
        faculties = [
            *faculties,
            (str(application.faculty_id), application.faculty.localized.name),
        ]
    known = set(COLUMN_FIELDS) | set(SUBMISSION_ANSWERS)
    sections = []
    for _name, form_class in STEPS_BY_ROLE[application.role]:
        if form_class is ReviewForm:
            continue
        form = form_class(round=programme_round, faculties=faculties)
        known.update(form.fields)
        sections.append((form.title, form.describe(values)))
    other = other_answers(application.answers or {}, known)
    if other:
        sections.append((gettext("Other answers"), other))
    return sections
