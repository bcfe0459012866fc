"""Eight ``iter_refresh_tasks`` walks of one account at once, against the emulator's real server.

The ``tasks --all-pages`` situation of issue 17 with the documented limits (DescribeRefreshTasks
5/s per account, each client pacing itself at 5/s), scaled down to three pages a walk so that it
takes about five seconds: eight walkers offer eight times what the account may call, are throttled
in turn, and must all finish with every page. (With ``patience=0``, the walk of before, one to three
of them usually give up with ``Throttling``.)
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.products import Action

WALKERS = 8
TASKS = 300  # three pages of 100


def test_eight_parallel_walks_all_finish_with_every_page():
    emulator = Emulator(quotas=False, seed=3)
    now = emulator.clock.now()
    for n in range(TASKS):
        emulator.seed_task(f"http://w{n % 7}.example.com/{n}.js", created=now - timedelta(seconds=n))
    results: list[int] = [0] * WALKERS
    errors: list[BaseException] = []

    with emulator.serve() as server:

        def walk(index: int) -> None:
            client = CdnClient(endpoint=server.url, credentials=Credentials("testid", "testsecret"))
            try:
                results[index] = len({(t.task_id, t.object_path) for t in client.iter_refresh_tasks()})
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                client.close()

        started = time.monotonic()
        threads = [threading.Thread(target=walk, args=(i,)) for i in range(WALKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started

    assert not errors, errors
    assert results == [TASKS] * WALKERS
    assert emulator.errors_returned["Throttling"] > 0  # they did contend
    assert emulator.requests_served[Action.DESCRIBE_REFRESH_TASKS] >= WALKERS * 3
    assert elapsed < 60
