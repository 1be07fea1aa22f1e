"""The topics applicants choose from for the matching.

A programme's editors may list their own (``ProgramPage.matching_topics``,
translated with the page; a topic is known by its block id, so renaming or
translating it keeps the answers); otherwise the default list below: the
topics of the gatherings in the programme description, plus research
leadership and a teaching portfolio.
"""

from django.utils.translation import gettext_lazy as _

from ..models import ProgramPage

DEFAULT_TOPICS = (
    ("promotion_application", _("The promotion application")),
    ("career_choices", _("Career choices and priorities")),
    ("networking", _("Networking")),
    ("identity", _("Identity as professor or docent")),
    ("home_work_balance", _("Balancing home and work")),
    ("research_leadership", _("Research leadership")),
    ("teaching_portfolio", _("Teaching portfolio")),
)


def _programme_of(programme_round):
    # Routed through its programme, the round knows its parent: no query;
    # otherwise one, for the programme's own row.
    parent = getattr(programme_round, "_cached_parent_obj", None)
    if isinstance(parent, ProgramPage):
        return parent
    path = programme_round.path[: -programme_round.steplen]
    return ProgramPage.objects.filter(path=path).first()


def topic_choices(programme_round):
    """(key, label) of the topics offered in ``programme_round``'s programme,
    labelled in the active language where the programme has been
    translated; the default topics when the programme lists none."""
    programme = _programme_of(programme_round) if programme_round else None
    if programme is None or not len(programme.matching_topics):
        return [(key, str(label)) for key, label in DEFAULT_TOPICS]
    labels = {}
    versions = [programme]
    localized = programme.localized
    if localized.pk != programme.pk:
        versions.append(localized)
    for version in versions:
        for block in version.matching_topics:
            labels[block.id] = str(block.value)
    return [(block.id, labels[block.id]) for block in programme.matching_topics]


def topic_labels(programme_round):
    """{key: label} of every topic the round's programme offers, and of the
    default topics, in the active language."""
    labels = {key: str(label) for key, label in DEFAULT_TOPICS}
    labels.update(dict(topic_choices(programme_round)))
    return labels
