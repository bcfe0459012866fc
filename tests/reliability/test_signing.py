"""Signed requests end to end (client -> signer -> wire) checked with the official SDK's functions.

tests/core/test_signing_against_sdk.py checks our signature functions on ASCII parameter names; here the
whole request path is checked on random input: what the CdnClient actually sends (query and form,
unicode paths, STS token) and what V1Signer/V3Signer make of requests with non-ASCII parameter names,
recomputed from the wire by ``Utils.get_rpcsignature`` / ``Utils.get_authorization``.
"""

from __future__ import annotations

import contextlib
import string
from types import SimpleNamespace

import httpx
from alibabacloud_tea_openapi.utils import Utils
from hypothesis import given, settings
from hypothesis import strategies as st

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.signers import make_signer, query_params, request_params
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.signatures import sha256_hex, v1_signature
from waiter_helpers import START

text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
secrets = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
tokens = st.one_of(
    st.none(), st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)
)
SIGNED = ("host", "content-type")
UNRESERVED = string.ascii_letters + string.digits + "-_.~"


def _check_v1(request: httpx.Request, secret: str) -> None:
    params = dict(request_params(request))
    signature = params.pop("Signature")
    assert signature == Utils.get_rpcsignature(params, request.method, secret)


def _check_v3(request: httpx.Request, key_id: str, secret: str) -> None:
    payload_hash = request.headers["x-acs-content-sha256"]
    assert payload_hash == sha256_hex(request.content)
    headers = {
        k.lower(): v
        for k, v in request.headers.items()
        if k.lower().startswith("x-acs-") or k.lower() in SIGNED
    }
    headers.setdefault("host", request.url.netloc.decode("ascii"))
    tea = SimpleNamespace(
        pathname=request.url.path, query=dict(query_params(request)), headers=headers, method=request.method
    )
    expected = Utils.get_authorization(tea, "ACS3-HMAC-SHA256", payload_hash, key_id, secret)
    assert request.headers["authorization"] == expected


def _client(version: str, secret: str, token: str | None, sent: list[httpx.Request]) -> CdnClient:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(
            200,
            json={
                "RequestId": "R",
                "RefreshTaskId": "1",
                "Tasks": {"CDNTask": []},
                "PageNumber": 1,
                "PageSize": 20,
                "TotalCount": 0,
            },
        )

    return CdnClient(
        endpoint="https://cdn.aliyuncs.com",
        credentials=Credentials("key-id", secret, token),
        transport=httpx.MockTransport(handler),
        signature_version=version,
        clock=ManualClock(START),
        rate_limit=False,
    )


@settings(max_examples=150, deadline=None)
@given(
    version=st.sampled_from(["v1", "v3"]),
    secret=secrets,
    token=tokens,
    path=text,
    domain=text,
    paths=st.lists(text.map(lambda rest: f"http://www.example.com/{rest}"), min_size=1, max_size=5),
)
def test_what_the_client_sends_verifies_with_the_sdk(version, secret, token, path, domain, paths):
    sent: list[httpx.Request] = []
    with _client(version, secret, token, sent) as client:
        client.describe_refresh_tasks(
            object_path=path.strip() or "x", domain_name=domain.strip() or "d", object_type="file"
        )
        with contextlib.suppress(ValueError):  # a path the client refuses: nothing sent
            client.refresh_object_caches(paths)
    assert sent
    for request in sent:
        if version == "v1":
            _check_v1(request, secret)
            assert ("SecurityToken" in dict(request_params(request))) == (token is not None)
        else:
            _check_v3(request, "key-id", secret)
            assert ("x-acs-security-token" in request.headers) == (token is not None)


@settings(max_examples=150, deadline=None)
@given(
    version=st.sampled_from(["v1", "v3"]),
    secret=secrets,
    query=st.dictionaries(text, st.text(max_size=30), min_size=1, max_size=6),
    form=st.dictionaries(text, st.text(max_size=30), max_size=4),
)
def test_signers_with_odd_parameter_names_verify_with_the_sdk(version, secret, query, form):
    """Names that percent-encoding leaves alone (see the pinned differences for the others)."""
    query = {"Q" + "".join(c for c in k if c in UNRESERVED): v for k, v in query.items()}
    form = {"F" + "".join(c for c in k if c in UNRESERVED): v for k, v in form.items()}  # not a query name
    query.pop("Signature", None)
    signer = make_signer(Credentials("key-id", secret), version, clock=lambda: START, nonce=lambda: "n-1")
    request = httpx.Request(
        "POST",
        "https://cdn.aliyuncs.com/",
        params=query,
        headers={"x-acs-action": "DescribeRefreshTasks", "x-acs-version": "2018-05-10"},
        data=form or None,
    )
    signed = next(signer.sync_auth_flow(request))
    if version == "v1":
        _check_v1(signed, secret)
    else:
        _check_v3(signed, "key-id", secret)


def test_pinned_difference_the_sdk_v3_does_not_encode_parameter_names():
    """The ACS3 spec percent-encodes names and values; the SDK's V3 encodes values only. Its own
    requests only use ASCII-word names, where both agree; we follow the spec (and the emulator,
    which verifies by the same spec, accepts what we send). Should the SDK ever change, this fails."""
    signer = make_signer(Credentials("key-id", "s"), "v3", clock=lambda: START, nonce=lambda: "n-1")
    request = httpx.Request("POST", "https://cdn.aliyuncs.com/", params={"a:b": "1", "Plain": "2"})
    signed = next(signer.sync_auth_flow(request))
    payload_hash = signed.headers["x-acs-content-sha256"]
    headers = {
        k.lower(): v for k, v in signed.headers.items() if k.lower().startswith("x-acs-") or k == "host"
    }
    tea = SimpleNamespace(pathname="/", query={"a:b": "1", "Plain": "2"}, headers=headers, method="POST")
    sdk = Utils.get_authorization(tea, "ACS3-HMAC-SHA256", payload_hash, "key-id", "s")
    assert sdk != signed.headers["authorization"]
    tea.query = {"a%3Ab": "1", "Plain": "2"}  # the SDK handed pre-encoded names agrees with us
    sdk = Utils.get_authorization(tea, "ACS3-HMAC-SHA256", payload_hash, "key-id", "s")
    assert sdk == signed.headers["authorization"]


def test_pinned_difference_v1_sorts_encoded_names_the_sdk_raw_ones():
    """For names percent-encoding changes ('[' -> '%5B'), V1 order differs: we sort the encoded names,
    the SDK's get_rpcsignature the raw ones. Every name the API has is an ASCII word, where both agree."""
    signer = make_signer(Credentials("key-id", "s"), "v1", clock=lambda: START, nonce=lambda: "n-1")
    request = httpx.Request("POST", "https://cdn.aliyuncs.com/", params={"[": "1"})
    signed = next(signer.sync_auth_flow(request))
    params = dict(request_params(signed))
    signature = params.pop("Signature")
    assert signature != Utils.get_rpcsignature(params, "POST", "s")
    params.pop("[")
    assert v1_signature("s", "POST", params) == Utils.get_rpcsignature(params, "POST", "s")
