"""The yearly reminder to HR of former mentees without a recorded promotion
outcome (issue 17): rounds that ended one to five years ago."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from mentoring_cms.outcomes.promotion import missing_outcomes, record_outcome
from mentoring_cms.outcomes.promotion_tasks import send_outcome_reminders

from .outcomes_helpers import make_past_round, mentees

TODAY = datetime.date(2026, 1, 15)


@pytest.fixture
def rounds(programme):
    """Rounds that ended 6 months, about 1.5, 4.5 and 6.5 years before
    ``TODAY`` (June 2025, 2024, 2021 and 2019)."""
    return {year: make_past_round(programme, year) for year in (2018, 2020, 2023, 2024)}


def test_mentees_of_rounds_one_to_five_years_back_are_listed(rounds):
    listed = {}
    for year, programme_round in rounds.items():
        listed[year] = mentees(programme_round, 2, full_name=f"Mentee {year}")
    record_outcome(listed[2023][1], result="not_applied")
    names = [a.full_name for a in missing_outcomes(TODAY)]
    # 2024's round ended half a year ago, 2018's six and a half years ago.
    assert names == ["Mentee 2020", "Mentee 2020", "Mentee 2023"]


@override_settings(MENTORING_CMS_HR_EMAIL="hr@example.org")
def test_the_task_emails_hr_the_list(rounds):
    (ase,) = mentees(rounds[2020], 1, full_name="Åse Ørn")
    mentees(rounds[2018], 1, full_name="Too Old")
    assert send_outcome_reminders.call(TODAY.isoformat()) == 1
    (message,) = mail.outbox
    assert message.to == ["hr@example.org"]
    assert "Åse Ørn" in message.body and "Too Old" not in message.body
    assert f"/admin/mentoring/outcomes/{ase.pk}/" in message.body
    assert "opprykksutfall" in message.subject


@override_settings(MENTORING_CMS_HR_EMAIL="hr@example.org")
def test_nothing_is_sent_when_every_outcome_is_known(rounds):
    (ase,) = mentees(rounds[2020], 1)
    record_outcome(ase, result="not_applied")
    assert send_outcome_reminders.call(TODAY.isoformat()) == 0
    assert mail.outbox == []


def test_the_command_queues_the_reminder(rounds):
    mentees(rounds[2020], 1)
    out = io.StringIO()
    call_command("send_outcome_reminders", "--dry-run", stdout=out)
    assert "would queue" in out.getvalue()
    out = io.StringIO()
    call_command("send_outcome_reminders", stdout=out)
    assert "queued the reminder" in out.getvalue()
