"""The limits table and the error catalogue are consistent data: every row names things that exist."""

from __future__ import annotations

import pickle

import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.error_codes import (
    API_ERRORS,
    REFUSED_CODES,
    TRANSIENT_CODES,
    is_retryable,
    is_retryable_submit,
)
from alicloud_cdn_refresh.errors import AcceptedBatch, ApiError, InsufficientQuota, PartialSubmit
from alicloud_cdn_refresh.models import QUOTA_FIELDS, RefreshObjectType, RefreshQuota

A = products.Action
ACTIONS = {v for k, v in vars(A).items() if k.isupper()}


def test_every_row_names_a_known_action_type_quota_and_error():
    table = limits.CDN_LIMITS
    for (action, kind), row in table.submits.items():
        assert (row.action, row.object_type) == (action, kind)
        assert action in products.SUBMIT_ACTIONS
        assert row.quota is None or row.quota in table.daily_quotas
        assert row.too_many_code in API_ERRORS
    assert set(table.qps) <= ACTIONS
    assert set(table.domains_per_call) <= products.SUBMIT_ACTIONS
    assert set(table.daily_quotas) == set(QUOTA_FIELDS)
    assert products.SUBMIT_ACTIONS <= ACTIONS


def test_every_refresh_type_has_a_row_and_the_numbers_of_the_reference():
    table = limits.CDN_LIMITS
    refresh = A.REFRESH_OBJECT_CACHES
    assert set(table.types_of(refresh)) == {member.value for member in RefreshObjectType}
    assert table.submit(refresh, "File").per_call == 1_000
    assert table.submit(refresh, "Directory").per_call == 100
    assert table.submit(refresh, "Regex").per_call == 1
    assert table.submit(refresh, "IgnoreParams").quota == "ignore_params"
    assert table.submit(refresh, "ExQuery") == limits.SubmitLimit(
        refresh, "ExQuery", 1_000, "ignore_params", 10_000, 2_000
    )
    assert table.submit(refresh, "File").per_domain_per_minute == 10_000
    assert table.submit(refresh, "File").merged_per_task_id == 2_000
    assert table.submit(A.PUSH_OBJECT_CACHE, "preload").merged_per_task_id == 500
    assert table.submit(A.PUSH_OBJECT_CACHE, "preload").too_many_code == "InvalidObjectPath.Size.Malformed"
    assert table.domains_per_call[refresh] == 10
    assert dict(table.daily_quotas) == {
        "url": 10_000,
        "dir": 100,
        "regex": 20,
        "preload": 1_000,
        "block": 100,
        "ignore_params": 100,
        "preload_edge": 20,
    }


def test_the_old_names_read_the_table():
    table = limits.CDN_LIMITS
    assert table.submit(A.REFRESH_OBJECT_CACHES, "File").per_call == limits.MAX_REFRESH_PATHS_PER_CALL
    assert table.submit(A.PUSH_OBJECT_CACHE, "preload").per_call == limits.MAX_PRELOAD_PATHS_PER_CALL
    assert limits.MAX_URLS_PER_TASK_ID == 2_000
    assert limits.MAX_PRELOAD_URLS_PER_TASK_ID == 500
    assert limits.QPS_LIMITS is table.qps
    assert limits.DAILY_QUOTAS is table.daily_quotas
    assert limits.limits_for("cdn") is table
    with pytest.raises(ValueError, match="unknown product"):
        limits.limits_for("nope")


@pytest.mark.parametrize(
    ("code", "status", "read", "submit"),
    [
        ("Throttling", 503, True, True),
        ("Throttling.User", 400, True, True),
        ("TooManyRequests", 429, True, True),
        ("TooMany.Refresh", 400, True, True),
        ("QuotaPerMinuteExceeded.Refresh", 400, True, True),
        ("PreloadQueueFull", 403, True, True),
        ("ServiceBusy", 403, True, True),
        ("ServiceUnavailable", 503, True, True),
        ("HTTP503", 503, True, True),
        ("HTTP429", 429, True, True),
        ("InternalError", 500, True, False),
        ("HTTP502", 502, True, False),
        ("HTTP504", 504, True, False),
        ("MalformedResponse", 200, True, False),
        ("QuotaExceeded.Refresh", 400, False, False),
        ("SingleRequest.OverLimit", 400, False, False),
        ("InvalidExtensiveDomain.ValueNotSupported", 400, False, False),
        ("InvalidDomain.NotFound", 404, False, False),
    ],
)
def test_retry_classification(code, status, read, submit):
    assert is_retryable(code, status) is read
    assert is_retryable_submit(code, status, request_sent=None) is submit
    error = ApiError(code, "m", http_status=status)
    assert (error.retryable, error.retryable_submit) == (read, submit)


