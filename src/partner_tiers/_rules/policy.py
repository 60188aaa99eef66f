"""Review policy: when promotions and demotions take effect."""

from __future__ import annotations

import datetime as dt
import enum
import re

from attrs import field, frozen

from partner_tiers._errors import InvalidRecordError, ProgramError
from partner_tiers._model.values import check_day, enum_member

__all__ = ["Promotion", "ReviewPolicy", "month_day"]

_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 02-29 allowed


def month_day(text: str) -> tuple[int, int] | None:
    """A review date ``MM-DD`` as (month, day); None when it is no month-day of the
    calendar (02-29 is one)."""
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    return (month, day) if 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1] else None


class Promotion(enum.StrEnum):
    """When a partner who qualifies for a higher tier gets it."""

    IMMEDIATE = "immediate"
    AT_REVIEW = "at_review"


def _month_days(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise InvalidRecordError(
            "ReviewPolicy.review_dates", value, "must be a list of MM-DD month-days"
        )
    return tuple(sorted(str(item) for item in value))


def _promotion(value: object) -> Promotion:
    return enum_member(Promotion, "ReviewPolicy.promotion", value)


@frozen
class ReviewPolicy:
    """How tiers change over time. HubSpot's cadence was never published: the shipped
    values are examples.

    Attributes:
        review_dates: month-days (``MM-DD``) of the yearly reviews; demotions happen only
            on these dates.
        promotion: immediate (the day a partner qualifies) or at_review.
        notice_days: days between the review that finds a partner below its tier's retain
            minimum and the demotion taking effect.
        soft_landing: at most one tier down per review; when false, straight to the
            tier the partner qualifies for.
        first_tier_deadline_months: months after joining to reach the first tier; a
            partner who has not is moved to the program level below (Provider) at the
            next review. None: no deadline.
    """

    review_dates: tuple[str, ...] = field(default=("01-01", "07-01"), converter=_month_days)
    promotion: Promotion = field(default=Promotion.IMMEDIATE, converter=_promotion)
    notice_days: int = 0
    soft_landing: bool = True
    first_tier_deadline_months: int | None = None

    def month_days(self) -> list[tuple[int, int]]:
        """The review dates as (month, day) pairs.

        Raises:
            ProgramError: for a review date that is no month-day of the calendar (a
                program file's are checked when it is loaded; see `check_program`).
        """
        pairs = []
        for text in self.review_dates:
            pair = month_day(text)
            if pair is None:
                raise ProgramError(
                    f"policy.review_dates: must be MM-DD month-days, e.g. 01-01 (got {text!r})"
                )
            pairs.append(pair)
        return pairs

    def reviews(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Review dates in (start, end], in order."""
        check_day("start", start)
        check_day("end", end)
        found = []
        for year in range(start.year, end.year + 1):
            for month, day in self.month_days():
                try:
                    review = dt.date(year, month, day)
                except ValueError:  # 02-29 in a common year: the last day of February
                    review = dt.date(year, month, 28)
                if start < review <= end:
                    found.append(review)
        return sorted(found)

    def next_review(self, after: dt.date) -> dt.date:
        """The first review date strictly after the day.

        Raises:
            ProgramError: when the policy has no review dates.
        """
        check_day("after", after)
        found = self.reviews(after, dt.date(after.year + 1, 12, 31))
        if not found:
            raise ProgramError("policy.review_dates: must hold at least one MM-DD date (got [])")
        return found[0]
