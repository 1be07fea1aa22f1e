"""Forms of the selection pages: a nomination's justification, a reviewer's
scores and a declared conflict of interest. The operations check every
rule again; these forms only give the fields and field-level messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selection.operations import MAX_TEXT
from ..validators import Form as TextForm


class NominationForm(TextForm):
    justification = forms.CharField(
        label=_("Justification"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the faculty nominates this applicant, in a few sentences."),
        error_messages={
            "required": _("Write a short justification for the nomination.")
        },
    )


class ConflictForm(TextForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the same department, a close colleague."),
        error_messages={"required": _("Say briefly why you cannot judge it.")},
    )


class ReviewForm(TextForm):
    """One score (a choice on the criterion's own scale) and an optional
    comment per criterion of the round."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=str(criterion.localized),
                choices=[
                    (value, str(value))
                    for value in range(criterion.scale_min, criterion.scale_max + 1)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("From %(min)s (lowest) to %(max)s (highest).")
                % {"min": criterion.scale_min, "max": criterion.scale_max},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s” (optional)")
                % {"criterion": criterion.localized},
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self):
        """``submit_review``'s ``scores``: {criterion pk: (value, comment)}."""
        return {
            criterion.pk: (
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }

    def rows(self):
        """[(score field, comment field)] in the criteria's order."""
        return [(self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class RankingDecisionForm(TextForm):
    status = forms.ChoiceField(
        choices=[("accepted", _("Accept")), ("waitlisted", _("Waitlist"))]
    )
    notify = forms.BooleanField(required=False)
