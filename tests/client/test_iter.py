"""iter_refresh_tasks: every page, each task once, also when new tasks shift the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alicloud_cdn_refresh.client.signers import query_params
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.errors import ApiError, InvalidQuery
from client_fakes import START, Recorder, error_response, json_response, make_client, task


class NewestFirst:
    """A server listing tasks newest first; ``arrivals[n]`` tasks land just before page call ``n``."""

    def __init__(self, count: int, arrivals: dict[int, int] | None = None) -> None:
        self.tasks = [self._make(n) for n in range(count)]
        self.arrivals = arrivals or {}
        self.calls = 0
        self.next_id = count

    def _make(self, n: int) -> dict[str, str]:
        return task(
            str(1000 + n), f"http://a.example.com/{n}", created=START - timedelta(hours=2, seconds=-n)
        )

    def __call__(self, request):
        self.calls += 1
        for _ in range(self.arrivals.get(self.calls, 0)):
            self.tasks.append(self._make(self.next_id))
            self.next_id += 1
        params = dict(query_params(request))
        number, size = int(params.get("PageNumber", 1)), int(params.get("PageSize", 20))
        newest_first = list(reversed(self.tasks))
        rows = newest_first[(number - 1) * size : number * size]
        return json_response(
            {
                "Tasks": {"CDNTask": rows},
                "PageNumber": number,
                "PageSize": size,
                "TotalCount": len(self.tasks),
                "RequestId": f"R{self.calls}",
            }
        )


def paths(tasks):
    return [t.object_path for t in tasks]


def test_every_page_of_100_is_read_and_the_walk_stops_at_total_count():
    server = NewestFirst(250)
    recorder = Recorder(server)
    client = make_client(recorder, rate_limit=False)
    tasks = list(client.iter_refresh_tasks(object_type="file", domain_name="a.example.com"))
    assert len(tasks) == 250
    assert len(set(paths(tasks))) == 250
    assert [dict(query_params(r))["PageNumber"] for r in recorder.requests] == ["1", "2", "3"]
    assert all(dict(query_params(r))["PageSize"] == "100" for r in recorder.requests)
    assert all(dict(query_params(r))["DomainName"] == "a.example.com" for r in recorder.requests)


def test_exact_multiple_of_the_page_size_needs_no_extra_call():
    server = NewestFirst(200)
    client = make_client(Recorder(server), rate_limit=False)
    assert len(list(client.iter_refresh_tasks())) == 200
    assert server.calls == 2


def test_new_tasks_between_pages_are_neither_repeated_nor_lose_old_ones():
    server = NewestFirst(250, arrivals={2: 7, 3: 2})  # 7 land before page 2, 2 before page 3
    client = make_client(Recorder(server), rate_limit=False)
    tasks = list(client.iter_refresh_tasks())
    keys = [(t.task_id, t.object_path) for t in tasks]
    assert len(keys) == len(set(keys))  # each task once although pages overlapped
    originals = {f"http://a.example.com/{n}" for n in range(250)}
    assert originals <= set(paths(tasks))  # nothing older was lost to the shift
    assert server.calls == 3  # the third page was short: the end of the listing


def test_when_the_total_grows_the_walk_reads_on_past_the_first_count():
    server = NewestFirst(150, arrivals={2: 50})
    client = make_client(Recorder(server), rate_limit=False)
    tasks = list(client.iter_refresh_tasks())
    assert {f"http://a.example.com/{n}" for n in range(150)} <= set(paths(tasks))
    assert len(tasks) == len(set(paths(tasks)))
    # page 2 was full and reached the new total of 200 with unseen tasks: page 3 was read too
    assert server.calls == 3


def test_empty_listing_is_one_call():
    server = NewestFirst(0)
    client = make_client(Recorder(server), rate_limit=False)
    assert list(client.iter_refresh_tasks()) == []
    assert server.calls == 1


def test_a_server_that_repeats_the_same_page_does_not_loop_forever():
    body = {"Tasks": {"CDNTask": [task("1", "http://a/1")]}, "TotalCount": 1_000_000, "PageSize": 100}
    recorder = Recorder(lambda request: json_response(body))
    client = make_client(recorder, rate_limit=False)
    seen = []
    for item in client.iter_refresh_tasks():
        seen.append(item)
    assert len(seen) == 1
    assert len(recorder.requests) <= 3


# --- throttling: keep the pages read, resume, give up only after `patience` -------------------------


class Throttled(NewestFirst):
    """``NewestFirst`` that answers Throttling to every call numbered in ``throttle`` (1-based)."""

    def __init__(self, count: int, throttle: set[int]) -> None:
        super().__init__(count)
        self.throttle = throttle
        self.pages_asked: list[int] = []

    def __call__(self, request):
        params = dict(query_params(request))
        self.pages_asked.append(int(params.get("PageNumber", 1)))
        if len(self.pages_asked) in self.throttle:
            self.calls += 1
            return error_response("Throttling", 503, "Request was denied due to request throttling.")
        return super().__call__(request)


def test_a_throttled_walk_keeps_its_pages_and_resumes_at_the_page_that_failed():
    # page 2 is throttled 6 times in a row: more than the client's 4 attempts
    server = Throttled(250, throttle=set(range(2, 8)))
    clock = ManualClock(START)
    client = make_client(Recorder(server), clock=clock, rate_limit=False)
    tasks = list(client.iter_refresh_tasks())
    assert len(tasks) == 250
    assert len({(t.task_id, t.object_path) for t in tasks}) == 250
    assert server.pages_asked == [1, 2, 2, 2, 2, 2, 2, 2, 3]  # never page 1 again
    assert 0 < clock.slept < 60


def test_a_walk_gives_up_after_patience_with_the_last_error_and_the_pages_read_stay_yielded():
    server = Throttled(250, throttle=set(range(2, 10_000)))
    clock = ManualClock(START)
    client = make_client(Recorder(server), clock=clock, rate_limit=False)
    walk = client.iter_refresh_tasks(patience=30)
    got = []
    with pytest.raises(ApiError) as info:
        got.extend(walk)
    assert info.value.code == "Throttling"
    assert len(got) == 100  # page 1, kept by the caller
    assert 30 - 15 <= clock.monotonic() <= 30 + 60 + 1  # patience, plus the client's own retry budget
    assert set(server.pages_asked[1:]) == {2}


def test_patience_zero_gives_up_at_the_first_failed_page():
    server = Throttled(250, throttle=set(range(2, 10_000)))
    client = make_client(Recorder(server), rate_limit=False)
    with pytest.raises(ApiError):
        list(client.iter_refresh_tasks(patience=0))
    assert server.pages_asked == [1, 2, 2, 2, 2]  # the client's 4 attempts, no more


def test_a_non_retryable_error_ends_the_walk_at_once():
    server = Throttled(250, throttle=set())
    recorder = Recorder(server)
    recorder.queue.append(error_response("OperationDenied", 403, "CDN not opened."))
    client = make_client(recorder, rate_limit=False)
    with pytest.raises(ApiError) as info:
        list(client.iter_refresh_tasks())
    assert info.value.code == "OperationDenied"
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("bad", [-1, float("nan"), "5", True])
def test_bad_patience_is_refused_at_the_call(bad):
    client = make_client(Recorder(NewestFirst(1)), rate_limit=False)
    with pytest.raises(InvalidQuery) as info:
        client.iter_refresh_tasks(patience=bad)
    assert info.value.parameter == "patience"
