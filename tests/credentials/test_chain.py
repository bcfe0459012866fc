"""The chain's order (pulumi-alicloud's / the Terraform provider's) and its errors, without network.

Network sources (STS, ECS metadata, credentials URIs) are only planned here (``resolve_plan``,
``describe_credentials``); ``test_emulator.py`` runs them against the emulator.
"""

from __future__ import annotations

import json

import httpx
import pytest

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.endpoints import resolve_endpoint
from alicloud_cdn_refresh.credentials import (
    Credentials,
    describe_credentials,
    resolve_credentials,
    resolve_plan,
    resolve_provider,
)
from alicloud_cdn_refresh.credentials.chain import metadata_endpoint, sts_endpoint
from alicloud_cdn_refresh.credentials.specs import EcsRoleSpec, OidcSpec, StaticSpec, UriSpec
from alicloud_cdn_refresh.errors import CredentialsError, InvalidQuery
from alicloud_cdn_refresh.settings import ENVIRONMENT_VARIABLES
from client_fakes import Recorder, json_response, page_body

pytestmark = pytest.mark.usefixtures("clean_env")

ROLE = "acs:ram::123456789012:role/deployer"


def write_profiles(path, current, *profiles):
    path.write_text(json.dumps({"current": current, "profiles": list(profiles)}), encoding="utf-8")
    return path


def ak(name, key_id, secret, **extra):
    return {"name": name, "mode": "AK", "access_key_id": key_id, "access_key_secret": secret, **extra}


def resolve(**kwargs):
    kwargs.setdefault("environ", {})
    return resolve_credentials(**kwargs)


def plan(**kwargs):
    kwargs.setdefault("environ", {})
    return resolve_plan(**kwargs)


class NoNetwork(httpx.BaseTransport):
    def handle_request(self, request):
        raise AssertionError(f"no request may be sent, got {request.method} {request.url}")


# --- keys: config, then environment, per key ---------------------------------------------------


def test_explicit_wins_over_everything():
    explicit = Credentials("explicit", "s")
    config = {"alicloud:accessKey": "cfg", "alicloud:secretKey": "cs"}
    env = {"ALICLOUD_ACCESS_KEY": "env", "ALICLOUD_SECRET_KEY": "es"}
    assert resolve(explicit=explicit, pulumi_config=config, environ=env) is explicit


def test_pulumi_config_beats_environment():
    config = {"alicloud:accessKey": "cfg", "alicloud:secretKey": "cs", "alicloud:securityToken": "ct"}
    env = {"ALICLOUD_ACCESS_KEY": "env", "ALICLOUD_SECRET_KEY": "es", "ALICLOUD_SECURITY_TOKEN": "et"}
    found = resolve(pulumi_config=config, environ=env)
    assert (found.access_key_id, found.access_key_secret, found.security_token) == ("cfg", "cs", "ct")
    assert "Pulumi config alicloud:accessKey" in found.source


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {
                "ALICLOUD_ACCESS_KEY": "a1",
                "ALIBABA_CLOUD_ACCESS_KEY_ID": "a2",
                "ALIBABACLOUD_ACCESS_KEY_ID": "a3",
                "ALICLOUD_SECRET_KEY": "s1",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s2",
            },
            ("a1", "s1", None),
        ),
        ({"ALIBABA_CLOUD_ACCESS_KEY_ID": "a2", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s2"}, ("a2", "s2", None)),
        (
            {
                "ALIBABACLOUD_ACCESS_KEY_ID": "a3",
                "ALIBABACLOUD_ACCESS_KEY_SECRET": "s3",
                "ALIBABACLOUD_SECURITY_TOKEN": "t3",
            },
            ("a3", "s3", "t3"),
        ),
        (
            {"ALICLOUD_ACCESS_KEY": "", "ALIBABA_CLOUD_ACCESS_KEY_ID": "a2", "ALICLOUD_SECRET_KEY": "s1"},
            ("a2", "s1", None),
        ),
        (
            {
                "ALICLOUD_ACCESS_KEY": "a",
                "ALICLOUD_SECRET_KEY": "s",
                "ALICLOUD_SECURITY_TOKEN": "t1",
                "ALIBABA_CLOUD_SECURITY_TOKEN": "t2",
            },
            ("a", "s", "t1"),
        ),
    ],
)
def test_environment_variables_in_the_terraform_providers_order(env, expected):
    found = resolve(environ=env)
    assert (found.access_key_id, found.access_key_secret, found.security_token) == expected


