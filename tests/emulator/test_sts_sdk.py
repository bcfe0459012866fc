"""The official STS SDK (alibabacloud-sts20150401) against the emulator over a loopback socket.

The SDK is the outside reference for the emulator's STS: it signs AssumeRole (V3 by default, V1 with
``signature_algorithm="v2"``) and sends AssumeRoleWithOIDC anonymously; its models read the
answers; its exceptions carry the codes. The credentials it gets are then used with the official
CDN SDK, which the emulator must accept until ``Expiration`` and refuse after with
``InvalidSecurityToken.Expired``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alibabacloud_cdn20180510 import models as cdn_models
from alibabacloud_cdn20180510.client import Client as CdnSdk
from alibabacloud_sts20150401 import models
from alibabacloud_sts20150401.client import Client as StsSdk
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from alibabacloud_tea_openapi.models import Config

from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import Emulator, EmulatorServer
from alicloud_cdn_refresh.error_codes import API_ERRORS
from alicloud_cdn_refresh.models import parse_api_time

BASE = "LTAIbase00000001"
BASE_SECRET = "base-secret-0001"
ROLE = "acs:ram::123456789012:role/deployer"
PARTNER = "acs:ram::210987654321:role/partner"
OIDC_PROVIDER = "acs:ram::123456789012:oidc-provider/github"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(_now())


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    emulator = Emulator(clock=clock, access_keys={BASE: BASE_SECRET}, qps_limits=False)
    emulator.add_role(ROLE, max_session_duration=7200)
    emulator.add_role(PARTNER, external_id="partner-7")
    emulator.add_oidc_provider(
        OIDC_PROVIDER, {"jwt-valid-0001": None, "jwt-expired-0002": _now() - timedelta(seconds=1)}
    )
    return emulator


def _config(server: EmulatorServer, signature: str, **credentials: str | None) -> Config:
    config = Config(endpoint=server.endpoint, protocol="http", **credentials)
    if signature == "v1":
        config.signature_algorithm = "v2"
    return config


@pytest.fixture
def sts(server: EmulatorServer, signature: str) -> StsSdk:
    return StsSdk(_config(server, signature, access_key_id=BASE, access_key_secret=BASE_SECRET))


def _server_error(call, host: str = "sts.aliyuncs.com") -> ServerException | ClientException:
    with pytest.raises((ClientException, ServerException)) as info:
        call()
    error = info.value
    spec = API_ERRORS[error.code]
    assert error.status_code == spec.http_status
    assert error.data["RequestId"]
    assert error.data["HostId"] == host
    return error


def test_assume_role_answers_in_stss_shape_read_by_the_sdks_models(sts, emulator, clock):
    request = models.AssumeRoleRequest(role_arn=ROLE, role_session_name="sdk-session", duration_seconds=900)
    body = sts.assume_role(request).body
    assert body.request_id
    assert body.assumed_role_user.arn == "acs:ram::123456789012:assumed-role/deployer/sdk-session"
    assert body.assumed_role_user.assumed_role_id.endswith(":sdk-session")
    credentials = body.credentials
    assert credentials.access_key_id.startswith("STS.")
    assert credentials.access_key_secret
    assert credentials.security_token
    assert credentials.expiration.endswith("Z")
    assert parse_api_time(credentials.expiration) == clock.now() + timedelta(seconds=900)
    (session,) = emulator.sts_sessions
    assert (session.caller, session.access_key_id) == (BASE, credentials.access_key_id)
    assert emulator.calls_by_access_key("AssumeRole") == {BASE: 1}


def test_assumed_credentials_work_with_the_cdn_sdk_until_they_expire(sts, server, signature, clock, emulator):
    credentials = sts.assume_role(
        models.AssumeRoleRequest(role_arn=ROLE, role_session_name="sdk", duration_seconds=900)
    ).body.credentials
    cdn = CdnSdk(
        _config(
            server,
            signature,
            access_key_id=credentials.access_key_id,
            access_key_secret=credentials.access_key_secret,
            security_token=credentials.security_token,
        )
    )
    assert cdn.describe_refresh_quota(cdn_models.DescribeRefreshQuotaRequest()).body.url_quota
    assert emulator.calls_by_access_key("DescribeRefreshQuota") == {credentials.access_key_id: 1}
    clock.advance(900)
    error = _server_error(
        lambda: cdn.describe_refresh_quota(cdn_models.DescribeRefreshQuotaRequest()), "cdn.aliyuncs.com"
    )
    assert error.code == "InvalidSecurityToken.Expired"
    without_token = CdnSdk(
        _config(
            server,
            signature,
            access_key_id=credentials.access_key_id,
            access_key_secret=credentials.access_key_secret,
        )
    )
    quota = cdn_models.DescribeRefreshQuotaRequest()
    error = _server_error(lambda: without_token.describe_refresh_quota(quota), "cdn.aliyuncs.com")
    assert error.code == "MissingSecurityToken"


@pytest.mark.parametrize(
    ("request_args", "code"),
    [
        (
            {"role_arn": "acs:ram::123456789012:role/missing", "role_session_name": "s1"},
            "EntityNotExist.Role",
        ),
        ({"role_arn": "not-an-arn", "role_session_name": "s1"}, "InvalidParameter.RoleArn"),
        ({"role_arn": ROLE, "role_session_name": "x"}, "InvalidParameter.RoleSessionName"),
        (
            {"role_arn": ROLE, "role_session_name": "s1", "duration_seconds": 600},
            "InvalidParameter.DurationSeconds",
        ),
        (
            {"role_arn": ROLE, "role_session_name": "s1", "duration_seconds": 7201},
            "InvalidParameter.DurationSeconds",
        ),
        (
            {"role_arn": ROLE, "role_session_name": "s1", "policy": "{not json"},
            "InvalidParameter.PolicyGrammar",
        ),
        ({"role_arn": PARTNER, "role_session_name": "s1"}, "NoPermission"),
        ({"role_arn": PARTNER, "role_session_name": "s1", "external_id": "partner-8"}, "NoPermission"),
        ({"role_arn": PARTNER, "role_session_name": "s1", "external_id": "x"}, "InvalidParameter.ExternalId"),
    ],
)
def test_assume_role_errors_are_stss_codes(sts, request_args, code):
    error = _server_error(lambda: sts.assume_role(models.AssumeRoleRequest(**request_args)))
    assert error.code == code


def test_an_external_id_that_matches_is_accepted(sts):
    request = models.AssumeRoleRequest(role_arn=PARTNER, role_session_name="s1", external_id="partner-7")
    assert sts.assume_role(request).body.credentials.security_token


def test_a_wrong_secret_is_refused_like_the_gateway(server, signature):
    sts = StsSdk(_config(server, signature, access_key_id=BASE, access_key_secret="wrong"))
    error = _server_error(
        lambda: sts.assume_role(models.AssumeRoleRequest(role_arn=ROLE, role_session_name="s1"))
    )
    assert error.code == "SignatureDoesNotMatch"


def test_an_assumed_role_may_assume_another_role(sts, server, signature, emulator):
    first = sts.assume_role(
        models.AssumeRoleRequest(role_arn=ROLE, role_session_name="hop1")
    ).body.credentials
    chained = StsSdk(
        _config(
            server,
            signature,
            access_key_id=first.access_key_id,
            access_key_secret=first.access_key_secret,
            security_token=first.security_token,
        )
    )
    request = models.AssumeRoleRequest(role_arn=PARTNER, role_session_name="hop2", external_id="partner-7")
    assert chained.assume_role(request).body.credentials.access_key_id
    assert emulator.sts_sessions[1].caller == first.access_key_id


def _anonymous(server: EmulatorServer) -> StsSdk:
    return StsSdk(Config(endpoint=server.endpoint, protocol="http"))


def test_assume_role_with_oidc_answers_in_stss_shape(server, emulator):
    request = models.AssumeRoleWithOIDCRequest(
        oidcprovider_arn=OIDC_PROVIDER,
        role_arn=ROLE,
        oidctoken="jwt-valid-0001",
        role_session_name="gh-actions",
        duration_seconds=3600,
    )
    body = _anonymous(server).assume_role_with_oidc(request).body
    assert body.credentials.access_key_id.startswith("STS.")
    assert body.assumed_role_user.arn.endswith("/gh-actions")
    assert body.oidctoken_info.issuer
    assert emulator.sts_sessions[0].via == "AssumeRoleWithOIDC"


@pytest.mark.parametrize(
    ("token", "provider", "code"),
    [
        ("jwt-expired-0002", OIDC_PROVIDER, "AuthenticationFail.OIDCToken.Expired"),
        ("jwt-unknown-0003", OIDC_PROVIDER, "AuthenticationFail.OIDCToken.Invalid"),
        ("jwt-valid-0001", "acs:ram::123456789012:oidc-provider/other", "AuthenticationFail.NoPermission"),
    ],
)
def test_assume_role_with_oidc_errors(server, token, provider, code):
    request = models.AssumeRoleWithOIDCRequest(
        oidcprovider_arn=provider, role_arn=ROLE, oidctoken=token, role_session_name="s1"
    )
    error = _server_error(lambda: _anonymous(server).assume_role_with_oidc(request))
    assert error.code == code
    assert token not in str(error.message)
