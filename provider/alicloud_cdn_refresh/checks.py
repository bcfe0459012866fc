"""Checks of single values shared by every part: each failure is an :class:`~.errors.InvalidQuery`
naming the parameter and saying what is allowed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from .errors import InvalidQuery
from .limits import QUERY_WINDOW
from .models import format_api_time, parse_api_time

__all__ = ["CONTROL_CHARACTERS", "CLOCK_SKEW", "api_time", "documented", "integer", "queryable_since", "text"]

CLOCK_SKEW = timedelta(minutes=1)
"""How far a time may lie in the future (this machine's clock behind the service's)."""

CONTROL_CHARACTERS = "\r\n\t"
"""Characters no parameter value may contain (paths are sent one a line)."""


def text(parameter: str, value: object) -> str:
    """A non-empty string (an integer is taken as its digits), stripped, without tabs or line breaks."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidQuery(parameter, f"expected a string, got {type(value).__name__}")
    stripped = str(value).strip()
    if not stripped:
        raise InvalidQuery(parameter, "must not be empty")
    if any(c in stripped for c in CONTROL_CHARACTERS):
        raise InvalidQuery(parameter, "must not contain tabs or line breaks")
    return stripped


class _OpenValue(Protocol):
    @property
    def is_known(self) -> bool: ...


V = TypeVar("V", bound=_OpenValue)


def documented(parameter: str, value: object, kind: Callable[[str], V], allowed: str) -> V:
    """A value of the open enum ``kind`` that the API documents, from its text (any case; its
    aliases too); anything else is refused, naming ``allowed``."""
    member = kind(value.strip()) if isinstance(value, str) and value.strip() else None
    if member is None or not member.is_known:
        raise InvalidQuery(parameter, f"{value!r} is not supported; allowed: {allowed}")
    return member


def integer(parameter: str, value: object, low: int, high: int) -> int:
    """An ``int`` (not a bool) in ``low..high``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidQuery(parameter, f"expected an integer in {low}..{high}, got {value!r}")
    if not low <= value <= high:
        raise InvalidQuery(parameter, f"{value} is outside the allowed range {low}..{high}")
    return value


def api_time(parameter: str, value: object) -> datetime:
    """An aware datetime or the API's ``yyyy-MM-ddTHH:mm:ssZ``, as the (whole) second the API will see."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidQuery(
                parameter, "a naive datetime is ambiguous; give a timezone-aware one (e.g. tzinfo=UTC)"
            )
        try:
            return parse_api_time(format_api_time(value))
        except (ValueError, OverflowError):  # years before 1000 or past 9999 in UTC
            raise InvalidQuery(
                parameter, f"{value.isoformat()} is outside the years 1000..9999 (UTC) the API can take"
            ) from None
    if isinstance(value, str):
        try:
            return parse_api_time(value.strip())
        except ValueError:
            raise InvalidQuery(
                parameter, f"{value!r} is not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ"
            ) from None
    raise InvalidQuery(
        parameter, f"expected an aware datetime or a string yyyy-MM-ddTHH:mm:ssZ, got {type(value).__name__}"
    )


def queryable_since(parameter: str, moment: datetime, now: datetime) -> datetime:
    """A time tasks can be asked about from: within the API's 3-day window, not in the future
    (beyond :data:`CLOCK_SKEW`). ``moment`` is an aware datetime."""
    earliest = now - QUERY_WINDOW
    if moment < earliest - timedelta(seconds=1):
        raise InvalidQuery(
            parameter,
            f"{format_api_time(moment)} is more than {QUERY_WINDOW.days} days ago; only tasks "
            f"since {format_api_time(earliest)} can be queried",
        )
    if moment > now + CLOCK_SKEW:
        raise InvalidQuery(
            parameter,
            f"{format_api_time(moment)} is in the future (now is {format_api_time(now)}); "
            "no task can have been created after it yet",
        )
    return moment
