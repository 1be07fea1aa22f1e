"""Who a participant's partner is: the other side of her official pair.

Pairs are made and published by the matching stage (``models.matching.Match``,
one current pair per person, ``ended_at`` empty). A partner who is no longer
accepted (she withdrew after the publication) is no partner: the personal page
then says the partner will be shown once pairs are made, and HR sees the
person unmatched on the round's matching page.
"""

from django.db.models import Q

from ..models import Application
from ..models.matching import Match


def partners_of(applications):
    """``{application pk: partner Application}`` for the given applications
    (an iterable of Application), in one query; people without a current
    pair, or whose partner is no longer accepted, are left out."""
    ids = {application.pk for application in applications}
    if not ids:
        return {}
    partners = {}
    matches = (
        Match.objects.filter(ended_at__isnull=True)
        .filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        .select_related("mentor", "mentee")
    )
    for match in matches:
        for person, partner in (
            (match.mentor, match.mentee),
            (match.mentee, match.mentor),
        ):
            if person.pk in ids and partner.status == Application.Status.ACCEPTED:
                partners[person.pk] = partner
    return partners


def partner_of(application):
    """The accepted application paired with ``application`` (mentor for a
    mentee, mentee for a mentor), or ``None`` while no pair is made."""
    return partners_of([application]).get(application.pk)
