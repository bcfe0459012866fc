"""Command-line value types of ``cdn-refresh``: durations, moments and path lists.

Kept apart from the commands so that they can be tested without a terminal, and kept free of
heavy imports (only click and the standard library) so that ``cdn-refresh --help`` stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import IO, Any

import click

from alicloud_cdn_refresh.models import parse_iso_time

__all__ = [
    "DURATION",
    "DURATION_HELP",
    "MOMENT",
    "MOMENT_HELP",
    "SHORT_DURATION",
    "SHORT_DURATION_HELP",
    "Choice",
    "Duration",
    "Moment",
    "collect_paths",
    "parse_duration",
    "parse_moment",
    "read_lines",
]

_DURATION_PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
DURATION_HELP = "seconds, or a number with a unit: 90s, 15m, 2h, 1d"
SHORT_DURATION_HELP = "seconds, or a number with a unit: 500ms, 2.5s, 5m, 1h"
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
    """A click type for :func:`parse_duration` with the given ``units``; refuses negative values."""

    name = "duration"

    def __init__(self, units: Iterable[str] = tuple(_UNIT_SECONDS), forms: str = DURATION_HELP) -> None:
        self.units = frozenset(unit.lower() for unit in units)
        self.forms = forms

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            seconds = float(value)
        else:
            match = _DURATION_PATTERN.match(str(value))
            if match is None or (match.group(2) or "s").lower() not in self.units:
                self.fail(f"{value!r} is not a duration ({self.forms})", param, ctx)
            seconds = parse_duration(str(value))
        if seconds < 0:
            self.fail(f"{value!r} is negative ({self.forms})", param, ctx)
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
SHORT_DURATION = Duration(units=("ms", "s", "m", "h"), forms=SHORT_DURATION_HELP)
"""Durations up to hours, for the emulator's timings (a day there is a typo, not a setting)."""
MOMENT = Moment()


def collect_paths(paths: Sequence[str], from_file: IO[str] | None) -> list[str]:
    """PATH arguments, then the lines of ``--from-file``: each an http(s) URL, duplicates dropped.

    Raises :class:`click.UsageError` naming the first path that is not a URL.
    """
    from alicloud_cdn_refresh.paths import is_url

    collected = [path.strip() for path in paths if path.strip()]
    if from_file is not None:
        collected.extend(read_lines(from_file))
    for path in collected:
        if not is_url(path):
            raise click.UsageError(
                f"object path {path!r} is not a URL: give full http:// or https:// URLs "
                "such as https://www.example.com/index.html"
            )
    return list(dict.fromkeys(collected))


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
