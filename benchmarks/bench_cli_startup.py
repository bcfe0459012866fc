"""How long ``cdn-refresh --help`` takes, what the CLI imports at start-up, and the same side by side
with an earlier revision (v0.1.0 by default).

Run: ``.venv/bin/python benchmarks/bench_cli_startup.py`` (budget: under 0.3 s; about 15 s).

The comparison checks the revision out in a temporary ``git worktree add --detach`` (removed
afterwards) and runs both trees' ``python -m alicloud_cdn_refresh.cli --help`` with ``PYTHONPATH``
set to each tree's ``provider/``, alternately (ABBA), in both bytecode modes:

- *no bytecode*: ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__`` in either tree, so each run
  compiles every module of the package (as on a machine that sets that variable); the standard
  library and click come from their installed bytecode as always;
- *cached bytecode*: the package's bytecode written once (by a warm-up run) into a temporary
  ``PYTHONPYCACHEPREFIX``, nothing written into the trees.

``--commands`` adds each command's ``--help`` (a command the revision lacks is compared with
nothing); ``--against ''`` leaves the comparison out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

RUNS = 20
COMPARE_RUNS = 25
V0_1_0 = "3f17a5f"
"""v0.1.0, the release ``cdn-refresh --help`` must be no slower than (issue 10)."""
HERE = Path(__file__).resolve().parent
OURS = HERE.parent
COMMANDS = (
    "tasks",
    "wait",
    "refresh",
    "preload",
    "preload-detail",
    "quota",
    "whoami",
    "credentials",
    "emulator",
    "demo",
)
MODES = ("no bytecode", "cached bytecode")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--against",
        default=V0_1_0,
        metavar="REV",
        help=f"git revision to compare with (default {V0_1_0}, v0.1.0; '' for no comparison)",
    )
    parser.add_argument("--runs", type=int, default=COMPARE_RUNS, help="runs of each tree per row")
    parser.add_argument("--commands", action="store_true", help="each command's --help too")
    args = parser.parse_args(argv)
    measure_ours()
    if args.against:
        compare(args.against, runs=args.runs, commands=args.commands)
    return 0


def measure_ours() -> None:
    """The lines this benchmark always printed: this environment's ``cdn-refresh --help`` against
    the 300 ms budget, and the heavy modules ``import alicloud_cdn_refresh.cli`` loads."""
    script = os.path.join(os.path.dirname(sys.executable), "cdn-refresh")
    command = (
        [script, "--help"]
        if os.path.exists(script)
        else [sys.executable, "-m", "alicloud_cdn_refresh.cli", "--help"]
    )
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        runs.append(time.perf_counter() - started)
    shown = " ".join(os.path.basename(part) for part in command)
    print(
        f"{shown}: median {statistics.median(runs) * 1000:.0f} ms, "
        f"min {min(runs) * 1000:.0f} ms, max {max(runs) * 1000:.0f} ms over {RUNS} runs (budget 300 ms)"
    )
    code = "import sys, alicloud_cdn_refresh.cli; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    heavy = [name for name in ("pulumi", "grpc", "httpx", "rich") if f"'{name}'" in loaded]
    print(f"heavy modules imported by 'import alicloud_cdn_refresh.cli': {heavy or 'none'}")


def compare(revision: str, *, runs: int, commands: bool) -> None:
    """Both trees' ``--help`` side by side, in both bytecode modes."""
    try:
        short = _git("rev-parse", "--short", f"{revision}^{{commit}}").strip()
        full = _git("rev-parse", f"{revision}^{{commit}}")
        named = "v0.1.0" if full == _git("rev-parse", f"{V0_1_0}^{{commit}}") else revision
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"\nno comparison: {revision!r} is not a revision of a git checkout here ({error})")
        return
    shown = short if named == short else f"{short} ({named})"
    stale = sorted((OURS / "provider").rglob("__pycache__"))
    if stale:
        print(
            f"\nnote: {len(stale)} __pycache__ folder(s) under {OURS / 'provider'}: in the no-bytecode "
            "rows this tree reads those modules' bytecode instead of compiling them"
        )
    rows = [("--help", ["--help"])]
    if commands:
        rows += [(f"{name} --help", [name, "--help"]) for name in COMMANDS]
    with _worktree(revision) as theirs, tempfile.TemporaryDirectory(prefix="cdn-refresh-pyc-") as cache:
        known = _commands_of(theirs) if commands else set()
        trees = {short: theirs, "this tree": OURS}
        print(
            f"\n'python -m alicloud_cdn_refresh.cli ...' side by side, {runs} runs of each tree per row, "
            f"alternating; {shown} against this tree ({OURS}); "
            f"Python {sys.version.split()[0]} ({sys.executable})"
        )
        header = (
            f"{'bytecode':<16} {'command':<22} {short + ' median':>15} {'min':>8}   "
            f"{'this tree median':>16} {'min':>8}   {'median change':>18}"
        )
        print(header)
        print("-" * len(header))
        slower = []
        for mode in MODES:
            for label, argv in rows:
                names = [name for name in trees if name == "this tree" or _has(argv, known)]
                times = _measure({name: trees[name] for name in names}, argv, mode, cache, runs)
                line, change = _row(mode, label, short, times)
                print(line)
                if change is not None and change > 0:
                    slower.append(f"{label} ({mode})")
        print(
            f"this tree is slower than {short} (median) in: {', '.join(slower)}"
            if slower
            else f"this tree is no slower than {short} (median) in any row"
        )


