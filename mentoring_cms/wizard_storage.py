"""Where an application wizard keeps its answers and uploads between steps:
the session, written only when a step is posted."""

from django.core.files.uploadedfile import UploadedFile
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.storage.session import SessionStorage


def wizard_prefix(page, role):
    """The session key of the wizard for ``role`` on round ``page``: one per
    round (all its language versions) and role."""
    return f"mentoring_cms_{page.translation_key.hex}_{role}"


def wizard_session_key(page, role):
    """Where the session keeps that wizard's state (formtools puts
    ``wizard_`` before the prefix)."""
    return f"wizard_{wizard_prefix(page, role)}"


class ApplicationSessionStorage(SessionStorage):
    """formtools' session storage, except that only writes touch the
    session: showing a step neither creates nor rewrites the session."""

    def __init__(self, prefix, request=None, file_storage=None):
        BaseStorage.__init__(self, prefix, request, file_storage)
        self._unsaved = None
        # (step, form field name, applicant's file name) of stored uploads found
        # missing during this request.
        self.lost_files = []
        if self.prefix not in self.request.session:
            self._unsaved = {
                self.step_key: None,
                self.step_data_key: {},
                self.step_files_key: {},
                self.extra_data_key: {},
            }

    def _get_data(self):
        if self._unsaved is not None:
            return self._unsaved
        return self.request.session[self.prefix]

    def _set_data(self, value):
        self._unsaved = None
        self.request.session[self.prefix] = value

    data = property(_get_data, _set_data)

    def changed(self):
        if self._unsaved is not None:
            self._set_data(self._unsaved)
        self.request.session.modified = True

    def show_step(self, step):
        """The step shown by a GET: it follows from the URL, nothing to save."""
        self.data[self.step_key] = step

    def _set_current_step(self, step):
        super()._set_current_step(step)
        self.changed()

    def _set_extra_data(self, extra_data):
        super()._set_extra_data(extra_data)
        self.changed()

    def set_step_data(self, step, cleaned_data):
        super().set_step_data(step, cleaned_data)
        self.changed()

    def set_step_files(self, step, files):
        super().set_step_files(step, files)
        # The verdict of the PDF check travels with the stored file: the
        # file is written once under a generated name, so the verdict holds
        # for as long as the file does.
        stored = self.data[self.step_files_key][step]
        for field, upload in (files or {}).items():
            verdict = getattr(upload, "pdf_verdict", None)
            if verdict:
                stored[field]["pdf_verdict"] = verdict
        self.changed()

    def get_step_files(self, step):
        """The files stored for ``step``, as uploads that carry their
        verdict. A file that is gone (removed by
        ``clear_application_wizard_files``) is forgotten and noted in
        ``lost_files``, never an error."""
        stored = self.data[self.step_files_key].get(step, {})
        files = {}
        for field, info in list(stored.items()):
            if (step, field) not in self._files:
                try:
                    handle = self.file_storage.open(info["tmp_name"])
                except FileNotFoundError:
                    stored.pop(field)
                    name = field.removeprefix(f"{step}-")
                    self.lost_files.append((step, name, info["name"]))
                    self.changed()
                    continue
                upload = UploadedFile(
                    file=handle,
                    name=info["name"],
                    content_type=info.get("content_type"),
                    size=info.get("size"),
                    charset=info.get("charset"),
                )
                upload.pdf_verdict = info.get("pdf_verdict")
                self._files[(step, field)] = upload
            files[field] = self._files[(step, field)]
        return files or None