def test_a_transport_error_is_resent_as_a_submit_only_when_nothing_was_sent():
    assert is_retryable_submit("TransportError", 0, request_sent=False)
    assert not is_retryable_submit("TransportError", 0, request_sent=True)
    assert not is_retryable_submit("TransportError", 0, request_sent=None)
    assert is_retryable("TransportError", 0)


def test_refused_and_transient_codes_are_catalogued_or_the_clients_own():
    own = {"TransportError", "MalformedResponse"}
    assert set(API_ERRORS) >= REFUSED_CODES
    assert set(API_ERRORS) | own >= TRANSIENT_CODES
    assert not REFUSED_CODES & TRANSIENT_CODES


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("SingleRequest.OverLimit", 400),
        ("InvalidObjectType.Malformed", 400),
        ("InvalidExtensiveDomain.ValueNotSupported", 400),
        ("IllegalOperation", 403),
        ("InvalidTime", 400),
        ("DomainNameOverLimit", 400),
        ("TooMany.Refresh", 400),
        ("TooManyRequests", 429),
        ("PreloadQueueFull", 403),
        ("QuotaExceeded.Refresh", 400),
        ("QuotaPerMinuteExceeded.Refresh", 400),
    ],
)
def test_issue_14_codes_are_in_the_catalogue(code, status):
    assert API_ERRORS[code].http_status == status
    assert API_ERRORS[code].message
    assert "InvalidTime" not in code or "3 days" in API_ERRORS[code].message


def test_the_new_errors_pickle_whole():
    cause = ApiError("QuotaExceeded.Refresh", "spent", request_id="R", http_status=400, action="X")
    error = PartialSubmit(
        "RefreshObjectCaches",
        [(["1", "2"], ["http://a/1", "http://a/2"]), AcceptedBatch(("3",), ("http://b/1",))],
        ["http://c/1"],
        cause=cause,
        uncertain_paths=["http://d/1"],
    )
    again = pickle.loads(pickle.dumps(error))
    assert again.accepted == error.accepted
    assert tuple(again.accepted[0]) == (("1", "2"), ("http://a/1", "http://a/2"))
    assert again.task_ids == ("1", "2", "3")
    assert again.accepted_paths == ("http://a/1", "http://a/2", "http://b/1")
    assert (again.rejected_paths, again.uncertain_paths) == (("http://c/1",), ("http://d/1",))
    assert (again.cause.code, again.cause.request_id, again.cause.action) == (
        "QuotaExceeded.Refresh",
        "R",
        "X",
    )
    assert again.action == "RefreshObjectCaches"
    assert str(again) == str(error)
    assert "3 of 5 path(s) accepted under 3 task id(s) (1, 2, 3)" in str(error)
    sent = pickle.loads(pickle.dumps(ApiError("TransportError", "t", request_sent=True)))
    assert sent.request_sent is True
    short = pickle.loads(pickle.dumps(InsufficientQuota("url", needed=5, remain=2, quota=10)))
    assert (short.kind, short.needed, short.remain, short.quota) == ("url", 5, 2, 10)


def test_quota_kinds_read_attributes_and_extra():
    quota = RefreshQuota(
        10, 9, 8, 7, 6, 5, 4, 3, 2, 1, extra={"IgnoreParamsQuota": 100, "IgnoreParamsRemain": 7}
    )
    assert (quota.quota_of("url"), quota.remain_of("block")) == (10, 1)
    assert (quota.ignore_params_quota, quota.ignore_params_remain) == (100, 7)
    assert quota.remain_of("ignore_params") == 7
    assert quota.preload_edge_quota is None
    assert quota.remain_of("preload_edge") is None
    with pytest.raises(ValueError, match="unknown quota kind"):
        quota.quota_of("tags")
