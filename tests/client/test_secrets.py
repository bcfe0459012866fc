"""The secret and the STS token never show: repr, str, exceptions, log records, pickles."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest

from alicloud_cdn_refresh.client.cdn_client import RetryPolicy
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.credentials.chain import resolve_credentials
from alicloud_cdn_refresh.errors import ApiError, CredentialsError
from client_fakes import (
    KEY_ID,
    SECRET,
    TOKEN,
    Recorder,
    error_response,
    json_response,
    make_client,
    page_body,
)

STS = Credentials(KEY_ID, SECRET, TOKEN)


def assert_hidden(text: str) -> None:
    assert SECRET not in text
    assert TOKEN not in text


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_repr_and_str_show_endpoint_and_key_id_only(version):
    client = make_client(Recorder(), credentials=STS, signature_version=version)
    for text in (repr(client), str(client), repr(client._signer), repr(client.rate_limiter)):
        assert_hidden(text)
    assert repr(client) == f"CdnClient(endpoint='https://cdn.aliyuncs.com', access_key_id='{KEY_ID}')"


def test_client_and_credentials_refuse_pickling():
    client = make_client(Recorder(), credentials=STS)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(client)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(STS)


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_nothing_secret_in_log_records_or_errors_across_retries_and_failures(caplog, version):
    leaky = httpx.ConnectError(f"proxy said: bad token {TOKEN} for secret {SECRET}")
    recorder = Recorder(
        queue=[
            error_response("Throttling", 503, headers={"x-acs-retry-after": "100"}),
            httpx.Response(502, content=b"<html>bad gateway</html>"),
            leaky,
            leaky,
            json_response(page_body([])),
            error_response("SignatureDoesNotMatch", 400, f"string to sign mentions {KEY_ID}"),
        ]
    )
    client = make_client(
        recorder,
        credentials=STS,
        signature_version=version,
        retry=RetryPolicy(attempts=3, timeout=60, initial=0.1, jitter=False),
    )
    caplog.set_level(logging.DEBUG)
    errors = []
    for _ in range(3):
        try:
            client.describe_refresh_tasks()
        except ApiError as error:
            errors.append(error)
    assert [e.code for e in errors] == ["TransportError", "SignatureDoesNotMatch"]
    assert caplog.records, "the client logs its retries at DEBUG"
    for record in caplog.records:
        assert_hidden(record.getMessage())
    for error in errors:
        assert_hidden(str(error))
        assert_hidden(repr(error))
        assert_hidden(repr(error.args))
        assert_hidden(str(pickle.loads(pickle.dumps(error))))
    assert "***" in errors[0].message  # the leaked text was scrubbed, the rest kept


def test_credentials_errors_never_quote_the_secret(tmp_path):
    with pytest.raises(CredentialsError) as caught:
        resolve_credentials(environ={"ALICLOUD_SECRET_KEY": SECRET}, profile_path=tmp_path / "none.json")
    assert_hidden(str(caught.value))
    assert "ALICLOUD_SECRET_KEY" in str(caught.value)
    resolved = resolve_credentials(
        environ={
            "ALICLOUD_ACCESS_KEY": KEY_ID,
            "ALICLOUD_SECRET_KEY": SECRET,
            "ALICLOUD_SECURITY_TOKEN": TOKEN,
        }
    )
    assert_hidden(repr(resolved))
    assert_hidden(resolved.source)
