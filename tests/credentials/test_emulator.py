"""Every network mode of the chain against the emulator, in-process and over loopback sockets.

STS (AssumeRole, AssumeRoleWithOIDC), the ECS metadata service and credentials URIs are the
emulator's; nothing leaves 127.0.0.1. Which key signed each CDN call is read on the emulator's side.
"""

from __future__ import annotations

import itertools
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import describe_credentials, resolve_credentials, resolve_provider
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import ApiError, CredentialsError
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from waiter_helpers import START

pytestmark = pytest.mark.usefixtures("clean_env")

BASE = "LTAIbase00000001"
BASE_SECRET = "base-secret-0001"
ROLE = "acs:ram::123456789012:role/deployer"
ROLE_B = "acs:ram::210987654321:role/cdn-admin"
OIDC_PROVIDER = "acs:ram::123456789012:oidc-provider/ack-rrsa"
PATH = "http://www.example.com/a.txt"
CDN_ACTIONS = {value for name, value in vars(Action).items() if name.isupper()}


@dataclass
class Rig:
    emulator: Emulator
    clock: ManualClock
    url: str
    transport: Any

    def config(self, **extra: Any) -> dict[str, Any]:
        endpoints = [{"cdn": self.url, "sts": self.url}]
        return {"alicloud:endpoints": json.dumps(endpoints), **extra}

    def client(self, config: dict[str, Any] | None = None, **kwargs: Any) -> CdnClient:
        return CdnClient(
            pulumi_config=self.config() if config is None else config,
            transport=self.transport,
            clock=self.clock,
            **kwargs,
        )

    def cdn_signers(self) -> set[str]:
        return {
            key
            for (key, action), count in self.emulator.verifier.signed_by.items()
            if action in CDN_ACTIONS and count
        }


@pytest.fixture(params=["in-process", "server"])
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, access_keys={BASE: BASE_SECRET}, complete_after=60, qps_limits=False)
    emulator.add_role(ROLE, max_session_duration=3600)
    emulator.add_role(ROLE_B, external_id="partner-7", max_session_duration=3600)
    if request.param == "server":
        with emulator.serve() as server:
            yield Rig(emulator, clock, server.url, None)
    else:
        yield Rig(emulator, clock, "http://127.0.0.1:9", emulator.transport())


def keys(**extra: Any) -> dict[str, Any]:
    return {"alicloud:accessKey": BASE, "alicloud:secretKey": BASE_SECRET, **extra}


@pytest.mark.parametrize("version", ["v3", "v1"])
def test_an_assumed_role_signs_every_cdn_call_with_the_sts_key_and_token_never_the_base_key(rig, version):
    config = rig.config(**keys(**{"alicloud:assumeRole": json.dumps({"roleArn": ROLE, "sessionName": "ci"})}))
    with rig.client(config, signature_version=version) as client:
        client.refresh_object_caches([PATH])
        client.describe_refresh_tasks(object_path=PATH)
        assert client.access_key_id.startswith("STS.")
    (session,) = rig.emulator.sts_sessions
    assert (session.role_arn, session.session_name, session.caller, session.via) == (
        ROLE,
        "ci",
        BASE,
        "AssumeRole",
    )
    assert rig.emulator.calls_by_access_key("AssumeRole") == {BASE: 1}
    assert rig.cdn_signers() == {session.access_key_id}
    assert rig.emulator.calls_by_access_key(Action.DESCRIBE_REFRESH_TASKS) == {session.access_key_id: 1}


def test_a_wait_longer_than_the_session_renews_the_role_before_it_expires(rig):
    rig.emulator.store.complete_after = 40 * 60
    role = json.dumps({"roleArn": ROLE, "sessionExpiration": 900})
    config = rig.config(**keys(**{"alicloud:assumeRole": role}))
    with rig.client(config) as client:
        client.refresh_object_caches([PATH])
        started = rig.clock.now()
        tasks = wait_for_refresh([PATH], client=client, timeout=3600, poll_max=60)
    assert [task.status.value for task in tasks] == ["Complete"]
    assert rig.clock.now() - started >= timedelta(minutes=40)
    sessions = rig.emulator.sts_sessions
    assert len(sessions) >= 3  # 40 minutes of 15-minute sessions
    assert all(
        later.expiration - earlier.expiration < timedelta(minutes=15)
        for earlier, later in itertools.pairwise(sessions)
    )
    assert "InvalidSecurityToken.Expired" not in rig.emulator.errors_returned
    assert rig.cdn_signers() <= {s.access_key_id for s in sessions}