def test_each_config_key_falls_back_to_its_environment_variables_as_pulumi_alicloud_does():
    found = resolve(
        pulumi_config={"alicloud:accessKey": "cfg"},
        environ={"ALICLOUD_SECRET_KEY": "es", "ALIBABA_CLOUD_SECURITY_TOKEN": "et"},
    )
    assert (found.access_key_id, found.access_key_secret, found.security_token) == ("cfg", "es", "et")


def test_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "from-os")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "os-secret")
    found = resolve_credentials()
    assert found.access_key_id == "from-os"
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in found.source


@pytest.mark.parametrize(
    ("config", "env", "fragments"),
    [
        (
            {},
            {"ALICLOUD_ACCESS_KEY": "id"},
            ["environment ALICLOUD_ACCESS_KEY", "no secret key", "ALICLOUD_SECRET_KEY"],
        ),
        ({"alicloud:accessKey": "id"}, {}, ["Pulumi config alicloud:accessKey", "alicloud:secretKey"]),
        (
            {},
            {"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"},
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "no access key id"],
        ),
        (
            {},
            {"ALICLOUD_SECURITY_TOKEN": "t"},
            ["security token", "ALICLOUD_SECURITY_TOKEN", "no access key"],
        ),
    ],
)
def test_half_a_key_pair_is_one_error_and_never_a_step_to_the_profile(config, env, fragments, tmp_path):
    profile = write_profiles(tmp_path / "config.json", "default", ak("default", "pid", "ps"))
    with pytest.raises(CredentialsError) as caught:
        resolve(pulumi_config=config, environ=env, profile_path=profile)
    for fragment in fragments:
        assert fragment in str(caught.value)


# --- the profile file --------------------------------------------------------------------------


def test_profile_file_current_profile_in_ak_mode(tmp_path):
    path = write_profiles(tmp_path / "config.json", "work", ak("default", "d", "ds"), ak("work", "w", "ws"))
    found = resolve(profile_path=path)
    assert (found.access_key_id, found.access_key_secret, found.security_token) == ("w", "ws", None)
    assert "'work'" in found.source


def test_profile_file_sts_token_mode(tmp_path):
    profile = {
        "name": "sts",
        "mode": "StsToken",
        "access_key_id": "STS.id",
        "access_key_secret": "s",
        "sts_token": "t",
    }
    path = write_profiles(tmp_path / "config.json", "sts", profile)
    found = resolve(profile_path=path)
    assert (found.access_key_id, found.security_token) == ("STS.id", "t")


def test_sts_token_mode_without_token_is_an_error(tmp_path):
    profile = {"name": "sts", "mode": "StsToken", "access_key_id": "STS.id", "access_key_secret": "s"}
    path = write_profiles(tmp_path / "config.json", "sts", profile)
    with pytest.raises(CredentialsError, match="lacks sts_token"):
        resolve(profile_path=path)


@pytest.mark.parametrize(
    ("config", "env", "expected"),
    [
        ({}, {"ALICLOUD_PROFILE": "b"}, "b"),
        ({}, {"ALIBABA_CLOUD_PROFILE": "c"}, "c"),
        ({}, {"ALICLOUD_PROFILE": "b", "ALIBABA_CLOUD_PROFILE": "c"}, "b"),
        ({"alicloud:profile": "c"}, {"ALICLOUD_PROFILE": "b"}, "c"),
    ],
)
def test_profile_selection_by_config_or_environment(tmp_path, config, env, expected):
    path = write_profiles(
        tmp_path / "config.json", "a", ak("a", "a", "as"), ak("b", "b", "bs"), ak("c", "c", "cs")
    )
    assert resolve(pulumi_config=config, environ=env, profile_path=path).access_key_id == expected


