"""Our signatures equal the official SDK's own signature functions on random inputs.

The signers are shared by the client and the emulator, so a mistake in them would be invisible to
tests that pair the two; these tests check them against an outside reference instead.
"""

from __future__ import annotations

import string
from types import SimpleNamespace

from alibabacloud_tea_openapi.utils import Utils
from hypothesis import given, settings
from hypothesis import strategies as st

from alicloud_cdn_refresh.signatures import sha256_hex, v1_signature, v3_canonical_request, v3_signature

# Parameter names of the RPC API are ASCII words; values are anything a user can type.
names = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=20)
values = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
secrets = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
# ``Signature`` itself is never part of what is signed (the SDK is handed the params without it).
params = st.dictionaries(names.filter(lambda n: n != "Signature"), values, min_size=1, max_size=12)
methods = st.sampled_from(["GET", "POST"])


@settings(max_examples=300, deadline=None)
@given(params=params, method=methods, secret=secrets)
def test_v1_matches_sdk(params: dict[str, str], method: str, secret: str) -> None:
    assert v1_signature(secret, method, params) == Utils.get_rpcsignature(params, method, secret)


header_values = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    query=params,
    extra_headers=st.dictionaries(names.map(lambda n: "x-acs-" + n.lower()), header_values, max_size=4),
    body=st.binary(max_size=200),
    method=methods,
    secret=secrets,
)
def test_v3_matches_sdk(
    query: dict[str, str], extra_headers: dict[str, str], body: bytes, method: str, secret: str
) -> None:
    payload_hash = sha256_hex(body)
    headers = {
        "host": "cdn.aliyuncs.com",
        "x-acs-action": "DescribeRefreshTasks",
        "x-acs-version": "2018-05-10",
        "x-acs-date": "2026-11-28T10:00:00Z",
        "x-acs-signature-nonce": "abc",
        **extra_headers,
        "x-acs-content-sha256": payload_hash,
    }
    request = SimpleNamespace(pathname="/", query=query, headers=headers, method=method)
    expected = Utils.get_authorization(request, "ACS3-HMAC-SHA256", payload_hash, "id", secret)
    canonical = v3_canonical_request(method, "/", query.items(), headers, headers.keys(), payload_hash)
    assert expected.endswith("Signature=" + v3_signature(secret, canonical))