def test_without_renewal_the_same_wait_fails_on_the_expired_token(rig):
    """The control: a snapshot of the role's credentials is refused once the session is over."""
    rig.emulator.store.complete_after = 40 * 60
    role = json.dumps({"roleArn": ROLE, "sessionExpiration": 900})
    snapshot = resolve_credentials(
        pulumi_config=rig.config(**keys(**{"alicloud:assumeRole": role})),
        environ={},
        transport=rig.transport,
        clock=rig.clock,
    )
    with rig.client(credentials=snapshot) as client:
        client.refresh_object_caches([PATH])
        with pytest.raises(ApiError) as caught:
            wait_for_refresh([PATH], client=client, timeout=3600, poll_max=60)
    assert caught.value.code == "InvalidSecurityToken.Expired"


def test_external_id_is_sent_and_a_wrong_one_is_refused(rig):
    good = rig.config(**keys(**{"alicloud:assumeRole": {"roleArn": ROLE_B, "externalId": "partner-7"}}))
    with rig.client(good) as client:
        client.describe_refresh_quota()
    bad = rig.config(**keys(**{"alicloud:assumeRole": {"roleArn": ROLE_B, "externalId": "partner-8"}}))
    with rig.client(bad) as client, pytest.raises(CredentialsError) as caught:
        client.describe_refresh_quota()
    error = caught.value
    assert error.code == "NoPermission"
    assert error.mode == "AK + assumeRole"
    assert "partner-8" not in str(error)
    assert "Pulumi config alicloud:assumeRole" in str(error)
    assert "sources tried" in str(error)


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("acs:ram::123456789012:role/missing", "EntityNotExist.Role"),
        ("arn:aws:iam::1:role/x", "InvalidParameter.RoleArn"),
    ],
)
def test_a_bad_role_arn_is_a_credentials_error_with_stss_code(rig, role, code):
    config = rig.config(**keys(**{"alicloud:assumeRole": {"roleArn": role}}))
    with rig.client(config) as client, pytest.raises(CredentialsError) as caught:
        client.describe_refresh_quota()
    assert caught.value.code == code
    assert caught.value.request_id


def test_a_session_expiration_above_the_roles_maximum_is_refused(rig):
    config = rig.config(**keys(**{"alicloud:assumeRole": {"roleArn": ROLE, "sessionExpiration": 7200}}))
    with pytest.raises(CredentialsError) as caught:
        resolve_provider(pulumi_config=config, environ={}, transport=rig.transport, clock=rig.clock).get()
    assert caught.value.code == "InvalidParameter.DurationSeconds"


def test_oidc_from_a_token_file_re_read_at_every_renewal(rig, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("jwt-first-0001", encoding="utf-8")
    rig.emulator.add_oidc_provider(OIDC_PROVIDER, ["jwt-first-0001", "jwt-second-0002"])
    env = {
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": OIDC_PROVIDER,
        "ALIBABA_CLOUD_ROLE_ARN": ROLE,
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token_file),
        "ALIBABA_CLOUD_ROLE_SESSION_NAME": "rrsa",
    }
    provider = resolve_provider(
        pulumi_config=rig.config(), environ=env, transport=rig.transport, clock=rig.clock
    )
    with rig.client(credentials=provider) as client:
        client.describe_refresh_quota()
        token_file.write_text("jwt-second-0002", encoding="utf-8")
        rig.clock.advance(3600 - 60)
        client.describe_refresh_quota()
    first, second = rig.emulator.sts_sessions
    assert (first.via, first.session_name) == ("AssumeRoleWithOIDC", "rrsa")
    assert rig.cdn_signers() == {first.access_key_id, second.access_key_id}
    token_file.write_text("jwt-unknown-0003", encoding="utf-8")
    rig.clock.advance(3600)
    with pytest.raises(CredentialsError) as caught:
        provider.get()
    assert caught.value.code == "AuthenticationFail.OIDCToken.Invalid"
    assert "jwt-unknown" not in str(caught.value)


def test_an_expired_oidc_token_is_refused_with_its_code(rig):
    rig.emulator.add_oidc_provider(OIDC_PROVIDER, {"jwt-old-00001": START - timedelta(minutes=1)})
    oidc = {"oidcProviderArn": OIDC_PROVIDER, "roleArn": ROLE, "oidcToken": "jwt-old-00001"}
    config = rig.config(**{"alicloud:assumeRoleWithOidc": oidc})
    with pytest.raises(CredentialsError) as caught:
        resolve_provider(pulumi_config=config, environ={}, transport=rig.transport, clock=rig.clock).get()
    assert caught.value.code == "AuthenticationFail.OIDCToken.Expired"
    assert caught.value.mode == "OIDC"
    assert "jwt-old" not in str(caught.value)


