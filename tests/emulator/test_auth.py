"""The emulator's gateway checks with hand-built requests: every way a signature can be sent or wrong."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest

from alicloud_cdn_refresh import products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.emulator.auth import NonceCache
from alicloud_cdn_refresh.signatures import (
    FORM_CONTENT_TYPE,
    sha256_hex,
    v1_signature,
    v3_canonical_request,
    v3_signature,
)

NOW = datetime.now(timezone.utc).replace(microsecond=0)
STAMP = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(clock=ManualClock(NOW), qps_limits=False)


def v1_params(nonce: str = "n1", **extra: str) -> dict[str, str]:
    return {
        "Action": products.Action.DESCRIBE_REFRESH_TASKS,
        "Version": products.API_VERSION,
        "Format": "JSON",
        "AccessKeyId": "testid",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": nonce,
        "Timestamp": STAMP,
        **extra,
    }


def answer(emulator: Emulator, method: str, target: str, headers: dict[str, str], body: bytes = b"") -> dict:
    response = emulator.handle(method, target, headers, body)
    return {"status": response.status, **json.loads(response.body)}


def test_v1_get_with_query(emulator: Emulator) -> None:
    params = v1_params(ObjectPath="http://a.com/x y*~.txt")
    params["Signature"] = v1_signature("testsecret", "GET", params)
    got = answer(emulator, "GET", "/?" + urlencode(params), {"host": "cdn.aliyuncs.com"})
    assert got["status"] == 200
    assert got["TotalCount"] == 0


def test_v1_post_everything_in_the_form_body(emulator: Emulator) -> None:
    params = v1_params(ObjectPath="http://a.com/x y.txt", Action=products.Action.REFRESH_OBJECT_CACHES)
    params["Signature"] = v1_signature("testsecret", "POST", params)
    body = urlencode(params).encode()  # '+' for spaces, as form encoding does
    got = answer(emulator, "POST", "/", {"content-type": FORM_CONTENT_TYPE}, body)
    assert got["status"] == 200, got
    assert emulator.tasks()[0].object_path == "http://a.com/x y.txt"


def test_v1_wrong_method_in_signature(emulator: Emulator) -> None:
    params = v1_params()
    params["Signature"] = v1_signature("testsecret", "GET", params)
    got = answer(emulator, "POST", "/?" + urlencode(params), {})
    assert (got["status"], got["Code"]) == (400, "SignatureDoesNotMatch")


def test_v1_missing_pieces(emulator: Emulator) -> None:
    params = v1_params()
    got = answer(emulator, "GET", "/?" + urlencode(params), {})
    assert got["Code"] == "MissingParameter"
    assert "Signature" in got["Message"]
    del params["AccessKeyId"]
    got = answer(emulator, "GET", "/?" + urlencode(params), {})
    assert got["Code"] == "MissingParameter"
    assert "AccessKeyId" in got["Message"]
    params = v1_params()
    del params["SignatureNonce"]
    params["Signature"] = v1_signature("testsecret", "GET", params)
    got = answer(emulator, "GET", "/?" + urlencode(params), {})
    assert got["Code"] == "MissingParameter"
    assert "SignatureNonce" in got["Message"]


def test_v1_timestamp_malformed_and_expired(emulator: Emulator) -> None:
    params = v1_params(Timestamp="yesterday")
    params["Signature"] = v1_signature("testsecret", "GET", params)
    assert answer(emulator, "GET", "/?" + urlencode(params), {})["Code"] == "InvalidTimeStamp.Format"
    old = (NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = v1_params(nonce="n2", Timestamp=old)
    params["Signature"] = v1_signature("testsecret", "GET", params)
    assert answer(emulator, "GET", "/?" + urlencode(params), {})["Code"] == "InvalidTimeStamp.Expired"


def v3_headers(
    body: bytes = b"",
    query: list[tuple[str, str]] | None = None,
    *,
    secret: str = "testsecret",
    nonce: str = "nonce-1",
    action: str = products.Action.DESCRIBE_REFRESH_TASKS,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    headers = {
        "host": "127.0.0.1:9",
        "x-acs-action": action,
        "x-acs-version": products.API_VERSION,
        "x-acs-date": STAMP,
        "x-acs-signature-nonce": nonce,
        "x-acs-content-sha256": sha256_hex(body),
        **(extra or {}),
    }
    canonical = v3_canonical_request(
        "POST", "/", query or [], headers, headers.keys(), headers["x-acs-content-sha256"]
    )
    signed = ";".join(sorted(headers))
    signature = v3_signature(secret, canonical)
    headers["Authorization"] = (
        f"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={signed},Signature={signature}"
    )
    return headers


def test_v3_query_with_plus_for_space(emulator: Emulator) -> None:
    query = [("ObjectPath", "http://a.com/x y.txt"), ("PageSize", "5")]
    headers = v3_headers(query=query)
    got = answer(emulator, "POST", "/?ObjectPath=http%3A%2F%2Fa.com%2Fx+y.txt&PageSize=5", headers)
    assert got["status"] == 200, got
    assert got["PageSize"] == 5


def test_v3_body_hash_must_match(emulator: Emulator) -> None:
    body = b"ObjectPath=http%3A%2F%2Fa.com%2Fx"
    headers = v3_headers(
        body, action=products.Action.REFRESH_OBJECT_CACHES, extra={"content-type": FORM_CONTENT_TYPE}
    )
    got = answer(emulator, "POST", "/", headers, body + b"2")
    assert got["Code"] == "SignatureDoesNotMatch"
    assert "x-acs-content-sha256" in got["Message"]
    assert answer(emulator, "POST", "/", headers, body)["status"] == 200


def test_v3_signed_headers_come_from_the_header(emulator: Emulator) -> None:
    headers = v3_headers(extra={"x-acs-extra": "1"})
    headers["user-agent"] = "not signed, not checked"
    assert answer(emulator, "POST", "/", headers)["status"] == 200
    tampered = v3_headers(nonce="nonce-2", extra={"x-acs-extra": "1"})
    tampered["x-acs-extra"] = "2"
    assert answer(emulator, "POST", "/", tampered)["Code"] == "SignatureDoesNotMatch"


def test_v3_wrong_secret_and_malformed_authorization(emulator: Emulator) -> None:
    got = answer(emulator, "POST", "/", v3_headers(secret="wrong"))
    assert (got["status"], got["Code"]) == (400, "SignatureDoesNotMatch")
    headers = v3_headers(nonce="nonce-3")
    headers["Authorization"] = "ACS3-HMAC-SHA256 Credential=testid"
    assert answer(emulator, "POST", "/", headers)["Code"] == "IncompleteSignature"
    headers["Authorization"] = "Bearer abc"
    assert answer(emulator, "POST", "/", headers)["Code"] == "IncompleteSignature"
    headers = v3_headers(nonce="nonce-4")
    del headers["x-acs-signature-nonce"]
    assert answer(emulator, "POST", "/", headers)["Code"] == "MissingParameter"


def test_unknown_action_and_version(emulator: Emulator) -> None:
    got = answer(emulator, "POST", "/", v3_headers(action="DeleteEverything"))
    assert (got["status"], got["Code"]) == (404, "InvalidAction.NotFound")
    headers = v3_headers(nonce="nonce-5")
    headers["x-acs-version"] = "2014-11-11"
    assert answer(emulator, "POST", "/", headers)["Code"] == "InvalidVersion"
    assert answer(emulator, "POST", "/", {})["Code"] == "MissingParameter"


def test_nonce_cache_is_bounded_and_forgets_after_the_window() -> None:
    now = [0.0]
    cache = NonceCache(keep=10, max_entries=3, monotonic=lambda: now[0])
    assert cache.use("k", "a")
    assert not cache.use("k", "a")
    assert cache.use("other", "a")
    for nonce in "bcd":
        assert cache.use("k", nonce)
    assert len(cache) <= 3
    now[0] = 11
    assert cache.use("k", "d")


def test_secrets_never_appear_in_answers_or_reprs(emulator: Emulator) -> None:
    emulator.add_sts_token("STS.x", "sts-secret-value", "sts-token-value")
    texts = [repr(emulator), repr(emulator.keys)]
    for secret in ("testsecret", "wrong-secret"):
        texts.append(json.dumps(answer(emulator, "POST", "/", v3_headers(secret=secret, nonce=secret))))
    params = v1_params(nonce="n9", AccessKeyId="STS.x", SecurityToken="bad-token")
    params["Signature"] = v1_signature("sts-secret-value", "GET", params)
    texts.append(json.dumps(answer(emulator, "GET", "/?" + urlencode(params), {})))
    joined = "\n".join(texts)
    for secret in ("testsecret", "wrong-secret", "sts-secret-value", "sts-token-value", "bad-token"):
        assert secret not in joined
