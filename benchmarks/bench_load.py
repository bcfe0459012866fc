"""Load: 10,000 paths, several stacks waiting at once on the emulator's real server (QPS limits on).

Each stack is a thread with its own CdnClient (signing, client-side rate limiting, retries) that
submits its 2,500 paths (RefreshObjectCaches, 1,000 a call) and then waits for them with
``wait_for_refresh`` (``since`` = the start); ``--overlap`` makes each stack also wait on the next
stack's paths. One account for all stacks, so the server's per-account QPS limits throttle their
combined rate (retried). Tasks complete ``--complete-after`` seconds after submission (real clock).
Printed: wall time (submit, each wait), calls per action, server answers and error answers,
tracemalloc peak and max RSS of this process (server threads included), failures (none expected).

Run: ``.venv/bin/python benchmarks/bench_load.py [--stacks 4] [--paths 2500] [--overlap]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "helpers"))

from reliability_load import run_load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=4)
    parser.add_argument("--paths", type=int, default=2_500, help="paths per stack")
    parser.add_argument(
        "--overlap", action="store_true", help="each stack also waits on the next one's paths"
    )
    parser.add_argument("--complete-after", type=float, default=10.0)
    parser.add_argument("--no-tracemalloc", action="store_true", help="faster; no traced peak")
    args = parser.parse_args()
    result = run_load(
        stacks=args.stacks,
        paths_per_stack=args.paths,
        overlap=args.overlap,
        complete_after=args.complete_after,
        trace_memory=not args.no_tracemalloc,
    )
    print("\n".join(result.lines()))
    return 1 if result.failures or result.waited == 0 else 0


if __name__ == "__main__":
    raise SystemExit(main())
