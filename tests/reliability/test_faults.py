"""Faults: a seeded soak of waits through every kind of injected fault, checked against the emulator.

The CI-sized run (a few thousand requests, seconds on a ManualClock) runs by default; the larger
ones are behind the ``soak`` marker (``pytest -m soak``). benchmarks/soak_faults.py prints the counts.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from alicloud_cdn_refresh.errors import RefreshFailed, WaitTimeout
from alicloud_cdn_refresh.models import RefreshTask, TaskStatus
from reliability_soak import START, Soak, Violation, check_outcome, summary


def _assert_soak(soak: Soak, *, min_requests: int) -> None:
    faults = soak.faults()
    print(summary(soak, 0.0))
    assert soak.requests >= min_requests
    # every kind of fault happened, and the waits saw retries and every outcome
    for kind in ("500", "503", "drop", "slow(read timeout)", "malformed", "truncated", "page_shift"):
        assert faults[kind] >= 3, kind
    assert faults["throttle_burst(fail_next)"] + faults["throttle_burst(qps)"] >= 5
    assert soak.retries >= 50
    assert soak.outcomes["complete"] >= 10
    assert soak.outcomes["RefreshFailed"] >= 5
    assert soak.outcomes["WaitTimeout"] >= 5
    # faults are all retryable: no wait may end on an ApiError
    assert not [k for k in soak.outcomes if k.startswith("ApiError")], soak.outcomes
    assert soak.submit_giveups == 0


def test_ci_soak_thousands_of_requests_no_lie_no_lost_failure_no_overrun():
    soak = Soak(seed=20261128).run(200)
    _assert_soak(soak, min_requests=2500)


@pytest.mark.soak
@pytest.mark.parametrize("seed", [1, 2])
def test_long_soak(seed):
    soak = Soak(seed=seed, fault_rate=0.12).run(600)
    _assert_soak(soak, min_requests=8000)


# --- the checker itself catches each lie -------------------------------------------------------------


def _task(task_id, path, status, seconds=0):
    return RefreshTask(
        task_id=task_id,
        object_path=path,
        status=TaskStatus(status),
        process=100 if status == "Complete" else 40,
        object_type="file",
        creation_time=START + timedelta(seconds=seconds),
        description="",
    )


P, Q = "http://a.example.com/p.js", "http://a.example.com/q.js"


def _check(truth, result, **kwargs):
    kwargs = {"fail_on_failed": True, "elapsed": 10.0, "timeout": 60.0, "slack": 2.0, "label": "t"} | kwargs
    return check_outcome(truth, [P, Q], START, result, **kwargs)


def test_checker_accepts_the_truth_and_rejects_each_lie():
    done = [_task("2", P, "Complete", 5), _task("1", P, "Complete"), _task("1", Q, "Complete")]
    assert _check(done, [done[0], done[2]]) == "complete"
    # an older Complete task counted while a newer one exists
    with pytest.raises(Violation, match="newest"):
        _check(done, [done[1], done[2]])
    # Complete reported, the emulator says Refreshing
    refreshing = [_task("1", P, "Refreshing"), _task("1", Q, "Complete")]
    with pytest.raises(Violation, match="reported Complete"):
        _check(refreshing, [_task("1", P, "Complete"), refreshing[1]])
    # a failure lost: returned although Q failed, or RefreshFailed without it (keep going)
    one_failed = [_task("1", P, "Complete"), _task("1", Q, "Failed")]
    with pytest.raises(Violation, match="returned although"):
        _check(one_failed, [one_failed[0]])
    failed = [_task("1", P, "Failed"), _task("1", Q, "Failed")]
    with pytest.raises(Violation, match="failed paths"):
        _check(failed, RefreshFailed([failed[0]]), fail_on_failed=False)
    assert _check(failed, RefreshFailed([failed[0]])) == "RefreshFailed"
    # a timeout past its deadline bound, or before the deadline
    with pytest.raises(Violation, match="past the deadline"):
        _check(refreshing, WaitTimeout([], timeout=60.0), elapsed=200.0)
    with pytest.raises(Violation, match="before its"):
        _check(refreshing, WaitTimeout([], timeout=60.0), elapsed=30.0)