def test_a_named_profile_that_does_not_exist_is_an_error(tmp_path):
    path = write_profiles(tmp_path / "config.json", "a", ak("a", "a", "as"))
    with pytest.raises(CredentialsError, match=r"profile 'nope' of .* does not exist \(named by environment"):
        resolve(environ={"ALICLOUD_PROFILE": "nope"}, profile_path=path)


def test_a_named_profile_without_a_file_is_an_error_not_a_silent_skip(tmp_path, clean_env):
    with pytest.raises(CredentialsError, match=r"profile 'prod' \(Pulumi config alicloud:profile\)"):
        resolve(pulumi_config={"alicloud:profile": "prod"})


@pytest.mark.parametrize(
    ("config", "env", "winner"),
    [
        ({"alicloud:sharedCredentialsFile": "{a}"}, {"ALICLOUD_SHARED_CREDENTIALS_FILE": "{b}"}, "a"),
        ({}, {"ALICLOUD_SHARED_CREDENTIALS_FILE": "{b}", "ALIBABA_CLOUD_CREDENTIALS_FILE": "{c}"}, "b"),
        ({}, {"ALIBABA_CLOUD_CREDENTIALS_FILE": "{c}"}, "c"),
        ({}, {}, "home"),
    ],
)
def test_shared_credentials_file_from_config_then_environment_then_home(
    tmp_path, clean_env, config, env, winner
):
    files = {name: tmp_path / f"{name}.json" for name in "abc"}
    for name, path in files.items():
        write_profiles(path, "default", ak("default", name, "s"))
    (clean_env / ".aliyun").mkdir()
    write_profiles(clean_env / ".aliyun" / "config.json", "default", ak("default", "home", "s"))
    fill = {name: str(path) for name, path in files.items()}
    config = {k: v.format(**fill) for k, v in config.items()}
    env = {k: v.format(**fill) for k, v in env.items()}
    assert resolve(pulumi_config=config, environ=env).access_key_id == winner


def test_a_named_shared_file_that_is_missing_is_an_error(tmp_path):
    with pytest.raises(CredentialsError, match="does not exist"):
        resolve(environ={"ALIBABA_CLOUD_CREDENTIALS_FILE": str(tmp_path / "missing.json")})


def test_environment_keys_beat_the_profile_file_and_the_report_says_the_profile_was_not_used(tmp_path):
    path = write_profiles(
        tmp_path / "config.json", "default", ak("default", "p", "ps"), ak("prod", "q", "qs")
    )
    env = {"ALICLOUD_ACCESS_KEY": "e", "ALICLOUD_SECRET_KEY": "es", "ALICLOUD_PROFILE": "prod"}
    assert resolve(environ=env, profile_path=path).access_key_id == "e"
    report = describe_credentials(environ=env, profile_path=path)
    assert report.mode == "AK"
    assert any("profile 'prod'" in item and "access keys come first" in item for item in report.shadowed)


def test_broken_profile_file_is_a_clear_error(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CredentialsError, match="not valid JSON"):
        resolve(profile_path=path)


@pytest.mark.parametrize("mode", ["CloudSSO", "OAuth", "External", "Bogus"])
def test_an_unsupported_profile_mode_is_an_error_naming_it(tmp_path, mode):
    path = write_profiles(
        tmp_path / "config.json", "x", {"name": "x", "mode": mode}, ak("default", "d", "ds")
    )
    with pytest.raises(CredentialsError) as caught:
        resolve(profile_path=path)
    assert f"mode {mode!r}" in str(caught.value)
    assert "ChainableRamRoleArn" in str(caught.value)  # says what is supported
    assert caught.value.mode == mode