def _row(mode: str, label: str, short: str, times: dict[str, list[float]]) -> tuple[str, float | None]:
    ours = times["this tree"]
    ours_median, ours_min = statistics.median(ours) * 1000, min(ours) * 1000
    theirs = times.get(short)
    if theirs is None:
        left = f"{'-':>15} {'-':>8}"
        change_text, change = f"{'(no such command)':>18}", None
    else:
        theirs_median, theirs_min = statistics.median(theirs) * 1000, min(theirs) * 1000
        left = f"{theirs_median:>12.1f} ms {theirs_min:>5.1f} ms"
        change = ours_median - theirs_median
        change_text = f"{change:>+7.1f} ms ({change / theirs_median:>+6.1%})"
    line = f"{mode:<16} {label:<22} {left}   {ours_median:>13.1f} ms {ours_min:>5.1f} ms   {change_text:>18}"
    return line, change


def _measure(
    trees: dict[str, Path], argv: list[str], mode: str, cache: str, runs: int
) -> dict[str, list[float]]:
    """``runs`` timings of each tree, alternating (ABBA, so neither always goes first)."""
    envs = {name: _environment(tree, mode, cache) for name, tree in trees.items()}
    command = [sys.executable, "-m", "alicloud_cdn_refresh.cli", *argv]
    for name in trees:  # warm the file cache (and, with bytecode, write it)
        _run(command, envs[name])
    times: dict[str, list[float]] = {name: [] for name in trees}
    order = list(trees)
    for index in range(runs):
        for name in order if index % 2 == 0 else reversed(order):
            times[name].append(_run(command, envs[name]))
    return times


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=tempfile.gettempdir(), capture_output=True, check=True)
    return time.perf_counter() - started


def _environment(tree: Path, mode: str, cache: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    env["PYTHONPATH"] = str(tree / "provider")
    if mode == "no bytecode":
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _has(argv: list[str], known: set[str]) -> bool:
    return argv[0] == "--help" or argv[0] in known


def _commands_of(tree: Path) -> set[str]:
    code = "from alicloud_cdn_refresh.cli import cli; print(' '.join(cli.list_commands(None)))"
    env = _environment(tree, "no bytecode", "")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@contextmanager
def _worktree(revision: str) -> Iterator[Path]:
    """A detached checkout of ``revision`` in a temporary folder, removed (and unregistered) after."""
    parent = Path(tempfile.mkdtemp(prefix="cdn-refresh-bench-"))
    path = parent / "tree"
    _git("worktree", "add", "--detach", "--quiet", str(path), revision)
    try:
        yield path
    finally:
        try:
            _git("worktree", "remove", "--force", str(path))
        finally:
            shutil.rmtree(parent, ignore_errors=True)
            _git("worktree", "prune")


def _git(*args: str) -> str:
    result = subprocess.run(["git", "-C", str(OURS), *args], capture_output=True, text=True, check=True)
    return result.stdout


if __name__ == "__main__":
    sys.exit(main())