def test_a_profile_chain_assumes_each_role_with_the_credentials_below_it(rig, tmp_path):
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps(
            {
                "current": "partner",
                "profiles": [
                    {"name": "base", "mode": "AK", "access_key_id": BASE, "access_key_secret": BASE_SECRET},
                    {
                        "name": "deployer",
                        "mode": "ChainableRamRoleArn",
                        "source_profile": "base",
                        "ram_role_arn": ROLE,
                        "ram_session_name": "hop-1",
                    },
                    {
                        "name": "partner",
                        "mode": "ChainableRamRoleArn",
                        "source_profile": "deployer",
                        "ram_role_arn": ROLE_B,
                        "ram_session_name": "hop-2",
                        "external_id": "partner-7",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    config = rig.config(**{"alicloud:sharedCredentialsFile": str(path)})
    with rig.client(config) as client:
        client.describe_refresh_quota()
    first, second = rig.emulator.sts_sessions
    assert (first.role_arn, first.caller) == (ROLE, BASE)
    assert (second.role_arn, second.caller) == (ROLE_B, first.access_key_id)
    assert rig.cdn_signers() == {second.access_key_id}


def test_a_ram_role_arn_profile_named_per_call(rig, tmp_path):
    path = tmp_path / "config.json"
    profile = {
        "name": "ops",
        "mode": "RamRoleArn",
        "access_key_id": BASE,
        "access_key_secret": BASE_SECRET,
        "ram_role_arn": ROLE,
        "expired_seconds": 900,
    }
    path.write_text(json.dumps({"current": "ops", "profiles": [profile]}), encoding="utf-8")
    stack = rig.config(**{"alicloud:accessKey": "LTAIstack0000001", "alicloud:secretKey": "nope"})
    provider = resolve_provider(
        pulumi_config=stack,
        environ={},
        profile="ops",
        profile_path=path,
        transport=rig.transport,
        clock=rig.clock,
    )
    with rig.client(credentials=provider) as client:
        client.describe_refresh_quota()
    (session,) = rig.emulator.sts_sessions
    assert session.expiration - START == timedelta(seconds=900)
    assert rig.cdn_signers() == {session.access_key_id}


def test_an_assume_role_override_on_top_of_the_stack_keys(rig):
    provider = resolve_provider(
        pulumi_config=rig.config(**keys()),
        environ={},
        assume_role={"role_arn": ROLE_B, "session_name": "resource-b", "external_id": "partner-7"},
        transport=rig.transport,
        clock=rig.clock,
    )
    with rig.client(credentials=provider) as client:
        client.describe_refresh_quota()
    (session,) = rig.emulator.sts_sessions
    assert (session.role_arn, session.session_name) == (ROLE_B, "resource-b")


def test_a_credentials_uri_from_config(rig):
    path = rig.emulator.add_credentials_uri("/sidecar/credentials", session_seconds=900)
    config = rig.config(**{"alicloud:credentialsUri": rig.url + path})
    with rig.client(config) as client:
        client.describe_refresh_quota()
        rig.clock.advance(800)
        client.describe_refresh_quota()
    first, second = rig.emulator.sts_sessions
    assert first.via == second.via == "CredentialsURI"
    assert rig.cdn_signers() == {first.access_key_id, second.access_key_id}


def test_describe_credentials_fetches_only_when_asked(rig):
    config = rig.config(**keys(**{"alicloud:assumeRole": {"roleArn": ROLE}}))
    report = describe_credentials(pulumi_config=config, environ={}, transport=rig.transport, clock=rig.clock)
    assert (report.fetched, report.access_key_id, rig.emulator.sts_sessions) == (False, None, [])
    report = describe_credentials(
        pulumi_config=config, environ={}, fetch=True, transport=rig.transport, clock=rig.clock
    )
    (session,) = rig.emulator.sts_sessions
    assert report.fetched
    assert report.access_key_id == f"{session.access_key_id[:4]}****{session.access_key_id[-4:]}"
    assert report.expiration == session.expiration
    assert report.role_arn == ROLE
    assert report.as_dict()["steps"][-1].startswith("AssumeRole " + ROLE)


# --- ECS metadata: over a loopback socket only (the real address is never used) ----------------


@pytest.fixture
def server_rig() -> Iterator[Rig]:
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, access_keys={BASE: BASE_SECRET}, complete_after=60, qps_limits=False)
    emulator.add_role(ROLE, max_session_duration=3600)
    with emulator.serve() as server:
        yield Rig(emulator, clock, server.url, None)


@pytest.mark.parametrize("require_token", [True, False])
def test_ecs_role_credentials_from_the_metadata_service_imdsv2(server_rig, require_token):
    rig = server_rig
    rig.emulator.set_ecs_role("web-role", session_seconds=3600, require_token=require_token)
    env = {"ALIBABA_CLOUD_ECS_METADATA": "web-role", "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": rig.url}
    provider = resolve_provider(pulumi_config=rig.config(), environ=env, clock=rig.clock)
    with rig.client(credentials=provider) as client:
        client.describe_refresh_quota()
        rig.clock.advance(3600 - 100)
        client.describe_refresh_quota()
    sessions = rig.emulator.sts_sessions
    assert [s.via for s in sessions] == ["EcsRamRole", "EcsRamRole"]
    assert rig.cdn_signers() == {s.access_key_id for s in sessions}
    assert rig.emulator.metadata.requests_served["token"] >= 2


def test_ecs_role_credentials_then_a_role_assumed_on_top(server_rig):
    rig = server_rig
    rig.emulator.set_ecs_role("web-role", session_seconds=21600)
    env = {"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": rig.url}
    config = rig.config(**{"alicloud:ecsRoleName": "web-role", "alicloud:assumeRole": {"roleArn": ROLE}})
    with CdnClient(pulumi_config=config, clock=rig.clock, credentials=None) as _:
        pass  # settings are read; nothing is fetched before the first call
    assert rig.emulator.sts_sessions == []
    provider = resolve_provider(pulumi_config=config, environ=env, clock=rig.clock)
    with rig.client(credentials=provider) as client:
        client.describe_refresh_quota()
    ecs, assumed = rig.emulator.sts_sessions
    assert (ecs.via, assumed.via, assumed.caller) == ("EcsRamRole", "AssumeRole", ecs.access_key_id)
    assert rig.cdn_signers() == {assumed.access_key_id}


def test_a_missing_ecs_role_and_disabled_imdsv1_are_clear_errors(server_rig):
    rig = server_rig
    rig.emulator.set_ecs_role("web-role", require_token=True)
    env = {"ALIBABA_CLOUD_ECS_METADATA": "other-role", "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": rig.url}
    with pytest.raises(CredentialsError) as caught:
        resolve_provider(environ=env, clock=rig.clock).get()
    assert caught.value.code == "HTTP404"
    assert "EcsRamRole" in str(caught.value)
    disabled = {**env, "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
    with pytest.raises(CredentialsError, match="disabled"):
        resolve_provider(environ=disabled, clock=rig.clock)


def test_an_unreachable_sts_names_the_source_mode_and_every_place_tried(server_rig):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = keys(**{"alicloud:assumeRole": {"roleArn": ROLE}})
    env = {"ALIBABA_CLOUD_STS_ENDPOINT": f"http://127.0.0.1:{port}"}
    provider = resolve_provider(pulumi_config=config, environ=env, clock=server_rig.clock)
    with pytest.raises(CredentialsError) as caught:
        provider.get()
    error = caught.value
    assert error.code == "TransportError"
    text = str(error)
    assert "mode AK + assumeRole" in text
    assert "Pulumi config alicloud:accessKey" in text
    assert ROLE in text
    assert BASE_SECRET not in text
    assert server_rig.clock.slept > 0  # retried on the injected clock


def test_explicit_credentials_with_an_assume_role_override(rig):
    from alicloud_cdn_refresh.credentials import Credentials

    provider = resolve_provider(
        Credentials(BASE, BASE_SECRET, source="a vault"),
        pulumi_config=rig.config(),
        environ={},
        assume_role={"roleArn": ROLE, "sessionName": "explicit"},
        transport=rig.transport,
        clock=rig.clock,
    )
    assert rig.emulator.sts_sessions == []  # nothing fetched before the first call
    with rig.client(credentials=provider) as client:
        client.describe_refresh_quota()
    (session,) = rig.emulator.sts_sessions
    assert (session.caller, session.session_name) == (BASE, "explicit")
    assert provider.mode == "explicit + assumeRole"
    assert rig.cdn_signers() == {session.access_key_id}
