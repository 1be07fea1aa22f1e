"""Print the proposal the matching would make for a round now, without
storing or publishing it: ``manage.py match_round ROUND_ID [--json]``."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from mentoring_cms.matching.operations import (
    MatchingRefused,
    compute_proposal,
    labels_for,
)
from mentoring_cms.matching.reasons import describe_pair, describe_unmatched
from mentoring_cms.models import ProgramRoundPage


class Command(BaseCommand):
    help = (
        "Print the pairs (with scores and reasons) and the unmatched "
        "participants the matching proposes for a round; nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="Language of the reasons in words (default: the site's).",
        )

    def handle(self, *args, round_id, language=None, **options):
        programme_round = ProgramRoundPage.objects.filter(pk=round_id).first()
        if programme_round is None:
            raise CommandError(f"No round with id {round_id}.")
        programme_round = programme_round.get_source_round()
        with translation.override(language):
            try:
                proposal, mentors, mentees = compute_proposal(programme_round)
            except MatchingRefused as refusal:
                raise CommandError(str(refusal)) from None
            people = {a.pk: a for a in (*mentors, *mentees)}
            labels = labels_for(programme_round, people.values())
            data = {
                "round": programme_round.pk,
                "total_score": proposal.total_score,
                "weights": proposal.weights.as_dict(),
                "pairs": [
                    {
                        "mentor": _person(people[pair.mentor_id]),
                        "mentee": _person(people[pair.mentee_id]),
                        "score": pair.score,
                        "fixed": pair.fixed,
                        "reasons": pair.reasons,
                        "reasons_text": describe_pair(pair.reasons, labels),
                    }
                    for pair in proposal.pairs
                ],
                "unmatched": [
                    {
                        **_person(people[person.participant_id]),
                        "role": person.role,
                        "code": person.code,
                        "exclusions": person.exclusions,
                        "reason_text": describe_unmatched(vars(person), labels),
                    }
                    for person in proposal.unmatched
                ],
            }
        if options["json"]:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(
            f"Round {programme_round.pk}: {len(data['pairs'])} pair(s), "
            f"total score {proposal.total_score:g}"
        )
        for pair in data["pairs"]:
            self.stdout.write(
                f"{pair['mentor']['name']} – {pair['mentee']['name']} "
                f"[{pair['score']:g}]: {pair['reasons_text']}"
            )
        for person in data["unmatched"]:
            self.stdout.write(
                f"Unmatched {person['role']} {person['name']}: {person['reason_text']}"
            )


def _person(application):
    return {
        "id": application.pk,
        "reference": application.reference,
        "name": application.full_name,
    }


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
