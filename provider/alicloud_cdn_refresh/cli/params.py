"""Command-line value types of ``cdn-refresh``: durations, moments, path files and path lists.

Kept apart from the commands so that they can be tested without a terminal, and kept free of
heavy imports (only click and the standard library) so that ``cdn-refresh --help`` stays fast.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import IO, Any

import click

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
    "FROM_FILE_HELP",
    "MAX_FILE_BYTES",
    "PATHS_FILE",
    "PathsFile",
    "collect_paths",
    "decode_file",
    "parse_duration",
    "parse_lines",
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
    from alicloud_cdn_refresh.models import parse_iso_time  # not at start-up: --help needs no models

    current = now or datetime.now(timezone.utc)
    stripped = text.strip()
    if stripped.lower() == "now":
        return current.replace(microsecond=0)
    if _DURATION_PATTERN.match(stripped):
        try:
            return (current - timedelta(seconds=parse_duration(stripped))).replace(microsecond=0)
        except OverflowError:  # 99999999d: before the year 1
            raise ValueError(f"{text!r} is too long ago to be a time (the API keeps 3 days)") from None
    try:
        return parse_iso_time(stripped, naive="utc")
    except OverflowError:  # 9999-12-31T23:00:00-05:00 is past the year 9999 in UTC
        raise ValueError(f"{text!r} is outside the years a time can have") from None
    except ValueError:
        raise ValueError(f"{text!r} is not a time ({MOMENT_HELP})") from None


class Duration(click.ParamType):  # type: ignore[type-arg]
    """A click type for :func:`parse_duration` with the given ``units``; refuses negative values (and
    zero and infinity when ``positive``)."""

    name = "duration"

    def __init__(
        self,
        units: Iterable[str] = tuple(_UNIT_SECONDS),
        forms: str = DURATION_HELP,
        *,
        positive: bool = False,
    ) -> None:
        self.units = frozenset(unit.lower() for unit in units)
        self.forms = forms
        self.positive = positive

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
        if self.positive and not 0 < seconds < float("inf"):
            self.fail(f"{value!r} must be more than 0 ({self.forms})", param, ctx)
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


MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest ``--from-file`` read (a day's whole URL quota is under 11 MB; ``/dev/zero`` is not a list)."""

_COMMENT = re.compile(r"(?:^|\s)#")
"""A comment starts with ``#`` at the start of a line or after whitespace: ``#`` inside a URL (a
fragment, ``page#top``) is part of the path."""


def parse_lines(text: str) -> list[str]:
    """Object paths or task ids from a file's text: one a line; blank lines skipped; a ``#`` at the
    start of a line or after whitespace starts a comment (``https://x/a.js  # old``); surrounding
    whitespace and a UTF-8 byte-order mark removed."""
    out: list[str] = []
    for raw in text.removeprefix("\ufeff").splitlines():
        line = _COMMENT.split(raw, maxsplit=1)[0].strip()
        if line:
            out.append(line)
    return out


def read_lines(stream: IO[str]) -> list[str]:
    """:func:`parse_lines` of a text stream."""
    return parse_lines(stream.read())


def decode_file(data: bytes, name: str) -> str:
    """A path file's bytes as text: UTF-8 (a byte-order mark ignored); ``ValueError`` naming the
    file, the line and what to do for anything else (UTF-16, binary, another encoding)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{name} is UTF-16 text; save it as UTF-8 (one path a line)")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ValueError(
            f"{name} looks binary (a NUL byte on line {line}); give a text file, one path a line"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise ValueError(
            f"{name} is not UTF-8 text (byte 0x{bad} on line {line}); save it as UTF-8, one path a line"
        ) from None


def _stdin_bytes(limit: int) -> bytes:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        data: bytes = buffer.read(limit)
        return data
    return sys.stdin.read(limit).encode("utf-8", "surrogateescape")


class PathsFile(click.ParamType):  # type: ignore[type-arg]
    """``--from-file``: a UTF-8 text file ('-' for stdin) -> its lines (:func:`parse_lines`).

    Read as bytes and decoded here, so that a file in another encoding, a binary one or a missing
    one is a usage error naming it, whatever the terminal's encoding."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        name = "stdin" if value == "-" else repr(str(value))
        try:
            if value == "-":
                data = _stdin_bytes(MAX_FILE_BYTES + 1)
            else:
                with open(str(value), "rb") as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            self.fail(f"{name}: {error.strerror or error}", param, ctx)
        if len(data) > MAX_FILE_BYTES:
            self.fail(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it", param, ctx)
        try:
            return parse_lines(decode_file(data, name))
        except ValueError as error:
            self.fail(str(error), param, ctx)


PATHS_FILE = PathsFile()
FROM_FILE_HELP = (
    "Read object paths from this UTF-8 file, one a line ('-' for stdin); blank lines skipped, "
    "'#' at the start of a line or after a space starts a comment."
)


def collect_paths(
    paths: Sequence[str], from_file: Sequence[str] | IO[str] | None, *, object_type: str | None = None
) -> list[str]:
    """PATH arguments, then the lines of ``--from-file``: each an http(s) URL, duplicates dropped.

    Checked as the client checks them (:func:`~alicloud_cdn_refresh.paths.check_paths`: no tab or
    line break, valid text; a ``Directory`` ends with ``/``), before any call. Raises
    :class:`click.UsageError` naming the first path that is not a URL.
    """
    from alicloud_cdn_refresh.errors import InvalidQuery
    from alicloud_cdn_refresh.paths import check_directories, check_paths, is_url

    collected = [path for path in paths if path.strip()]
    if isinstance(from_file, Sequence):
        collected.extend(from_file)
    elif from_file is not None:
        collected.extend(read_lines(from_file))
    try:
        checked = check_paths(collected, parameter="PATH", strip=True)
        for path in checked:
            if not is_url(path):
                raise click.UsageError(
                    f"object path {path!r} is not a URL: give full http:// or https:// URLs "
                    "such as https://www.example.com/index.html"
                )
        if object_type is not None and object_type.lower() == "directory":
            check_directories(checked, parameter="PATH")
    except InvalidQuery as error:
        raise click.UsageError(str(error)) from None
    return checked
