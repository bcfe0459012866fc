"""Command-line flags of the emulator server, shared by ``python -m`` and ``cdn-refresh emulator``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .core import Emulator
from .faults import FAULT_KINDS, FaultConfig
from .server import run_server

__all__ = ["add_arguments", "build_parser", "emulator_from_args", "main"]


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a fraction between 0 and 1, not {text}")
    return value


_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _non_negative(text: str) -> float:
    """Seconds, as a number or with a unit: ``2.5``, ``500ms``, ``10s``, ``5m``, ``1h``."""
    raw = text.strip().lower()
    scale = 1.0
    for unit in ("ms", "s", "m", "h"):
        if raw.endswith(unit):
            raw, scale = raw[: -len(unit)], _UNITS[unit]
            break
    try:
        value = float(raw) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 5, 2.5s, 500ms, 5m)") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the emulator's flags to ``parser`` (the CLI mirrors these names and defaults)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (0 = any free port; default 0)")
    parser.add_argument(
        "--access-key-id",
        default=os.environ.get("CDN_REFRESH_EMULATOR_ACCESS_KEY_ID", "testid"),
        help="accepted access key id (default testid; env CDN_REFRESH_EMULATOR_ACCESS_KEY_ID)",
    )
    parser.add_argument(
        "--access-key-secret",
        default=os.environ.get("CDN_REFRESH_EMULATOR_ACCESS_KEY_SECRET", "testsecret"),
        help="its test secret, never a real one (default testsecret; "
        "env CDN_REFRESH_EMULATOR_ACCESS_KEY_SECRET)",
    )
    parser.add_argument(
        "--complete-after",
        type=_non_negative,
        default=5.0,
        metavar="SECONDS",
        help="seconds from submission to Complete (default 5)",
    )
    parser.add_argument(
        "--complete-after-polls",
        type=int,
        default=None,
        metavar="N",
        help="instead of time, complete a task once N answers have shown it",
    )
    parser.add_argument("--fail-paths", default=None, metavar="REGEX", help="paths matching end Failed")
    parser.add_argument(
        "--fault-rate", type=_fraction, default=0.0, help="fraction of requests answered with a fault (0..1)"
    )
    parser.add_argument(
        "--fault-kinds",
        default=",".join(FAULT_KINDS),
        help=f"comma-separated faults to draw from (default {','.join(FAULT_KINDS)})",
    )
    parser.add_argument(
        "--slow-seconds", type=_non_negative, default=2.0, help="delay of a slow answer (default 2)"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for task ids, failures and faults")
    parser.add_argument("--no-qps-limits", action="store_true", help="do not enforce per-action QPS limits")
    parser.add_argument("--no-quotas", action="store_true", help="do not enforce daily quotas")
    parser.add_argument("--allow-remote", action="store_true", help="allow binding a non-loopback address")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m alicloud_cdn_refresh.emulator``."""
    parser = argparse.ArgumentParser(
        prog="python -m alicloud_cdn_refresh.emulator",
        description="Serve an offline emulator of the Alibaba Cloud CDN refresh/preload API. "
        "Prints the URL it serves on as its first line; stops cleanly on SIGINT/SIGTERM.",
    )
    return add_arguments(parser)


def emulator_from_args(args: argparse.Namespace) -> Emulator:
    """Build the emulator the parsed flags describe (raises ``ValueError`` on a bad value).

    Flags missing from ``args`` take their defaults, so a caller mirroring a subset still works.
    """
    import re

    defaults = vars(add_arguments(argparse.ArgumentParser(add_help=False)).parse_args([]))
    values = {**defaults, **{k: v for k, v in vars(args).items() if v is not None or k == "fail_paths"}}
    fail_paths = values["fail_paths"]
    if fail_paths is not None:
        try:
            re.compile(fail_paths)
        except re.error as error:
            raise ValueError(f"--fail-paths: not a regular expression: {error}") from None
    kinds = tuple(kind.strip() for kind in str(values["fault_kinds"]).split(",") if kind.strip())
    faults = FaultConfig(
        rate=float(values["fault_rate"]),
        kinds=kinds,
        slow_seconds=float(values["slow_seconds"]),
        seed=values["seed"],
    )
    return Emulator(
        access_keys={values["access_key_id"]: values["access_key_secret"]},
        complete_after=float(values["complete_after"]),
        complete_after_polls=values["complete_after_polls"],
        fail_paths=fail_paths,
        qps_limits=not values["no_qps_limits"],
        quotas=not values["no_quotas"],
        faults=faults,
        seed=values["seed"],
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, serve until a signal, return the exit status (2 on bad usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        emulator = emulator_from_args(args)
        return run_server(emulator, args.host, args.port, allow_remote=args.allow_remote)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot serve on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
