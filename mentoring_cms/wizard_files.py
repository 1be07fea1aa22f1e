"""The uploads of an application wizard: kept between steps, replaced or
removed by the applicant, and asked for again when a stored file is gone."""

import logging

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from .models import Application

logger = logging.getLogger(__name__)


class StoredFilesMixin:
    """The wizard view's handling of stored uploads (see ``wizards``)."""

    # Stored uploads that are gone ----------------------------------------

    def open_stored_files(self):
        """Open every stored upload (nothing is checked again); the first step
        whose upload is gone, or None. See ``note_lost_files``."""
        for step in self.get_form_list():
            self.storage.get_step_files(step)
        return self.note_lost_files()

    def note_lost_files(self):
        """Mark the steps whose stored upload was found gone in this request
        as unfinished, with a note for their page (the other answers stay);
        return the first such step, or None."""
        lost = self.storage.lost_files
        if not lost:
            return None
        self.storage.lost_files = []
        for step, _field, _name in lost:
            self.mark_step(step, False)
        extra_data = dict(self.storage.extra_data)
        notes = dict(extra_data.get("lost_files", {}))
        for step, field, name in lost:
            notes[step] = {**notes.get(step, {}), field: name}
        extra_data["lost_files"] = notes
        self.storage.extra_data = extra_data
        logger.info("A stored wizard upload was gone; the applicant is asked again.")
        return lost[0][0]

    def lost_file_notes(self, step):
        """{field name: applicant's file name} of the uploads of ``step`` that
        were found gone and not uploaded again yet."""
        return dict(self.storage.extra_data.get("lost_files", {}).get(step, {}))

    def application_stored(self):
        """Whether the application this wizard drew its reference for is
        stored (one query; only asked when something went missing)."""
        return bool(self.drawn_reference) and (
            Application.objects.filter(
                reference=self.drawn_reference,
                round__translation_key=self.page.translation_key,
                role=self.role,
            ).exists()
        )

    def process_step_files(self, form):
        """Only files uploaded with this POST; stored ones stay as they are.
        A replaced upload's temporary file is deleted."""
        step = self.steps.current
        stored = self.storage.data[self.storage.step_files_key].get(step, {})
        new_files = {}
        for key, upload in self.request.FILES.items():
            field = key[len(step) + 1 :]
            if (
                key.startswith(f"{step}-")
                and field in form.fields
                and (field not in form.errors)
            ):
                new_files[key] = upload
                if key in stored:
                    self.storage._tmp_files.append(stored.pop(key)["tmp_name"])
        return new_files

    def stored_file_names(self, step):
        stored = self.storage.data[self.storage.step_files_key].get(step, {})
        return {key[len(step) + 1 :]: info["name"] for key, info in stored.items()}

    def forget_files(self, step, removed_fields):
        stored = self.storage.data[self.storage.step_files_key].get(step, {})
        for field in removed_fields:
            key = f"{step}-{field}"
            if key in stored:
                self.storage._tmp_files.append(stored.pop(key)["tmp_name"])
                self.storage.changed()

    def files_for_post(self, step):
        """The files of this POST, plus the ones uploaded before on the step
        (so that going back and forth keeps an upload)."""
        removed = [
            key[len(step) + 1 : -len("-clear")]
            for key in self.request.POST
            if key.startswith(f"{step}-") and key.endswith("-clear")
        ]
        self.forget_files(step, removed)
        files = MultiValueDict(self.request.FILES.lists())
        for key, upload in (self.storage.get_step_files(step) or {}).items():
            if key not in files:
                files[key] = upload
        return files


def lost_file_message(name):
    return gettext(
        "The file “%(name)s” that you uploaded earlier is no longer kept. "
        "Upload it again, or go on without it; your other answers are kept."
    ) % {"name": name}