@pytest.mark.parametrize(
    ("profile", "missing"),
    [
        ({"mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "s"}, "ram_role_arn"),
        ({"mode": "RamRoleArn", "ram_role_arn": ROLE}, "access_key_id, access_key_secret"),
        ({"mode": "OIDC", "ram_role_arn": ROLE, "oidc_token_file": "/t"}, "oidc_provider_arn"),
        ({"mode": "ChainableRamRoleArn", "ram_role_arn": ROLE}, "source_profile"),
        ({"mode": "CredentialsURI"}, "credentials_uri"),
    ],
)
def test_a_profile_missing_a_field_of_its_mode_is_an_error(tmp_path, profile, missing):
    path = write_profiles(tmp_path / "config.json", "x", {"name": "x", **profile})
    with pytest.raises(CredentialsError, match=f"lacks {missing}"):
        resolve(profile_path=path)


def test_profile_modes_plan_what_they_mean(tmp_path):
    path = write_profiles(
        tmp_path / "config.json",
        "base",
        ak("base", "LTAIbase0000001", "bs"),
        {
            "name": "role",
            "mode": "RamRoleArn",
            "access_key_id": "LTAIrole0000001",
            "access_key_secret": "rs",
            "ram_role_arn": ROLE,
            "ram_session_name": "me",
            "expired_seconds": 900,
        },
        {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "web"},
        {
            "name": "oidc",
            "mode": "OIDC",
            "oidc_provider_arn": "acs:ram::1:oidc-provider/k8s",
            "ram_role_arn": ROLE,
            "oidc_token_file": "/var/run/token",
        },
        {
            "name": "chain",
            "mode": "ChainableRamRoleArn",
            "source_profile": "role",
            "ram_role_arn": ROLE + "2",
        },
        {"name": "uri", "mode": "CredentialsURI", "credentials_uri": "http://127.0.0.1:9/creds"},
    )
    got, _, _ = plan(profile="role", profile_path=path)
    assert isinstance(got.base, StaticSpec)
    assert [(r.role_arn, r.session_name, r.duration) for r in got.roles] == [(ROLE, "me", 900)]
    got, _, _ = plan(profile="ecs", profile_path=path)
    assert isinstance(got.base, EcsRoleSpec)
    assert got.base.role_name == "web"
    got, _, _ = plan(profile="oidc", profile_path=path)
    assert isinstance(got.base, OidcSpec)
    assert got.base.token_file == "/var/run/token"
    got, _, _ = plan(profile="chain", profile_path=path)
    assert got.base.credentials.access_key_id == "LTAIrole0000001"
    assert [r.role_arn for r in got.roles] == [ROLE, ROLE + "2"]
    assert got.mode == "ChainableRamRoleArn"
    got, _, _ = plan(profile="uri", profile_path=path)
    assert isinstance(got.base, UriSpec)


def test_a_source_profile_loop_is_an_error(tmp_path):
    path = write_profiles(
        tmp_path / "config.json",
        "a",
        {"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "b", "ram_role_arn": ROLE},
        {"name": "b", "mode": "ChainableRamRoleArn", "source_profile": "a", "ram_role_arn": ROLE},
    )
    with pytest.raises(CredentialsError, match="loops"):
        resolve(profile_path=path)


# --- credentialsUri, ecsRoleName, OIDC: in that order, after keys and the profile ---------------


def test_credentials_uri_then_ecs_role_then_oidc(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("jwt", encoding="utf-8")
    oidc_env = {
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/k8s",
        "ALIBABA_CLOUD_ROLE_ARN": ROLE,
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token_file),
    }
    env = {
        "ALICLOUD_CREDENTIALS_URI": "http://127.0.0.1:9/c",
        "ALIBABA_CLOUD_ECS_METADATA": "web",
        **oidc_env,
    }
    got, _, shadowed = plan(environ=env)
    assert isinstance(got.base, UriSpec)
    assert any("ECS RAM role 'web'" in item for item in shadowed)
    env.pop("ALICLOUD_CREDENTIALS_URI")
    got, _, shadowed = plan(environ=env)
    assert isinstance(got.base, EcsRoleSpec)
    assert any("OIDC" in item for item in shadowed)
    env.pop("ALIBABA_CLOUD_ECS_METADATA")
    got, _, _ = plan(environ=env)
    assert isinstance(got.base, OidcSpec)
    assert (got.base.role_arn, got.base.token_file) == (ROLE, str(token_file))


@pytest.mark.parametrize(
    ("config", "env", "kind"),
    [
        (
            {"alicloud:credentialsUri": "http://127.0.0.1:1/a"},
            {"ALICLOUD_CREDENTIALS_URI": "http://x/b"},
            UriSpec,
        ),
        ({}, {"ALIBABA_CLOUD_CREDENTIALS_URI": "http://127.0.0.1:1/a"}, UriSpec),
        ({"alicloud:ecsRoleName": "web"}, {"ALICLOUD_ECS_ROLE_NAME": "other"}, EcsRoleSpec),
        ({}, {"ALICLOUD_ECS_ROLE_NAME": "web", "ALIBABA_CLOUD_ECS_METADATA": "other"}, EcsRoleSpec),
    ],
)
def test_uri_and_ecs_role_name_config_beats_environment(config, env, kind):
    got, _, _ = plan(pulumi_config=config, environ=env)
    assert isinstance(got.base, kind)
    value = got.base.uri if isinstance(got.base, UriSpec) else got.base.role_name
    assert value in ("http://127.0.0.1:1/a", "web")


def test_keys_beat_every_later_source_and_the_report_names_them():
    env = {
        "ALICLOUD_ACCESS_KEY": "LTAIkeys00000001",
        "ALICLOUD_SECRET_KEY": "s",
        "ALICLOUD_CREDENTIALS_URI": "http://127.0.0.1:9/c",
        "ALIBABA_CLOUD_ECS_METADATA": "web",
    }
    report = describe_credentials(environ=env)
    assert report.mode == "AK"
    assert report.access_key_id == "LTAI****0001"
    assert len(report.shadowed) == 2


def test_oidc_from_structured_config_with_environment_fallbacks(tmp_path):
    token_file = tmp_path / "token"
    config = {
        "alicloud:assumeRoleWithOidc": json.dumps(
            {"oidcProviderArn": "acs:ram::1:oidc-provider/gh", "roleArn": ROLE, "sessionExpiration": 900}
        )
    }
    got, _, _ = plan(pulumi_config=config, environ={"ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token_file)})
    assert isinstance(got.base, OidcSpec)
    assert (got.base.provider_arn, got.base.duration, got.base.session_name) == (
        "acs:ram::1:oidc-provider/gh",
        900,
        "terraform",
    )
    assert "ALIBABA_CLOUD_OIDC_TOKEN_FILE" in got.base.source


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/t"}, "role ARN"),
        ({"ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/t", "ALIBABA_CLOUD_ROLE_ARN": ROLE}, "OIDC provider ARN"),
        ({"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": ROLE}, "OIDC token"),
    ],
)
def test_half_set_oidc_is_one_error_naming_what_is_missing(env, missing):
    with pytest.raises(CredentialsError) as caught:
        resolve(environ=env)
    assert missing in str(caught.value)
    assert caught.value.mode == "OIDC"


# --- assumeRole on top -------------------------------------------------------------------------


def test_assume_role_is_applied_on_top_of_the_keys():
    config = {
        "alicloud:accessKey": "LTAIbase00000001",
        "alicloud:secretKey": "s",
        "alicloud:assumeRole": json.dumps({"roleArn": ROLE, "externalId": "ext-1", "sessionExpiration": 900}),
    }
    got, _, _ = plan(pulumi_config=config)
    assert isinstance(got.base, StaticSpec)
    (role,) = got.roles
    assert (role.role_arn, role.session_name, role.duration, role.external_id) == (
        ROLE,
        "terraform",
        900,
        "ext-1",
    )
    assert got.mode == "AK + assumeRole"
    report = describe_credentials(pulumi_config=config)
    assert report.role_arn == ROLE
    assert report.access_key_id is None  # only known once the role is assumed
    assert report.base_access_key_id == "LTAI****0001"


def test_assume_role_replaces_a_ram_role_arn_profiles_own_role(tmp_path):
    path = write_profiles(
        tmp_path / "config.json",
        "role",
        {
            "name": "role",
            "mode": "RamRoleArn",
            "access_key_id": "a",
            "access_key_secret": "s",
            "ram_role_arn": ROLE + "-profile",
        },
    )
    got, _, shadowed = plan(pulumi_config={"alicloud:assumeRole": {"roleArn": ROLE}}, profile_path=path)
    assert [r.role_arn for r in got.roles] == [ROLE]
    assert any("replaced" in item for item in shadowed)


def test_assume_role_fields_fall_back_to_the_environment():
    env = {
        "ALICLOUD_ACCESS_KEY": "a",
        "ALICLOUD_SECRET_KEY": "s",
        "ALIBABA_CLOUD_ROLE_ARN": ROLE,
        "ALICLOUD_ASSUME_ROLE_SESSION_NAME": "ci",
        "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": "1800",
    }
    got, _, _ = plan(pulumi_config={"alicloud:assumeRole": "{}"}, environ=env)
    (role,) = got.roles
    assert (role.role_arn, role.session_name, role.duration) == (ROLE, "ci", 1800)


def test_role_environment_variables_alone_do_not_assume_a_role():
    env = {"ALICLOUD_ACCESS_KEY": "a", "ALICLOUD_SECRET_KEY": "s", "ALIBABA_CLOUD_ROLE_ARN": ROLE}
    got, _, _ = plan(environ=env)
    assert got.roles == ()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ('{"roleARN": "x"}', "unknown field(s) roleARN"),
        ('{"roleArn": "x", "sessionExpiration": 600}', "900..43200"),
        ('{"roleArn": "x", "sessionExpiration": "soon"}', "number of seconds"),
        ("[not json", "JSON object"),
        ('{"sessionName": "x"}', "no roleArn"),
    ],
)
def test_a_bad_assume_role_setting_is_one_clear_error(value, fragment):
    config = {"alicloud:accessKey": "a", "alicloud:secretKey": "s", "alicloud:assumeRole": value}
    with pytest.raises(CredentialsError) as caught:
        resolve_provider(pulumi_config=config, environ={})
    assert fragment in str(caught.value)


def test_assume_role_without_base_credentials_says_so():
    with pytest.raises(CredentialsError, match="assumed with base credentials and none were found"):
        resolve_provider(pulumi_config={"alicloud:assumeRole": {"roleArn": ROLE}}, environ={})


# --- per-call overrides (a Pulumi resource's own identity) -------------------------------------


def test_a_profile_override_replaces_the_stacks_whole_identity(tmp_path):
    path = write_profiles(
        tmp_path / "config.json", "default", ak("default", "d", "ds"), ak("other", "o", "os")
    )
    config = {
        "alicloud:accessKey": "stack",
        "alicloud:secretKey": "s",
        "alicloud:assumeRole": {"roleArn": ROLE},
    }
    found = resolve_credentials(pulumi_config=config, environ={}, profile="other", profile_path=path)
    assert found.access_key_id == "o"  # no role: the stack's assumeRole belongs to the stack's identity


def test_an_assume_role_override_replaces_the_stacks_assume_role():
    config = {"alicloud:accessKey": "a", "alicloud:secretKey": "s", "alicloud:assumeRole": {"roleArn": ROLE}}
    got, _, _ = plan(
        pulumi_config=config,
        assume_role={"role_arn": ROLE + "-b", "session_name": "res", "external_id": "x1"},
    )
    assert [(r.role_arn, r.session_name, r.external_id) for r in got.roles] == [(ROLE + "-b", "res", "x1")]


def test_an_unusable_profile_override_is_an_error_even_with_stack_keys(tmp_path):
    path = write_profiles(tmp_path / "config.json", "default", ak("default", "d", "ds"))
    config = {"alicloud:accessKey": "stack", "alicloud:secretKey": "s"}
    with pytest.raises(CredentialsError, match="profile 'missing'"):
        resolve_provider(pulumi_config=config, environ={}, profile="missing", profile_path=path)


# --- nothing found; never the network without a reason ------------------------------------------


def test_nothing_found_names_every_place_tried(tmp_path):
    with pytest.raises(CredentialsError) as caught:
        resolve(pulumi_config={"alicloud:region": "cn-hangzhou"}, profile_path=tmp_path / "none.json")
    error = caught.value
    text = str(error)
    for place in [
        "alicloud:accessKey",
        "ALICLOUD_ACCESS_KEY",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABACLOUD_ACCESS_KEY_ID",
        "ALICLOUD_SECRET_KEY",
        "none.json",
        "alicloud:credentialsUri",
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "alicloud:ecsRoleName",
        "ALIBABA_CLOUD_ECS_METADATA",
        "alicloud:assumeRoleWithOidc",
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    ]:
        assert place in text, place
    assert len(error.tried) == 6  # config keys, env keys, profile file, URI, ECS role, OIDC


def test_a_lone_role_variable_is_explained_when_nothing_is_found():
    with pytest.raises(CredentialsError, match="read only inside alicloud:assumeRole"):
        resolve(environ={"ALIBABA_CLOUD_ROLE_ARN": ROLE})


def test_nothing_configured_never_touches_the_network(clean_env):
    with pytest.raises(CredentialsError):
        resolve_provider(transport=NoNetwork()).get()


def test_environment_variables_list_every_name_the_chain_reads():
    for name in [
        "ALICLOUD_SHARED_CREDENTIALS_FILE",
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "ALICLOUD_CREDENTIALS_URI",
        "ALIBABA_CLOUD_ECS_METADATA",
        "ALICLOUD_ECS_ROLE_NAME",
        "ALIBABA_CLOUD_ROLE_ARN",
        "ALIBABA_CLOUD_ROLE_SESSION_NAME",
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        "ALIBABA_CLOUD_STS_ENDPOINT",
        "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT",
        "ALICLOUD_ASSUME_ROLE_ARN",
    ]:
        assert name in ENVIRONMENT_VARIABLES, name


def test_the_variables_read_are_all_listed(monkeypatch):
    """Every variable looked up while resolving a busy configuration is in ENVIRONMENT_VARIABLES."""
    seen: set[str] = set()

    class Spy(dict):
        def get(self, key, default=None):
            seen.add(key)
            return super().get(key, default)

    env = Spy({"ALIBABA_CLOUD_ROLE_ARN": ROLE})
    with pytest.raises(CredentialsError):
        resolve_provider(pulumi_config={"alicloud:assumeRole": "{}"}, environ=env)
    sts_endpoint(None, env)
    metadata_endpoint(env)
    assert seen
    assert seen <= set(ENVIRONMENT_VARIABLES), seen - set(ENVIRONMENT_VARIABLES)


# --- endpoints ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "env", "expected"),
    [
        (None, {}, "https://sts.aliyuncs.com"),
        (None, {"ALIBABA_CLOUD_STS_ENDPOINT": "http://127.0.0.1:9000/"}, "http://127.0.0.1:9000"),
        (
            {"alicloud:endpoints": json.dumps([{"cdn": "x"}, {"sts": "sts.cn-shanghai.aliyuncs.com"}])},
            {"ALIBABA_CLOUD_STS_ENDPOINT": "http://127.0.0.1:9000"},
            "https://sts.cn-shanghai.aliyuncs.com",
        ),
        ({"alicloud:endpoints": [{"sts": "http://127.0.0.1:8080"}]}, {}, "http://127.0.0.1:8080"),
    ],
)
def test_sts_endpoint_order(config, env, expected):
    assert sts_endpoint(config, env) == expected


