"""Fault soak: many waits through the emulator's fault injection, every outcome checked; prints counts.

In-process on a ManualClock (emulator with real QPS limits, the real client with a 2 s read timeout
and 4 attempts, ``wait_for_refresh``). Faults: the emulator's 500/503/drop/slow (past the read
timeout)/malformed/truncated at ``--rate``, throttling bursts (``fail_next`` or a full QPS window),
pages shifting under listings. Every wait is checked against ``emulator.tasks()``
(tests/helpers/reliability_soak.py: no false Complete, no lost Failed, deadline kept, only CdnErrors).

Run: ``.venv/bin/python benchmarks/soak_faults.py [--seeds 1 2 3] [--waits 1500] [--rate 0.12]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "helpers"))

from reliability_soak import Soak, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--waits", type=int, default=1500, help="waits per seed")
    parser.add_argument("--rate", type=float, default=0.12, help="emulator fault rate per request")
    args = parser.parse_args()
    faults: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    requests = retries = logical = attempts = waits = 0
    overrun = 0.0
    started = time.perf_counter()
    for seed in args.seeds:
        t0 = time.perf_counter()
        soak = Soak(seed=seed, fault_rate=args.rate).run(args.waits)  # raises Violation on a lie
        print(summary(soak, time.perf_counter() - t0), end="\n\n", flush=True)
        faults.update(soak.faults())
        outcomes.update(soak.outcomes)
        requests += soak.requests
        retries += soak.retries
        logical += sum(soak.logical.values())
        attempts += soak.attempts
        waits += soak.waits
        overrun = max(overrun, soak.max_overrun)
    print(
        f"TOTAL over seeds {args.seeds}: {waits} waits, {requests} requests, "
        f"{time.perf_counter() - started:.1f}s wall"
    )
    print(
        f"faults injected: {sum(faults.values())} " + ", ".join(f"{k}={v}" for k, v in sorted(faults.items()))
    )
    print(f"wait calls: logical {logical}, HTTP attempts {attempts}, retries {retries}")
    print(
        "outcomes: "
        + ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items()))
        + f" (timeouts at most {overrun:.1f}s past the deadline)"
    )
    print("violations: 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
