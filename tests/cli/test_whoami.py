"""Issue 11, CLI part: ``cdn-refresh whoami`` (alias ``credentials``) shows the source, mode and
reason, the masked key id, the role and expiry; no network call without ``--fetch``; never a secret;
a credentials error names every source tried."""

from __future__ import annotations

import json

import pytest

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.credentials import mask_access_key_id
from alicloud_cdn_refresh.emulator import Emulator
from cli_rig import invoke, runner_env

ROLE = "acs:ram::123456789012:role/deployer"
OIDC_PROVIDER = "acs:ram::123456789012:oidc-provider/ack-rrsa"
OIDC_TOKEN = "eyJhbGciOi.oidc-token-never-shown.sig"
KEY_ID = "LTAI5tWhoAmIKey0001"
SECRET = "whoami-Secret/Value+never=shown"


@pytest.fixture
def emulator():
    emulator = Emulator(qps_limits=False, seed=11)
    emulator.add_access_key(KEY_ID, SECRET)
    emulator.add_role(ROLE, max_session_duration=3600)
    emulator.add_oidc_provider(OIDC_PROVIDER, [OIDC_TOKEN])
    return emulator


def keys_env(url, tmp_path, **extra):
    return runner_env(
        url, tmp_path, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET, **extra
    )


def oidc_env(url, tmp_path):
    token_file = tmp_path / "oidc-token"
    token_file.write_text(OIDC_TOKEN, encoding="utf-8")
    return runner_env(
        url,
        tmp_path,
        ALIBABA_CLOUD_ACCESS_KEY_ID=None,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET=None,
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN=OIDC_PROVIDER,
        ALIBABA_CLOUD_ROLE_ARN=ROLE,
        ALIBABA_CLOUD_OIDC_TOKEN_FILE=str(token_file),
        ALIBABA_CLOUD_STS_ENDPOINT=url,
    )


def never_secret(result):
    output = result.stdout + result.stderr
    for secret in (SECRET, OIDC_TOKEN, KEY_ID):
        assert secret not in output


@pytest.mark.parametrize("name", ["whoami", "credentials"])
def test_keys_from_the_environment(emulator, url, tmp_path, name):
    result = invoke(keys_env(url, tmp_path), name)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "mode: AK"
    assert lines[1].startswith("source: environment ALIBABA_CLOUD_ACCESS_KEY_ID")
    assert lines[2].startswith("why: ")
    assert f"access key id: {mask_access_key_id(KEY_ID)}" in lines
    never_secret(result)
    assert sum(emulator.requests_served.values()) == 0  # no network without --fetch


def test_json_document(url, tmp_path):
    result = invoke(keys_env(url, tmp_path), "whoami", "--json")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    report = document["credentials"]
    assert report["mode"] == "AK"
    assert report["access_key_id"] == mask_access_key_id(KEY_ID)
    assert report["fetched"] is False
    assert report["expiration"] is None
    assert {"source", "reason", "steps", "tried", "shadowed", "role_arn"} <= set(report)
    never_secret(result)


def test_oidc_without_fetch_names_the_role_and_sends_nothing(emulator, url, tmp_path):
    result = invoke(oidc_env(url, tmp_path), "whoami", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)["credentials"]
    assert report["role_arn"] == ROLE
    assert report["access_key_id"] is None  # temporary: known only once fetched
    assert report["sts_endpoint"] == url
    assert emulator.sts_sessions == []
    never_secret(result)


def test_oidc_with_fetch_shows_the_temporary_key_and_its_expiry(emulator, url, tmp_path):
    result = invoke(oidc_env(url, tmp_path), "whoami", "--fetch")
    assert result.exit_code == 0, result.stderr
    (session,) = emulator.sts_sessions
    assert f"access key id: {mask_access_key_id(session.access_key_id)}" in result.stdout
    assert f"expires: {session.expiration.isoformat()}" in result.stdout
    assert f"role: {ROLE}" in result.stdout
    assert session.access_key_id not in result.stdout
    never_secret(result)


def test_settings_present_but_not_used_are_named(url, tmp_path):
    folder = tmp_path / ".aliyun"
    folder.mkdir()
    profile = {"name": "default", "mode": "AK", "access_key_id": "LTAIother0000key", "access_key_secret": "x"}
    (folder / "config.json").write_text(json.dumps({"current": "default", "profiles": [profile]}))
    env = keys_env(url, tmp_path, ALIBABA_CLOUD_PROFILE="default")  # a leftover variable
    report = json.loads(invoke(env, "whoami", "--json").stdout)["credentials"]
    assert report["mode"] == "AK"
    assert any("profile 'default'" in item for item in report["shadowed"]), report["shadowed"]
    assert "not used: profile 'default'" in invoke(env, "whoami").stdout
    chosen = json.loads(invoke(keys_env(url, tmp_path), "whoami", "--json", "--profile", "default").stdout)
    assert chosen["credentials"]["access_key_id"] == mask_access_key_id("LTAIother0000key")


def test_no_credentials_is_one_line_naming_every_source(url, tmp_path):
    env = runner_env(url, tmp_path, ALIBABA_CLOUD_ACCESS_KEY_ID=None, ALIBABA_CLOUD_ACCESS_KEY_SECRET=None)
    result = invoke(env, "whoami")
    assert result.exit_code == ExitStatus.API_ERROR
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(
        "error: credentials: no Alibaba Cloud credentials found; sources tried, in order: (1) "
    )
    for place in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "config.json", "credentials URI", "ECS RAM role", "OIDC"):
        assert place in line
    document = json.loads(invoke(env, "whoami", "--json").stdout)
    assert document["error"]["kind"] == "credentials"
    assert len(document["error"]["tried"]) == line.count(") ")


def test_a_failing_fetch_is_a_credentials_error_without_the_token(url, tmp_path, emulator):
    env = oidc_env(url, tmp_path)
    (tmp_path / "oidc-token").write_text("eyJ.unknown-token-never-shown.x", encoding="utf-8")
    result = invoke(env, "whoami", "--fetch")
    assert result.exit_code == ExitStatus.API_ERROR
    assert "AuthenticationFail.OIDCToken.Invalid" in result.stderr
    assert "unknown-token-never-shown" not in result.stdout + result.stderr
