"""How long ``cdn-refresh --help`` takes, and what the CLI imports at start-up.

Run: ``.venv/bin/python benchmarks/bench_cli_startup.py`` (budget: under 0.3 s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

RUNS = 20


def main() -> None:
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


if __name__ == "__main__":
    main()
