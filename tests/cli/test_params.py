"""The CLI's value types: durations, moments, path files and case-insensitive choices."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import click
import pytest

from alicloud_cdn_refresh.cli.params import DURATION, MOMENT, Choice, parse_duration, parse_moment, read_lines

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("90s", 90.0),
        ("15m", 900.0),
        ("2h", 7200.0),
        ("1d", 86400.0),
        ("500ms", 0.5),
        ("1.5M", 90.0),
    ],
)
def test_duration_units(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "5 minutes", "-3", "1w", "1h30m"])
def test_duration_refuses_with_the_allowed_forms(text):
    with pytest.raises(ValueError, match="90s, 15m, 2h, 1d"):
        parse_duration(text)


def test_duration_param_type_fails_as_usage_error():
    with pytest.raises(click.BadParameter, match="not a duration"):
        DURATION.convert("soon", None, None)
    assert DURATION.convert(2, None, None) == 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T10:00:00Z", datetime(2026, 11, 28, 10, tzinfo=timezone.utc)),
        ("2026-11-28T18:00:00+08:00", datetime(2026, 11, 28, 10, tzinfo=timezone.utc)),
        ("2026-11-28T10:00:00", datetime(2026, 11, 28, 10, tzinfo=timezone.utc)),
        ("now", NOW),
        ("2h", NOW - timedelta(hours=2)),
        ("90m", NOW - timedelta(minutes=90)),
    ],
)
def test_moment_forms(text, expected):
    moment = parse_moment(text, now=NOW)
    assert moment == expected
    assert moment.utcoffset() == timedelta(0)


def test_moment_refuses_nonsense_and_names_the_forms():
    with pytest.raises(ValueError, match=r"yesterday.*2026-01-31T08:00:00Z"):
        parse_moment("yesterday", now=NOW)
    with pytest.raises(click.BadParameter):
        MOMENT.convert("31/01/2026", None, None)


def test_read_lines_skips_blanks_and_comments():
    stream = io.StringIO("# paths to purge\nhttps://a.example.com/x\n\n  https://a.example.com/y  \n#x\n")
    assert read_lines(stream) == ["https://a.example.com/x", "https://a.example.com/y"]


def test_choice_is_case_insensitive_and_returns_the_api_spelling():
    choice = Choice(["File", "Directory", "ExQuery"])
    assert choice.convert("exquery", None, None) == "ExQuery"
    with pytest.raises(click.BadParameter, match="'File', 'Directory', 'ExQuery'"):
        choice.convert("folder", None, None)
