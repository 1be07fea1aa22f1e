"""The promotion outcome form, for HR (with a note) and for the mentee on
her personal page (without). The form checks the shape of the answers; the
rules are ``outcomes.promotion.record_outcome``'s, whose refusals
``add_refusal`` puts beside the fields at fault."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PromotionOutcome
from ..validators import Form

YEAR_ERRORS = {
    "invalid": _("Enter a year with four digits, e.g. 2024."),
    "min_value": _("Enter a year with four digits, e.g. 2024."),
    "max_value": _("Enter a year with four digits, e.g. 2024."),
}


def year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1900,
        max_value=9999,
        error_messages=YEAR_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900}),
    )


class OutcomeForm(Form):
    result = forms.ChoiceField(
        label=_("Outcome"),
        choices=PromotionOutcome.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an outcome.")},
    )
    position = forms.ChoiceField(
        label=_("Position applied for"),
        choices=[("", _("Not applied")), *PromotionOutcome.Position.choices],
        required=False,
    )
    applied_year = year_field(_("Year of the application for promotion"))
    result_year = year_field(_("Year of the result"))

    def __init__(self, *args, outcome=None, **kwargs):
        if outcome is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "result": outcome.result,
                "position": outcome.position,
                "applied_year": outcome.applied_year,
                "result_year": outcome.result_year,
                "note": outcome.note,
            }
        super().__init__(*args, **kwargs)

    def outcome_values(self):
        """Keyword arguments for ``record_outcome``."""
        data = self.cleaned_data
        return {
            "result": data["result"],
            "position": data.get("position") or "",
            "applied_year": data.get("applied_year"),
            "result_year": data.get("result_year"),
        }

    def add_refusal(self, refusal):
        """Show an ``OutcomeRefused`` beside its fields (or above the form)."""
        if hasattr(refusal, "error_dict"):
            for field, errors in refusal.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, refusal.messages)


class HROutcomeForm(OutcomeForm):
    note = forms.CharField(
        label=_("HR's note"),
        help_text=_("Seen by HR only; deleted when the application is anonymised."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def outcome_values(self):
        return {**super().outcome_values(), "note": self.cleaned_data.get("note", "")}
