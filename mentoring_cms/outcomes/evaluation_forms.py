"""The evaluation as a Django form: one field per question of the form in
the person's language, built by ``questions.fields`` with the same rules
and messages as the application's questions."""

from ..questions import fields
from ..validators import Form as TextForm


class EvaluationAnswerForm(TextForm):
    """The questions of ``form_schema`` (a ``questions.schema.FormSchema``)
    as fields named by their identifiers; core questions are never asked
    (an evaluation form cannot hold them, see ``EvaluationForm.clean``)."""

    def __init__(self, *args, form_schema, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_schema = form_schema
        for question in form_schema.editor_questions():
            self.fields[question.id] = fields.form_field(question)

    def steps(self):
        """``[(step, [bound field, …])]`` in the form's order, for the
        template."""
        return [
            (step, [self[q.id] for q in step.questions if q.id in self.fields])
            for step in self.form_schema.steps
        ]

    def error_list(self):
        """``[(field id, label, message)]`` for the error summary."""
        return [
            (self[name].auto_id, self.fields[name].label, message)
            for name, messages in self.errors.items()
            if name in self.fields
            for message in messages
        ]

    def stored_values(self):
        """``{identifier: stored value}`` of the cleaned answers (see
        ``questions.fields.stored_value``)."""
        return {
            question.id: fields.stored_value(
                question, self.cleaned_data.get(question.id)
            )
            for question in self.form_schema.editor_questions()
        }
