"""The small forms of the personal page and of the link request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..identifiers import canonical_email
from ..validators import Form as TextForm
from ..validators import multi_line


class LinkRequestForm(TextForm):
    """Ask for a new personal link by email."""

    email = forms.EmailField(
        label=_("Your work email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return canonical_email(self.cleaned_data["email"])


class WithdrawForm(TextForm):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw my application. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class AbsenceForm(TextForm):
    session = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why can you not attend?"),
        max_length=1000,
        validators=[multi_line],
        error_messages={"required": _("Tell us briefly why you cannot attend.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )

    def posted_session(self):
        """The gathering's id as posted (``int``), or None when missing or
        not a number; the page opens that gathering's form again."""
        try:
            return int(self.data.get(self.add_prefix("session"), ""))
        except (TypeError, ValueError):
            return None


class MeetingForm(TextForm):
    """The date of a meeting, as YYYY-MM-DD. Whether the date is allowed
    (within the round's period, not in the future) is the rule of
    ``operations.check_round_date``, applied by the view, so that every
    well-formed date gets that rule's message."""

    date = forms.DateField(
        label=_("Date of the meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )

    def __init__(self, *args, programme_round=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme_round is not None and today is not None:
            # A hint for the browser's date picker; the server checks again.
            attrs = self.fields["date"].widget.attrs
            attrs["min"] = programme_round.period_start.isoformat()
            attrs["max"] = min(programme_round.period_end, today).isoformat()