def test_metadata_endpoint_is_overridable_for_tests():
    assert metadata_endpoint({}) == "http://100.100.100.200"
    assert (
        metadata_endpoint({"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": "http://127.0.0.1:1/"})
        == "http://127.0.0.1:1"
    )
    with pytest.raises(InvalidQuery):
        metadata_endpoint({"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": "ftp://x"})


@pytest.mark.parametrize(
    ("explicit", "config", "env", "expected"),
    [
        (None, None, {}, "https://cdn.aliyuncs.com"),
        (None, None, {"ALIBABA_CLOUD_CDN_ENDPOINT": "http://127.0.0.1:9000/"}, "http://127.0.0.1:9000"),
        (
            None,
            {
                "alicloud:endpoints": json.dumps(
                    [{"ecs": "ecs.example"}, {"cdn": "cdn.ap-southeast-1.aliyuncs.com"}]
                )
            },
            {"ALIBABA_CLOUD_CDN_ENDPOINT": "http://127.0.0.1:9000"},
            "https://cdn.ap-southeast-1.aliyuncs.com",
        ),
        (None, {"alicloud:endpoints": '[{"cdn": "http://127.0.0.1:8080"}]'}, {}, "http://127.0.0.1:8080"),
        (None, {"alicloud:endpoints": '{"cdn": "cdn.example.com"}'}, {}, "https://cdn.example.com"),
        (None, {"alicloud:endpoints": '[{"ecs": "x"}]'}, {}, "https://cdn.aliyuncs.com"),
        ("127.0.0.1:9000", {"alicloud:endpoints": '[{"cdn": "other"}]'}, {}, "https://127.0.0.1:9000"),
        ("http://localhost:1234", None, {"ALIBABA_CLOUD_CDN_ENDPOINT": "http://x"}, "http://localhost:1234"),
    ],
)
def test_endpoint_resolution_order(explicit, config, env, expected):
    assert resolve_endpoint(explicit, pulumi_config=config, environ=env) == expected


