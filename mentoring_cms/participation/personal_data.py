"""The personal data download of her page (GDPR Art. 15, ``my-data.json``).

What the data subject gets, and why:

* her application as stored and what she and HR recorded in the round
  (absence notices, attendance, meetings, whether she answered the
  evaluation);
* her official partner (the current pair the matching stage published):
  name, role, email and when the pair was published. Who she is paired with
  is data about her; she has been told the partner's name and address in
  the introduction email and on her page already;
* the nominations of her application (the coordinator's justification,
  when given and when withdrawn) and the committee's reviews of it (each
  score with its criterion and comment, the mean, when submitted): opinions
  about her are her personal data (CJEU C-434/16 *Nowak*);
* withheld: who nominated her and who reviewed her (Art. 15(4): the rights
  and freedoms of others; the reviewers score in confidence), and the
  reviewers' conflict-of-interest declarations (data about the reviewer).

Names of the round, faculty, gatherings and criteria are given in her
language (``Application.language``) where translated, else in the default
language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import (
    AbsenceNotice,
    Attendance,
    Nomination,
    PromotionOutcome,
    Review,
    SessionPage,
)
from ..models.evaluation import EvaluationReceipt
from .gatherings import localized_round
from .partners import partner_of

APPLICATION_FIELDS = (
    "reference", "role", "status", "full_name", "email", "phone", "language",
    "position", "permanently_employed", "department", "academic_field",
    "privacy_notice_version", "submitted_at", "status_changed_at",
    "attachment_name", "attachment_size",
)  # fmt: skip


def _localized(instance):
    """``instance`` (a translatable snippet or page) in the active language
    when translated, else itself."""
    return instance.localized if instance is not None else None


def personal_data(application):
    """The person's data as a JSON-ready dict (GDPR Art. 15), names in her
    language; see the module docstring for what is given and withheld. A
    fixed number of queries whatever the number of rows."""
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _personal_data(application, language)


def _personal_data(application, language):
    data = {name: getattr(application, name) for name in APPLICATION_FIELDS}
    data["round"] = localized_round(application.round, language).title
    faculty = _localized(application.faculty)
    data["faculty"] = faculty.name if faculty else None
    data["answers"] = application.answers
    notices = list(
        AbsenceNotice.objects.filter(application=application).values_list(
            "session__translation_key", "session__title", "reason", "created_at"
        )
    )
    attendance = list(
        Attendance.objects.filter(application=application)
        .order_by("session__start", "pk")
        .values_list("session__translation_key", "session__title", "status")
    )
    titles = _gathering_titles(
        {row[0] for row in notices} | {row[0] for row in attendance}, language
    )
    data["absence_notices"] = [
        {"gathering": titles.get(key, title), "reason": reason, "given_at": given}
        for key, title, reason, given in notices
    ]
    data["attendance"] = [
        {"gathering": titles.get(key, title), "status": status}
        for key, title, status in attendance
    ]
    data["meetings"] = [
        meeting.isoformat()
        for meeting in application.meetings.values_list("date", flat=True)
    ]
    # Whether she has answered the round's evaluation; what she answered is
    # stored without her and cannot be found again.
    data["evaluation_answered"] = EvaluationReceipt.objects.filter(
        application=application
    ).exists()
    data["promotion_outcome"] = (
        PromotionOutcome.objects.filter(application=application)
        .values("result", "position", "applied_year", "result_year", "recorded_at")
        .first()
    )
    data["partner"] = _partner(application)
    data["nominations"] = [
        {
            "justification": nomination.justification,
            "nominated_at": nomination.created_at,
            "withdrawn_at": nomination.withdrawn_at,
        }
        for nomination in Nomination.objects.filter(application=application).order_by(
            "created_at", "pk"
        )
    ]
    data["reviews"] = [
        {
            "submitted_at": review.submitted_at,
            "mean": review.mean,
            "scores": [
                {
                    "criterion": _localized(score.criterion).label,
                    "scale": [score.criterion.scale_min, score.criterion.scale_max],
                    "score": score.value,
                    "comment": score.comment,
                }
                for score in review.scores.all()
            ],
        }
        for review in Review.objects.filter(application=application)
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    ]
    data["withheld"] = _(
        "Who nominated and who reviewed the application, and the reviewers' "
        "declarations of conflicts of interest, are left out to protect "
        "them (GDPR Art. 15(4))."
    )
    return data


def _partner(application):
    partner = partner_of(application)
    if partner is None:
        return None
    return {
        "full_name": partner.full_name,
        "role": partner.role,
        "email": partner.email,
    }


def _gathering_titles(keys, language):
    """{translation key: title in ``language``} of the live translations of
    the gatherings with ``keys`` (one query)."""
    if not keys:
        return {}
    return dict(
        SessionPage.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .values_list("translation_key", "title")
    )
