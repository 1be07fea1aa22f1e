"""Who may see and act on applications.

Applications are personal data: every HR admin action on them (list, read,
decide, note, erase) needs ``mentoring_cms.review_application``; exports also
need ``mentoring_cms.export_application``. Nobody creates applications in the
admin: they come from applicants.
"""

from django.contrib.auth import get_permission_codename
from wagtail.permission_policies import ModelPermissionPolicy

REVIEW_PERMISSION = "mentoring_cms.review_application"
EXPORT_PERMISSION = "mentoring_cms.export_application"


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    def _get_permission_codename(self, action):
        if action == "export":
            return "export_application"
        if action == "add":
            return get_permission_codename("add", self.auth_model._meta)
        return "review_application"


def user_can_review(user):
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def user_can_export(user):
    return user_can_review(user) and user.has_perm(EXPORT_PERMISSION)


# Selection (issue 14). A faculty coordinator sees and nominates only the
# mentee applications of her own faculties (``FacultyCoordinator``); a member
# of the selection committee scores nominated mentees and mentor
# applications. Neither permission opens HR's listing, exports or decisions.
NOMINATE_PERMISSION = "mentoring_cms.nominate_mentee"
SCORE_PERMISSION = "mentoring_cms.score_application"


def user_can_nominate(user):
    return user.is_active and user.has_perm(NOMINATE_PERMISSION)


def user_can_score(user):
    return user.is_active and user.has_perm(SCORE_PERMISSION)
