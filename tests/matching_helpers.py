"""Builders for matching tests: accepted participants with matching answers."""

from mentoring_cms.models import Application, MentorCapacity

from .utils import make_application


def participant(programme_round, role, faculty, *, profile=True, **kwargs):
    """An accepted application in ``role`` with the matching step's answers
    (unless ``profile`` is false): ``topics``, ``track``, ``languages``,
    ``wishes``, ``avoid_faculties`` and ``avoid_departments``; ``capacity``
    as HR sets it."""
    answers = {
        name: kwargs.pop(name)
        for name in (
            "topics",
            "track",
            "languages",
            "wishes",
            "avoid_faculties",
            "avoid_departments",
        )
        if name in kwargs
    }
    capacity = kwargs.pop("capacity", None)
    kwargs.setdefault("status", Application.Status.ACCEPTED)
    if profile:
        answers.setdefault("topics", ["networking"])
        answers.setdefault("languages", ["nb"])
        answers.setdefault(
            "track", "professor" if role == Application.Role.MENTOR else "dosent"
        )
        kwargs.setdefault("answers", {})
        kwargs["answers"].update({f"matching_{k}": v for k, v in answers.items()})
    application = make_application(
        round=programme_round, role=role, faculty=faculty, **kwargs
    )
    if capacity:
        MentorCapacity.objects.create(application=application, capacity=capacity)
    return application


def mentor(programme_round, faculty, **kwargs):
    return participant(programme_round, Application.Role.MENTOR, faculty, **kwargs)


def mentee(programme_round, faculty, **kwargs):
    return participant(programme_round, Application.Role.MENTEE, faculty, **kwargs)
