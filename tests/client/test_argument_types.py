"""Issue 16, "The Python API refuses wrong types at the call": each wrong argument raises
``InvalidQuery`` (a ``ValueError``) or ``TypeError`` naming it and what it accepts, before any
request, never an ``AttributeError`` from inside; endpoints that cannot be the API are refused up
front; answers over 32 MiB are refused while they stream in."""

from __future__ import annotations

import json

import httpx
import pytest

from alicloud_cdn_refresh import CdnClient, Credentials, wait_for_refresh
from alicloud_cdn_refresh.client.cdn_client import MAX_RESPONSE_BYTES
from alicloud_cdn_refresh.errors import ApiError, InvalidQuery, PartialSubmit
from client_fakes import Recorder, json_response, make_client

CREDENTIALS = Credentials("testid", "testsecret")


def never(request: httpx.Request) -> httpx.Response:
    pytest.fail(f"no request may be sent: {request.url}")


@pytest.fixture
def guarded():
    recorder = Recorder(never)
    return make_client(recorder)


def refused(call, *, names: str, accepts: str, kinds=(InvalidQuery, TypeError)):
    with pytest.raises(kinds) as caught:
        call()
    text = str(caught.value)
    assert names in text, text
    assert accepts in text, text
    return caught.value


@pytest.mark.parametrize(
    ("kwargs", "names", "accepts"),
    [
        ({"endpoint": 123}, "endpoint", "URL string"),
        ({"endpoint": ""}, "endpoint", "empty"),
        ({"endpoint": "   "}, "endpoint", "empty"),
        ({"endpoint": "http://127.0.0.1:9000/cdn"}, "endpoint", "has a path"),
        ({"endpoint": "http://127.0.0.1:99999"}, "endpoint", "1..65535"),
        ({"endpoint": "https://cdn.aliyuncs.com:http"}, "endpoint", "1..65535"),
        ({"endpoint": "http://"}, "endpoint", "http(s) URL"),
        ({"endpoint": "ftp://cdn.aliyuncs.com"}, "endpoint", "http(s) URL"),
        ({"endpoint": "http://cdn .aliyuncs.com"}, "endpoint", "http(s) URL"),
        ({"credentials": ("a", "b")}, "credentials", "Credentials value or a provider"),
        ({"signature_version": None}, "signature_version", "'v3' or 'v1'"),
        ({"signature_version": "v2"}, "signature_version", "v1, v3"),
        ({"timeout": "5"}, "timeout", "number of seconds"),
        ({"timeout": 0}, "timeout", "> 0"),
        ({"timeout": float("nan")}, "timeout", "> 0"),
        ({"timeout": True}, "timeout", "number of seconds"),
    ],
)
def test_client_arguments_are_checked_at_the_call(kwargs, names, accepts):
    settings = {"credentials": CREDENTIALS, "transport": Recorder(never).transport(), **kwargs}
    refused(lambda: CdnClient(**settings), names=names, accepts=accepts)


def test_an_empty_endpoint_never_means_the_live_api():
    with pytest.raises(InvalidQuery, match="empty endpoint from the endpoint argument"):
        CdnClient(endpoint="", credentials=CREDENTIALS)


@pytest.mark.parametrize("value", ["http://127.0.0.1:9000/api", "http://127.0.0.1:99999", "mailto:x"])
def test_an_endpoint_from_the_environment_is_checked_alike(monkeypatch, value):
    monkeypatch.setenv("ALIBABA_CLOUD_CDN_ENDPOINT", value)
    error = refused(lambda: CdnClient(credentials=CREDENTIALS), names="endpoint", accepts="")
    assert "environment ALIBABA_CLOUD_CDN_ENDPOINT" in str(error)


@pytest.mark.parametrize(
    ("call", "names", "accepts"),
    [
        (lambda c: c.refresh_object_caches(b"http://a.example.com/x"), "ObjectPath", "got bytes"),
        (lambda c: c.refresh_object_caches(123), "ObjectPath", "list of paths, got int"),
        (lambda c: c.refresh_object_caches(["http://a.example.com/x"], force="no"), "force", "True or False"),
        (lambda c: c.refresh_object_caches(["http://a.example.com/x"], "File", 1), "force", "True or False"),
        (lambda c: c.push_object_cache(["http://a.example.com/x"], l2_preload="yes"), "l2_preload", "True"),
        (lambda c: c.refresh_object_cache_by_cache_tag("a.example.com", ["t"], force="x"), "force", "True"),
        (lambda c: c.refresh_object_caches(["http://a.example.com/\udcff"]), "ObjectPath", "not UTF-8"),
        (lambda c: c.describe_refresh_task_by_id(1.5), "TaskId", "list of task ids, got float"),
        (
            lambda c: c.refresh_object_caches(
                ["http://a.example.com/d/", "http://a.example.com/e"], "Directory"
            ),
            "ObjectPath",
            "path #2 ('http://a.example.com/e') is a directory without its trailing '/'",
        ),
        (
            lambda c: c.push_object_cache(["http://a.example.com/x"], with_header={"Accept": [1]}),
            "WithHeader",
            "string or list of strings",
        ),
    ],
)
def test_submit_arguments_are_checked_before_any_request(guarded, call, names, accepts):
    refused(lambda: call(guarded), names=names, accepts=accepts)


