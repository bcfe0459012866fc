"""Credentials and endpoint resolution in DESIGN.md's order, with one clear error when nothing is found."""

from __future__ import annotations

import json
import sys
import types

import pytest

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.endpoints import resolve_endpoint
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.credentials.chain import resolve_credentials
from alicloud_cdn_refresh.errors import CredentialsError, InvalidQuery
from client_fakes import Recorder, json_response, page_body

pytestmark = pytest.mark.usefixtures("clean_env")


def write_profiles(path, current, *profiles):
    path.write_text(json.dumps({"current": current, "profiles": list(profiles)}), encoding="utf-8")
    return path


def ak(name, key_id, secret):
    return {
        "name": name,
        "mode": "AK",
        "access_key_id": key_id,
        "access_key_secret": secret,
        "region_id": "x",
    }


def resolve(**kwargs):
    kwargs.setdefault("environ", {})
    kwargs.setdefault("use_chain", False)
    return resolve_credentials(**kwargs)


def test_explicit_wins_over_everything(tmp_path):
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
            ("a1", "s1"),
        ),
        ({"ALIBABA_CLOUD_ACCESS_KEY_ID": "a2", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s2"}, ("a2", "s2")),
        ({"ALIBABACLOUD_ACCESS_KEY_ID": "a3", "ALIBABACLOUD_ACCESS_KEY_SECRET": "s3"}, ("a3", "s3")),
        (
            {"ALICLOUD_ACCESS_KEY": "", "ALIBABA_CLOUD_ACCESS_KEY_ID": "a2", "ALICLOUD_SECRET_KEY": "s1"},
            ("a2", "s1"),
        ),
    ],
)
def test_environment_variables_in_api_md_order(env, expected):
    found = resolve(environ=env)
    assert (found.access_key_id, found.access_key_secret) == expected


def test_each_config_key_falls_back_to_its_environment_variables_as_pulumi_alicloud_does():
    found = resolve(
        pulumi_config={"alicloud:accessKey": "cfg"},
        environ={"ALICLOUD_SECRET_KEY": "es", "ALIBABA_CLOUD_SECURITY_TOKEN": "et"},
    )
    assert (found.access_key_id, found.access_key_secret, found.security_token) == ("cfg", "es", "et")


def test_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "from-os")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "os-secret")
    found = resolve_credentials(use_chain=False)
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
    ],
)
def test_half_a_key_pair_is_an_error_naming_what_is_missing_where(config, env, fragments, tmp_path):
    profile = write_profiles(tmp_path / "config.json", "default", ak("default", "pid", "ps"))
    with pytest.raises(CredentialsError) as caught:
        resolve(pulumi_config=config, environ=env, profile_path=profile)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_profile_file_current_profile_in_ak_mode(tmp_path):
    path = write_profiles(tmp_path / "config.json", "work", ak("default", "d", "ds"), ak("work", "w", "ws"))
    found = resolve(profile_path=path)
    assert (found.access_key_id, found.access_key_secret, found.security_token) == ("w", "ws", None)
    assert "'work'" in found.source
    assert "AK" in found.source


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


def test_a_selected_profile_that_does_not_exist_is_an_error(tmp_path):
    path = write_profiles(tmp_path / "config.json", "a", ak("a", "a", "as"))
    with pytest.raises(CredentialsError, match=r"profile 'nope' \(chosen by environment ALICLOUD_PROFILE\)"):
        resolve(environ={"ALICLOUD_PROFILE": "nope"}, profile_path=path)


def test_shared_credentials_file_from_config_and_default_home_path(tmp_path, monkeypatch):
    path = write_profiles(tmp_path / "shared.json", "default", ak("default", "shared", "ss"))
    found = resolve(pulumi_config={"alicloud:sharedCredentialsFile": str(path)})
    assert found.access_key_id == "shared"
    home = tmp_path / "home"
    (home / ".aliyun").mkdir(parents=True)
    write_profiles(home / ".aliyun" / "config.json", "default", ak("default", "home", "hs"))
    assert resolve().access_key_id == "home"


def test_environment_beats_the_profile_file(tmp_path):
    path = write_profiles(tmp_path / "config.json", "default", ak("default", "p", "ps"))
    env = {"ALICLOUD_ACCESS_KEY": "e", "ALICLOUD_SECRET_KEY": "es"}
    assert resolve(environ=env, profile_path=path).access_key_id == "e"


def test_broken_profile_file_is_a_clear_error(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CredentialsError, match="not valid JSON"):
        resolve(profile_path=path)


def test_nothing_found_names_every_place_tried(tmp_path):
    path = write_profiles(
        tmp_path / "config.json",
        "role",
        {"name": "role", "mode": "RamRoleArn", "ram_role_arn": "acs:ram::1:role/x"},
    )
    with pytest.raises(CredentialsError) as caught:
        resolve(pulumi_config={"alicloud:region": "cn-hangzhou"}, profile_path=path)
    text = str(caught.value)
    for place in [
        "explicit credentials",
        "alicloud:accessKey",
        "ALICLOUD_ACCESS_KEY",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABACLOUD_ACCESS_KEY_ID",
        "ALICLOUD_SECRET_KEY",
        str(path),
        "mode RamRoleArn",
        "alibabacloud-credentials chain",
    ]:
        assert place in text, place


def test_the_chain_is_not_asked_without_a_reason_so_nothing_touches_the_network(tmp_path, monkeypatch):
    def boom():
        raise AssertionError("the chain must not be built")

    fake = types.ModuleType("alibabacloud_credentials.client")
    fake.Client = boom
    monkeypatch.setitem(sys.modules, "alibabacloud_credentials.client", fake)
    with pytest.raises(CredentialsError, match="skipped"):
        resolve_credentials(environ={}, profile_path=tmp_path / "none.json")


def test_the_chain_comes_last_when_there_is_a_reason(tmp_path, monkeypatch):
    class FakeChain:
        def get_credential(self):
            return types.SimpleNamespace(
                access_key_id="role-id",
                access_key_secret="role-s",
                security_token="role-t",
                provider_name="oidc",
            )

    fake = types.ModuleType("alibabacloud_credentials.client")
    fake.Client = FakeChain
    monkeypatch.setitem(sys.modules, "alibabacloud_credentials.client", fake)
    env = {"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/ci", "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/tmp/t"}
    found = resolve_credentials(environ=env, profile_path=tmp_path / "none.json")
    assert (found.access_key_id, found.security_token) == ("role-id", "role-t")
    assert "chain (oidc)" in found.source
    # anything earlier in the order still wins
    env |= {"ALICLOUD_ACCESS_KEY": "e", "ALICLOUD_SECRET_KEY": "es"}
    assert resolve_credentials(environ=env).access_key_id == "e"


def test_a_failing_chain_is_reported_among_the_places_tried(tmp_path, monkeypatch):
    class Failing:
        def get_credential(self):
            raise RuntimeError("no metadata service")

    fake = types.ModuleType("alibabacloud_credentials.client")
    fake.Client = Failing
    monkeypatch.setitem(sys.modules, "alibabacloud_credentials.client", fake)
    with pytest.raises(
        CredentialsError, match=r"chain for environment ALIBABA_CLOUD_ECS_METADATA \(RuntimeError\)"
    ):
        resolve_credentials(
            environ={"ALIBABA_CLOUD_ECS_METADATA": "role"}, profile_path=tmp_path / "none.json"
        )


# --- endpoint ---------------------------------------------------------------------------------


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
