"""The signers against the published vectors of API.md and the official SDK's own functions."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from alicloud_cdn_refresh.client.signers import V1Signer, V3Signer
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.signatures import (
    percent_encode,
    sha256_hex,
    v1_signature,
    v3_canonical_request,
    v3_signature,
)

V1_VECTORS = [
    (
        {
            "AccessKeyId": "testid",
            "Action": "DescribeRegions",
            "Format": "XML",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            "SignatureVersion": "1.0",
            "Timestamp": "2016-02-23T12:46:24Z",
            "Version": "2014-05-26",
        },
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    ),
    (
        {
            "AccessKeyId": "testid",
            "Action": "DescribeCdnService",
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "9b7a44b0-3be1-11e5-8c73-08002700c460",
            "SignatureVersion": "1.0",
            "Timestamp": "2015-08-06T02:19:46Z",
            "Version": "2014-11-11",
        },
        "KkkQOf0ymKf4yVZLggy6kYiwgFs=",
    ),
]


@pytest.mark.parametrize(("params", "expected"), V1_VECTORS)
def test_v1_published_vectors(params: dict[str, str], expected: str) -> None:
    assert v1_signature("testsecret", "GET", params) == expected


V3_HEADERS = {
    "host": "ecs.cn-shanghai.aliyuncs.com",
    "x-acs-action": "RunInstances",
    "x-acs-version": "2014-05-26",
    "x-acs-date": "2023-10-26T10:22:32Z",
    "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
    "x-acs-content-sha256": sha256_hex(b""),
}
V3_QUERY = [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")]


def test_v3_published_vector() -> None:
    canonical = v3_canonical_request(
        "POST", "/", V3_QUERY, V3_HEADERS, V3_HEADERS, V3_HEADERS["x-acs-content-sha256"]
    )
    assert (
        sha256_hex(canonical.encode()) == "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    )
    assert v3_signature("YourAccessKeySecret", canonical) == (
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    )


def test_v3_signer_reproduces_the_published_vector_through_httpx() -> None:
    creds = Credentials("YourAccessKeyId", "YourAccessKeySecret")
    signer = V3Signer(
        creds,
        clock=lambda: datetime(2023, 10, 26, 10, 22, 32, tzinfo=timezone.utc),
        nonce=lambda: "3156853299f313e23d1673dc12e1703d",
    )
    request = httpx.Request(
        "POST",
        "https://ecs.cn-shanghai.aliyuncs.com/",
        params=V3_QUERY,
        headers={"x-acs-action": "RunInstances", "x-acs-version": "2014-05-26"},
    )
    signed = next(signer.auth_flow(request))
    assert signed.headers["Authorization"] == (
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,"
        "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    )


def test_v1_signer_reproduces_the_published_vector_through_httpx() -> None:
    signer = V1Signer(
        Credentials("testid", "testsecret"),
        clock=lambda: datetime(2015, 8, 6, 2, 19, 46, tzinfo=timezone.utc),
        nonce=lambda: "9b7a44b0-3be1-11e5-8c73-08002700c460",
    )
    request = httpx.Request(
        "GET",
        "https://cdn.aliyuncs.com/",
        headers={"x-acs-action": "DescribeCdnService", "x-acs-version": "2014-11-11"},
    )
    signed = next(signer.auth_flow(request))
    params = dict(signed.url.params)
    assert params["Signature"] == "KkkQOf0ymKf4yVZLggy6kYiwgFs="
    assert "x-acs-action" not in signed.headers


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        (" ", "%20"),
        ("*", "%2A"),
        ("~", "~"),
        ("+", "%2B"),
        ("/", "%2F"),
        ("中", "%E4%B8%AD"),
        ("a-_.z", "a-_.z"),
    ],
)
def test_percent_encoding_is_rfc3986(raw: str, encoded: str) -> None:
    assert percent_encode(raw) == encoded