@pytest.mark.parametrize(
    ("explicit", "config", "parameter"),
    [
        ("ftp://cdn.example.com", None, "endpoint"),
        ("http://", None, "endpoint"),
        ("https://cdn.example.com/?a=1", None, "endpoint"),
        (None, {"alicloud:endpoints": "[{cdn: x}"}, "alicloud:endpoints"),
        (None, {"alicloud:endpoints": '"cdn.example.com"'}, "alicloud:endpoints"),
    ],
)
def test_bad_endpoints_are_refused_with_the_setting_named(explicit, config, parameter):
    with pytest.raises(InvalidQuery) as caught:
        resolve_endpoint(explicit, pulumi_config=config, environ={})
    assert caught.value.parameter == parameter


def test_client_takes_credentials_and_endpoint_from_pulumi_config():
    recorder = Recorder(lambda request: json_response(page_body([])))
    config = {
        "alicloud:accessKey": "cfg-id",
        "alicloud:secretKey": "cfg-secret",
        "alicloud:endpoints": '[{"cdn": "http://127.0.0.1:9000"}]',
    }
    client = CdnClient(pulumi_config=config, transport=recorder.transport(), rate_limit=False)
    client.describe_refresh_tasks()
    assert client.endpoint == "http://127.0.0.1:9000"
    assert client.access_key_id == "cfg-id"
    assert str(recorder.requests[0].url).startswith("http://127.0.0.1:9000/")
    assert "Credential=cfg-id," in recorder.requests[0].headers["authorization"]
