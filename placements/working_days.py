"""Working days in Sweden: the clock a request's answer is measured by."""

from __future__ import annotations

import datetime
import functools

import holidays

# Public holidays, and the eves that are days off in practice (midsommarafton, julafton,
# nyårsafton: holidays' "de_facto" category). The half days ("från kl. 14.00") are working days.
HOLIDAY_CATEGORIES = ("public", "de_facto")


@functools.cache
def _days_off(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Sweden(years=year, categories=HOLIDAY_CATEGORIES))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end` (0 when end <= start).

    A request sent on a Monday has waited 1 working day on Tuesday and 3 on Thursday; one
    sent on a Friday or a Saturday has waited 1 on Monday.
    """
    count = 0
    day = start + datetime.timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count
