"""Validation of what people type and upload, shared by the applicants'
forms and HR's forms: text without control or invisible characters, and
uploaded PDFs that pass ``pdf_check``. Messages are in the active language."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .conf import get_setting
from .identifiers import strip_invisible
from .pdf_check import inspect_pdf


def refuse_control_characters(value, multiline=False):
    """Refuse control characters (category Cc, except line breaks and tabs
    in ``multiline`` text), lone surrogates and direction overrides and
    isolates; other invisible format characters are removed before
    validation by ``InvisibleCharactersMixin``. A value that is not text
    (a field's ``to_python`` made it a UUID, say) is left alone."""
    if not isinstance(value, str):
        return
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


# The message of a text over its limit, as the wizards word it.
TOO_LONG = _("Write at most %(limit_value)d characters (you wrote %(show_value)d).")


def normalise_line_breaks(value):
    """``value`` with every line break as one ``\\n``: browsers submit a
    textarea's line breaks as CRLF (``\\r\\n``, HTML's form encoding) but
    count each as one character for ``maxlength``; so does every length
    limit here, and what is stored has ``\\n`` only. Non-strings are
    returned as they are."""
    if not isinstance(value, str) or "\r" not in value:
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(value):
    """``value`` as every form keeps typed text: without invisible format
    characters (``identifiers.strip_invisible``) and with ``\\n`` line
    breaks (``normalise_line_breaks``)."""
    return normalise_line_breaks(strip_invisible(value))


class InvisibleCharactersMixin:
    """The text rules of every form of mentoring_cms (mixed in by ``Form``
    and ``ModelForm`` below, and by ``forms.StepForm``), applied to each
    ``forms.CharField`` of the form (email and web address fields too)
    when it is validated:

    - invisible format characters (Unicode category Cf: zero-width space
      and joiners, soft hyphen, BOM, bidi marks…) are removed, so that
      what is stored and compared is what a reader sees, and a required
      field holding only such characters is refused as empty;
    - line breaks are counted and stored as one character (``\\n``), so a
      textarea the browser let through at its ``maxlength`` is accepted;
    - control characters and direction overrides are refused
      (``refuse_control_characters``): line breaks and tabs are allowed in
      a ``Textarea`` only; a field without ``single_line``/``multi_line``
      gets the one its widget calls for;
    - a text refused for control characters gets that one message, not a
      second one from Django's own NUL check or from other validators.

    The cleaned ``self.data`` is what the wizards keep of a step."""

    def full_clean(self):
        if self.is_bound and self.data:
            self.data = without_invisible_characters(self, self.data)
        for field in self.fields.values():
            apply_text_rules(field)
        super().full_clean()
        for errors in (getattr(self, "_errors", None) or {}).values():
            control = [
                error
                for error in errors.as_data()
                if error.code == "control_characters"
            ]
            if control:
                errors.data[:] = control[:1]


def apply_text_rules(field):
    """Give the ``forms.CharField`` ``field`` the validator its widget calls
    for (``multi_line`` for a ``Textarea``, ``single_line`` otherwise)
    unless it has one and ``TOO_LONG`` as its ``max_length`` message unless it
    has its own, and drop Django's NUL validator, whose refusal
    ``refuse_control_characters`` already gives. Other fields are left
    alone. Idempotent."""
    if not isinstance(field, forms.CharField):
        return
    if field.max_length and "max_length" not in field.error_messages:
        field.error_messages["max_length"] = TOO_LONG
    ours = [v for v in field.validators if v in (single_line, multi_line)]
    if not ours:
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators.append(multi_line if multiline else single_line)
    field.validators[:] = [
        v
        for v in field.validators
        if not isinstance(v, ProhibitNullCharactersValidator)
    ]


def without_invisible_characters(form, data):
    """A copy of ``data`` (a QueryDict or dict) in which the values of the
    text fields of ``form`` are cleaned by ``clean_text``."""
    data = data.copy()
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        key = form.add_prefix(name)
        if hasattr(data, "setlist"):
            if key in data:
                data.setlist(key, [clean_text(v) for v in data.getlist(key)])
        elif isinstance(data.get(key), str):
            data[key] = clean_text(data[key])
    return data


def single_line(value):
    """Refuse control characters in one line of text."""
    refuse_control_characters(value, multiline=False)


def multi_line(value):
    """Refuse control characters, except line breaks and tabs, in text."""
    refuse_control_characters(value, multiline=True)


class Form(InvisibleCharactersMixin, forms.Form):
    """The base of mentoring_cms's forms: ``forms.Form`` with the text
    rules of ``InvisibleCharactersMixin``."""


class ModelForm(InvisibleCharactersMixin, forms.ModelForm):
    """The base of mentoring_cms's model forms: ``forms.ModelForm`` with
    the text rules of ``InvisibleCharactersMixin``."""


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
    elif code == "restricted":
        message = gettext(
            "The PDF is locked against printing, copying or changes (it has a "
            "permissions password), and HR must be able to print it."
        )
        message = f"{message} {save_again}"
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
