"""Load, scaled down: 4 stacks at once on the emulator's real server, QPS limits on (scaled), no error.

The full-size run (10,000 paths) is benchmarks/bench_load.py. Here statuses move with answers
(``complete_after_polls``), so nothing waits for wall-clock completion.
"""

from __future__ import annotations

import pytest

from reliability_load import run_load


def test_four_stacks_wait_at_once_on_overlapping_paths_without_errors():
    overlap = True
    result = run_load(
        stacks=4,
        paths_per_stack=300,
        overlap=overlap,
        complete_after_polls=2,
        qps_limits=2.0,  # 10 listings/s for all stacks together: they are throttled and retry
        poll_initial=0.05,
        poll_max=0.2,
        timeout=60,
        trace_memory=False,
    )
    print("\n".join(result.lines()))
    assert result.failures == []
    assert result.waited == 4 * 300 * (2 if overlap else 1)
    # the client counted what the server answered (throttled calls included)
    assert result.calls == result.served
    assert result.errors.keys() <= {"Throttling"}
    assert result.seconds < 20


@pytest.mark.soak
def test_full_size_ten_thousand_paths():
    result = run_load(stacks=4, paths_per_stack=2_500, complete_after=10.0, trace_memory=False)
    print("\n".join(result.lines()))
    assert result.failures == []
    assert result.waited == 10_000
