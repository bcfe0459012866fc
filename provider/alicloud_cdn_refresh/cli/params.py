"""Command-line value types of ``cdn-refresh``: durations, moments and path lists.

Kept apart from the commands so that they can be tested without a terminal, and kept free of
heavy imports (only click and the standard library) so that ``cdn-refresh --help`` stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import IO, Any

import click

from alicloud_cdn_refresh.models import parse_iso_time

__all__ = [
    "DURATION",
    "MOMENT",
    "Choice",
    "Duration",
    "Moment",
    "parse_duration",
    "parse_moment",
    "read_lines",
]

_DURATION_PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
DURATION_HELP = "seconds, or a number with a unit: 90s, 15m, 2h, 1d"
MOMENT_HELP = "UTC time 2026-01-31T08:00:00Z, an ISO 8601 time with offset, 'now', or an age like 2h (ago)"


def parse_duration(text: str) -> float:
    """``"90"`` / ``"90s"`` / ``"15m"`` / ``"2h"`` / ``"1d"`` / ``"500ms"`` -> seconds (float)."""
    match = _DURATION_PATTERN.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration ({DURATION_HELP})")
    number, unit = match.groups()
    return float(number) * _UNIT_SECONDS[(unit or "s").lower()]


def parse_moment(text: str, *, now: datetime | None = None) -> datetime:
    """A point in time as an aware UTC datetime.

    Accepts the API's ``yyyy-MM-ddTHH:mm:ssZ``, any ISO 8601 time (a time without an offset is
    taken as UTC, as the API's times are), ``now``, or an age such as ``2h`` meaning two hours ago.
    """
    current = now or datetime.now(timezone.utc)
    stripped = text.strip()
    if stripped.lower() == "now":
        return current.replace(microsecond=0)
    if _DURATION_PATTERN.match(stripped):
        return (current - timedelta(seconds=parse_duration(stripped))).replace(microsecond=0)
    try:
        return parse_iso_time(stripped, naive="utc")
    except ValueError:
        raise ValueError(f"{text!r} is not a time ({MOMENT_HELP})") from None


class Duration(click.ParamType):  # type: ignore[type-arg]
    """A click type for :func:`parse_duration`; refuses negative values."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            seconds = float(value)
        else:
            try:
                seconds = parse_duration(str(value))
            except ValueError as error:
                self.fail(str(error), param, ctx)
        if seconds < 0:
            self.fail(f"{value!r} is negative ({DURATION_HELP})", param, ctx)
        return seconds


class Moment(click.ParamType):  # type: ignore[type-arg]
    """A click type for :func:`parse_moment`."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        try:
            return parse_moment(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class Choice(click.Choice):  # type: ignore[type-arg]
    """A case-insensitive choice that shows and names its values as the API spells them."""

    def __init__(self, choices: Iterable[str]) -> None:
        super().__init__(list(choices), case_sensitive=False)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(str(choice) for choice in self.choices) + "]"

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        allowed = ", ".join(repr(str(choice)) for choice in self.choices)
        return f"{value!r} is not one of {allowed} (any case)."


DURATION = Duration()
MOMENT = Moment()


def read_lines(stream: IO[str]) -> list[str]:
    """Object paths or task ids from a file: one a line; blank lines and ``#`` comments skipped."""
    return _clean(stream)


def _clean(lines: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out
