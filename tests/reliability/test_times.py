"""Times at the edges of datetime: a clear InvalidQuery naming the parameter, never OverflowError."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.errors import InvalidQuery

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),  # before year 1 in UTC: OverflowError
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),  # after 9999 in UTC
        datetime(999, 1, 1, tzinfo=timezone.utc),  # '999-01-01T...' is not the API's form
    ],
)
@pytest.mark.parametrize("parameter", ["StartTime", "EndTime"])
def test_out_of_range_datetimes_are_invalid_query(moment, parameter):
    calls = []
    client = CdnClient(
        credentials=Credentials("testid", "testsecret"),
        transport=httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(500)),
    )
    times = {"start_time": NOW - timedelta(hours=1), "end_time": NOW}
    times["start_time" if parameter == "StartTime" else "end_time"] = moment
    with pytest.raises(InvalidQuery) as info:
        client.describe_refresh_tasks(**times)
    assert info.value.parameter == parameter
    assert "1000..9999" in str(info.value)
    assert calls == []
