"""Forms HR fills in inside the Wagtail admin (not the applicants' forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Application, ApplicationNote
from ..validators import Form as TextForm
from ..validators import ModelForm as TextModelForm
from ..validators import multi_line

NOTIFY_HELP = _(
    "Send the applicant an email about the decision, in the applicant's "
    "language. Only for accepted, waitlisted and rejected."
)


class DecisionForm(TextForm):
    """Moves one application on; offers only the statuses allowed next."""

    status = forms.ChoiceField(label=_("New status"))
    notify = forms.BooleanField(
        label=_("Notify the applicant"), required=False, help_text=NOTIFY_HELP
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        # The select opens on the current status, which is not a choice: a
        # decision is always a deliberate pick of one of the statuses allowed
        # next, and after a decision the form shows where the application is.
        current = _("%(status)s (current status)") % {
            "status": application.get_status_display()
        }
        self.fields["status"].choices = [("", current)] + [
            (status.value, status.label) for status in application.allowed_transitions()
        ]


class BulkStatusForm(TextForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", "---------")]
        + [
            (status.value, status.label)
            for status in Application.Status
            if status != Application.Status.SUBMITTED
        ],
    )
    notify = forms.BooleanField(
        label=_("Notify the applicants"),
        required=False,
        help_text=_(
            "Send each applicant an email about the decision, in their own "
            "language. Only for accepted, waitlisted and rejected."
        ),
    )


class NoteForm(TextModelForm):
    """An internal note; its text is cleaned like the applicants' answers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(multi_line)

    class Meta:
        model = ApplicationNote
        fields = ["text"]
        labels = {"text": _("Internal note")}
        help_texts = {"text": _("Only HR sees internal notes.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class EraseForm(TextForm):
    confirm = forms.BooleanField(
        label=_("I understand that the application and its file are erased for good."),
        required=True,
    )
