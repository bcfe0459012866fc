"""The secret and the STS token never show: repr, str, exceptions, log records, pickles."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest

from alicloud_cdn_refresh.client.cdn_client import RetryPolicy
from alicloud_cdn_refresh.clock import ManualClock
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


# --- temporary credentials: STS, OIDC, ECS metadata and credentials URIs ------------------------

OIDC_TOKEN = "oidc-token-never-shown-55e1"
MINTED_SECRET = "minted-secret-never-shown-0a"
MINTED_TOKEN = "minted-token-never-shown-0b"
ROLE = "acs:ram::123456789012:role/x"


def _hidden_everywhere(error: BaseException, *extra: str) -> None:
    for text in (
        str(error),
        repr(error),
        repr(error.args),
        repr(vars(error)),
        str(pickle.loads(pickle.dumps(error))),
    ):
        assert_hidden(text)
        for value in (OIDC_TOKEN, MINTED_SECRET, MINTED_TOKEN, *extra):
            assert value not in text


def _answer(kind: str, known: str):
    if kind == "echo":  # STS echoing what it was sent (a buggy proxy or gateway): scrubbed
        return error_response("NoPermission", 403, f"denied for {known}")
    if kind == "partial":  # a 200 that lacks a field but holds the rest: never quoted
        return json_response({"RequestId": "r", "Credentials": {"AccessKeySecret": MINTED_SECRET}})
    if kind == "html":
        return httpx.Response(200, content=f"<html>{MINTED_TOKEN}</html>".encode())
    raise httpx.ConnectError(f"proxy said {MINTED_TOKEN} {known}")


@pytest.mark.parametrize("kind", ["echo", "partial", "html", "transport"])
@pytest.mark.parametrize("source", ["assume_role", "oidc"])
def test_sts_failures_never_quote_secrets_tokens_or_the_answer(clean_env, kind, source):
    from alicloud_cdn_refresh.credentials import resolve_provider

    if source == "assume_role":
        config = {"alicloud:accessKey": KEY_ID, "alicloud:secretKey": SECRET, "alicloud:securityToken": TOKEN}
        config["alicloud:assumeRole"] = {"roleArn": ROLE}
        known = f"{SECRET} {TOKEN}"
    else:
        config = {
            "alicloud:assumeRoleWithOidc": {"oidcProviderArn": "p", "roleArn": ROLE, "oidcToken": OIDC_TOKEN}
        }
        known = OIDC_TOKEN
    recorder = Recorder(handler=lambda request: _answer(kind, known))
    provider = resolve_provider(
        pulumi_config=config, environ={}, transport=recorder.transport(), clock=ManualClock()
    )
    with pytest.raises(CredentialsError) as caught:
        provider.get()
    _hidden_everywhere(caught.value)
    for request in recorder.requests:  # secrets travel in the body only, never in a URL
        assert SECRET not in str(request.url)
        assert OIDC_TOKEN not in str(request.url)


@pytest.mark.parametrize(
    "document",
    [
        {"Code": "Failure", "AccessKeyId": "STS.x", "AccessKeySecret": MINTED_SECRET},
        {"Code": "Success", "AccessKeyId": "STS.x", "AccessKeySecret": MINTED_SECRET, "Expiration": "soon"},
        {"Code": "Success", "AccessKeySecret": MINTED_SECRET, "SecurityToken": MINTED_TOKEN},
    ],
)
@pytest.mark.parametrize("source", ["ecs", "uri"])
def test_bad_metadata_and_uri_answers_are_never_quoted(clean_env, document, source):
    from alicloud_cdn_refresh.credentials import resolve_provider

    recorder = Recorder(handler=lambda request: json_response(document))
    if source == "ecs":
        config = {"alicloud:ecsRoleName": "web"}
        env = {"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": "http://127.0.0.1:9"}
    else:
        config = {"alicloud:credentialsUri": "http://127.0.0.1:9/creds?token=" + OIDC_TOKEN}
        env = {}
    provider = resolve_provider(pulumi_config=config, environ=env, transport=recorder.transport())
    with pytest.raises(CredentialsError) as caught:
        provider.get()
    _hidden_everywhere(caught.value)


def test_the_client_scrubs_the_renewed_credentials_from_transport_errors(clean_env):
    from alicloud_cdn_refresh.credentials import StaticProvider

    renewed = Credentials("STS.renewed", MINTED_SECRET, MINTED_TOKEN)
    leaky = httpx.ConnectError(f"proxy said {MINTED_TOKEN} / {MINTED_SECRET}")
    client = make_client(
        Recorder(queue=[leaky]), credentials=StaticProvider(renewed), retry=RetryPolicy.never()
    )
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_quota()
    _hidden_everywhere(caught.value)
    assert "***" in caught.value.message
