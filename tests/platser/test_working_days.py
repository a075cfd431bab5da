"""Working days in Sweden: weekends, public holidays and the eves that are days off."""

from __future__ import annotations

import datetime

import pytest

from placements.working_days import is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 11, 30), D(2026, 11, 30), 0),  # the day it was sent does not count
        (D(2026, 11, 30), D(2026, 12, 1), 1),  # Monday to Tuesday
        (D(2026, 11, 30), D(2026, 12, 3), 3),  # Monday to Thursday
        (D(2026, 12, 4), D(2026, 12, 7), 1),  # Friday to Monday: the weekend is not counted
        (D(2026, 12, 5), D(2026, 12, 7), 1),  # Saturday to Monday
        (D(2026, 12, 5), D(2026, 12, 6), 0),  # Saturday to Sunday
        (D(2026, 12, 7), D(2026, 12, 4), 0),  # backwards
        # Christmas: julafton, juldagen and the weekend; nyårsafton, nyårsdagen, trettondedag.
        (D(2026, 12, 23), D(2026, 12, 28), 1),
        (D(2026, 12, 23), D(2026, 12, 30), 3),
        (D(2026, 12, 23), D(2027, 1, 4), 4),
        (D(2026, 12, 23), D(2027, 1, 7), 6),
        # Midsommar: midsommarafton is Friday 19 June 2026.
        (D(2026, 6, 18), D(2026, 6, 22), 1),
        # Easter 2026: långfredagen 3 April, annandag påsk 6 April.
        (D(2026, 4, 2), D(2026, 4, 7), 1),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_the_half_days_before_a_holiday_are_working_days():
    # "Dag före midsommarafton (från kl. 14.00)" and skärtorsdagen are worked in the morning.
    assert is_working_day(D(2026, 6, 18))
    assert is_working_day(D(2026, 4, 2))
    assert not is_working_day(D(2026, 6, 19))  # midsommarafton
    assert not is_working_day(D(2026, 12, 24))  # julafton
    assert not is_working_day(D(2026, 12, 31))  # nyårsafton
    assert not is_working_day(D(2026, 6, 6))  # nationaldagen (a Saturday in 2026)