@pytest.mark.parametrize(
    ("kwargs", "names", "accepts"),
    [
        ({"task_ids": 123}, "task_ids", "list of task ids"),
        ({"task_ids": ["1"], "client": "x"}, "client", "CdnClient"),
        ({"task_ids": ["1"], "clock": object()}, "clock", "Clock"),
        ({"object_paths": 5}, "object_paths", "list of paths, got int"),
        ({"object_paths": b"http://a/x"}, "object_paths", "bytes"),
    ],
)
def test_wait_arguments_are_checked_at_the_call(guarded, kwargs, names, accepts):
    kwargs.setdefault("client", guarded)
    paths = kwargs.pop("object_paths", None)
    refused(lambda: wait_for_refresh(paths, **kwargs), names=names, accepts=accepts)


@pytest.mark.parametrize(
    ("args", "kwargs", "names"),
    [
        ((1, 2), {}, "access_key_id must be a str, not int"),
        (("id", b"secret"), {}, "access_key_secret must be a str, not bytes"),
        (("id", "secret", 5), {}, "security_token must be a str or None, not int"),
        (("id", "secret"), {"expiration": "2026-01-01"}, "expiration must be an aware datetime"),
    ],
)
def test_credentials_refuse_wrong_types(args, kwargs, names):
    with pytest.raises(TypeError, match=names):
        Credentials(*args, **kwargs)


def test_with_header_takes_the_reference_json_form(guarded):
    recorder = Recorder(lambda request: json_response({"PushTaskId": "9", "RequestId": "R"}))
    client = make_client(recorder)
    client.push_object_cache(["http://a.example.com/x"], with_header={"Accept-Encoding": ["gzip", "br"]})
    (form,) = [dict(httpx.QueryParams(request.content.decode())) for request in recorder.requests]
    assert json.loads(form["WithHeader"]) == {"Accept-Encoding": ["gzip", "br"]}


# -- answers over 32 MiB ---------------------------------------------------------------------------


class Endless(httpx.SyncByteStream):
    """A body that would never end: 1 MiB chunks, counted."""

    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self):
        while True:
            self.sent += 1
            yield b" " * (1024 * 1024)


def test_an_endless_answer_is_refused_after_32_mib_not_read_whole():
    stream = Endless()
    recorder = Recorder(lambda request: httpx.Response(200, stream=stream))
    client = make_client(recorder)
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_quota()
    assert caught.value.code == "ResponseTooLarge"
    assert "larger than 32 MiB" in caught.value.message
    assert stream.sent <= MAX_RESPONSE_BYTES // (1024 * 1024) + 1
    assert len(recorder.requests) == 1  # not retried: the same request gets the same answer


def test_a_declared_length_over_the_cap_is_refused_unread():
    stream = Endless()
    headers = {"content-length": str(MAX_RESPONSE_BYTES + 1)}
    client = make_client(Recorder(lambda request: httpx.Response(200, headers=headers, stream=stream)))
    with pytest.raises(ApiError, match="ResponseTooLarge"):
        client.describe_refresh_quota()
    assert stream.sent == 0


def test_an_oversized_answer_to_a_later_submit_call_may_have_been_accepted():
    answers = iter([json_response({"RefreshTaskId": "1", "RequestId": "R"})])
    stream = Endless()

    def handler(request):
        return next(answers, None) or httpx.Response(200, stream=stream)

    client = make_client(Recorder(handler), rate_limit=False)
    paths = [f"http://a.example.com/{n}" for n in range(1_500)]
    with pytest.raises(PartialSubmit) as caught:
        client.refresh_object_caches(paths)
    assert caught.value.task_ids == ("1",)
    assert len(caught.value.uncertain_paths) == 500
    assert caught.value.rejected_paths == ()


@pytest.mark.parametrize(
    "endpoint",
    ["http://user:Pa55word@127.0.0.1:9000", "ftp://user:Pa55word@host", "http://user:Pa55word@host:99999"],
)
def test_an_endpoint_with_a_password_is_refused_without_echoing_it(endpoint):
    with pytest.raises(InvalidQuery) as caught:
        CdnClient(endpoint=endpoint, credentials=CREDENTIALS)
    assert "Pa55word" not in str(caught.value)
    assert "endpoint" in str(caught.value)
