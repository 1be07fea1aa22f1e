"""Builders for the selection tests: coordinators, reviewers, scores."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from mentoring_cms.models import FacultyCoordinator
from mentoring_cms.selection import operations
from mentoring_cms.selection.operations import criteria_for

from .utils import set_admin_language


def make_coordinator(username, *faculties, language=None):
    """A user in the "Faculty coordinators" group for ``faculties``."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name="Faculty coordinators"))
    coordinator = FacultyCoordinator.objects.create(user=user)
    coordinator.faculties.set(faculties)
    if language:
        set_admin_language(user, language)
    return user


def make_reviewer(username):
    """A user in the "Selection committee" group."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name="Selection committee"))
    return user


def scores_for(application, *values):
    """``submit_review``'s ``scores`` giving ``values`` to the round's
    criteria in order (the last value repeated for the rest)."""
    criteria = criteria_for(application.round, application.role)
    padded = list(values) + [values[-1]] * (len(criteria) - len(values))
    return {c.pk: (v, "") for c, v in zip(criteria, padded, strict=True)}


def review(application, reviewer, *values):
    return operations.submit_review(
        application, reviewer=reviewer, scores=scores_for(application, *values)
    )
