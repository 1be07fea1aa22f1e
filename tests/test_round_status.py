"""A round's status follows from its dates and the clock (Europe/Oslo)."""

import datetime

import pytest
import time_machine

from mentoring_cms.models import RoundStatus

from .utils import make_round, oslo

ONE_SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def round_2027(programme):
    # Applications 1 March 09:00 – 1 April 12:00; the round runs from
    # 15 August 2027 up to and including 15 June 2028.
    return make_round(
        programme,
        title="Runde 2027–2028",
        slug="runde-2027-2028",
        application_opens=oslo(2027, 3, 1, 9),
        application_closes=oslo(2027, 4, 1, 12),
        period_start=datetime.date(2027, 8, 15),
        period_end=datetime.date(2028, 6, 15),
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (oslo(2026, 12, 1), RoundStatus.PLANNED),
        (oslo(2027, 3, 1, 9) - ONE_SECOND, RoundStatus.PLANNED),
        (oslo(2027, 3, 1, 9), RoundStatus.OPEN),
        (oslo(2027, 3, 15, 14), RoundStatus.OPEN),
        (oslo(2027, 4, 1, 12) - ONE_SECOND, RoundStatus.OPEN),
        (oslo(2027, 4, 1, 12), RoundStatus.CLOSED),
        (oslo(2027, 8, 15) - ONE_SECOND, RoundStatus.CLOSED),
        (oslo(2027, 8, 15), RoundStatus.RUNNING),
        (oslo(2028, 1, 10, 12), RoundStatus.RUNNING),
        (oslo(2028, 6, 15, 23, 59) + 59 * ONE_SECOND, RoundStatus.RUNNING),
        (oslo(2028, 6, 16), RoundStatus.FINISHED),
        (oslo(2030, 1, 1), RoundStatus.FINISHED),
    ],
)
def test_status_over_a_frozen_clock(round_2027, moment, expected):
    with time_machine.travel(moment, tick=False):
        assert round_2027.status == expected
        assert round_2027.is_open_for_applications is (expected == RoundStatus.OPEN)


def test_round_starts_at_midnight_in_oslo_not_utc(round_2027):
    # 22:30 UTC on 14 August is already 00:30 on 15 August in Oslo (summer time).
    moment = datetime.datetime(2027, 8, 14, 22, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        assert round_2027.status == RoundStatus.RUNNING
    moment = datetime.datetime(2027, 8, 14, 21, 59, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        assert round_2027.status == RoundStatus.CLOSED


def test_round_without_application_window_is_planned_until_it_starts(programme):
    programme_round = make_round(
        programme,
        application_opens=None,
        application_closes=None,
        period_start=datetime.date(2027, 8, 15),
        period_end=datetime.date(2028, 6, 15),
    )
    with time_machine.travel(oslo(2027, 8, 14, 23, 59), tick=False):
        assert programme_round.status == RoundStatus.PLANNED
    with time_machine.travel(oslo(2027, 8, 15), tick=False):
        assert programme_round.status == RoundStatus.RUNNING


@pytest.mark.parametrize(
    ("moment", "label_nb"),
    [
        (oslo(2027, 2, 1), "Planlagt"),
        (oslo(2027, 3, 1, 9), "Åpen for søknader"),
        (oslo(2027, 4, 1, 12), "Søknadsfristen er ute"),
        (oslo(2027, 8, 15), "Pågår"),
    ],
)
def test_round_page_shows_its_status(client, round_2027, moment, label_nb):
    with time_machine.travel(moment, tick=False):
        html = client.get(round_2027.url).content.decode()
    assert label_nb in html


def test_programme_page_features_the_open_round(client, programme, round_2027):
    finished = make_round(
        programme,
        title="Runde 2022–2023",
        slug="runde-2022-2023",
        application_opens=oslo(2022, 5, 2, 9),
        application_closes=oslo(2022, 6, 10, 12),
        period_start=datetime.date(2022, 9, 1),
        period_end=datetime.date(2023, 6, 16),
    )
    with time_machine.travel(oslo(2027, 3, 10), tick=False):
        response = client.get(programme.url)
    assert response.context["featured_round"] == round_2027
    html = response.content.decode()
    assert "Åpen for søknader" in html
    assert "Det er ikke fastsatt tidspunkt for ny programrunde." not in html
    assert finished.title in html  # listed among all rounds


def test_programme_page_says_when_no_round_is_scheduled(client, programme, round_2027):
    with time_machine.travel(oslo(2028, 7, 1), tick=False):
        response = client.get(programme.url)
    assert response.context["featured_round"] is None
    assert "Det er ikke fastsatt tidspunkt for ny programrunde." in (
        response.content.decode()
    )
