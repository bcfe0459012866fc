"""schema/schema.json is the plugin's schema: what GetSchema serves, and what the plugin's code accepts
and answers (``tests/pulumi/test_schema.py`` holds it equal to the dynamic resources as well).

In process: the plugin's configuration checks, the behaviours' input and output names, the data
source's arguments and result (one query against an emulator server). A mutation test proves the
comparison can fail.
"""

from __future__ import annotations

import copy
import json
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.plugin.configuration import SECRET_KEYS, check_config
from alicloud_cdn_refresh.plugin.schema import plugin_version, schema_text
from alicloud_cdn_refresh.pulumi.identity import Identity
from alicloud_cdn_refresh.pulumi.inputs import CACHE_REFRESH_INPUTS, REFRESH_WAIT_INPUTS
from alicloud_cdn_refresh.pulumi.previews import CACHE_REFRESH_OUTPUTS, REFRESH_WAIT_OUTPUTS
from alicloud_cdn_refresh.pulumi.queries import QUERY_ARGUMENTS, run_query
from alicloud_cdn_refresh.settings import CONFIG_KEYS

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "schema.json"
PKG = "alicloud-cdn-refresh"
FUNCTION = f"{PKG}:index:getRefreshTasks"
RESOURCES = {
    f"{PKG}:index:RefreshWait": (REFRESH_WAIT_INPUTS, REFRESH_WAIT_OUTPUTS),
    f"{PKG}:index:CacheRefresh": (CACHE_REFRESH_INPUTS, CACHE_REFRESH_OUTPUTS),
}
VALID_CONFIG: dict[str, Any] = {
    "accessKey": "LTAI-test",
    "secretKey": "secret",
    "securityToken": "token",
    "region": "cn-hangzhou",
    "profile": "ci",
    "sharedCredentialsFile": "/tmp/config.json",
    "endpoints": json.dumps(
        [{"cdn": "http://127.0.0.1:9000", "dcdn": "dcdn.aliyuncs.com", "sts": "sts.aliyuncs.com"}]
    ),
    "ecsRoleName": "deployer",
    "credentialsUri": "http://127.0.0.1:9001/credentials",
    "assumeRole": json.dumps({"roleArn": "acs:ram::123456789012:role/deployer", "sessionName": "ci"}),
    "assumeRoleWithOidc": {
        "oidcProviderArn": "acs:ram::123456789012:oidc-provider/ci",
        "roleArn": "acs:ram::123456789012:role/ci",
        "oidcTokenFile": "/var/run/token",
    },
}


def load() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def plugin_mismatches(schema: dict[str, Any]) -> list[str]:
    """Every disagreement between the plugin's code and ``schema``; empty when they agree."""
    problems: list[str] = []
    variables = schema.get("config", {}).get("variables", {})
    provider = schema.get("provider", {}).get("inputProperties", {})
    if set(variables) != set(CONFIG_KEYS):
        problems.append(f"config.variables {sorted(variables)} != the keys read {sorted(CONFIG_KEYS)}")
    if provider != variables:
        problems.append("provider.inputProperties differ from config.variables")
    secret = {key for key, spec in provider.items() if spec.get("secret")}
    if secret != set(SECRET_KEYS):
        problems.append(f"secret configuration {sorted(secret)} != {sorted(SECRET_KEYS)}")
    for token, (inputs, outputs) in RESOURCES.items():
        spec = schema["resources"].get(token, {})
        if set(spec.get("inputProperties", {})) != set(inputs):
            problems.append(f"{token}: inputs {sorted(spec.get('inputProperties', {}))} != {sorted(inputs)}")
        if set(spec.get("properties", {})) != set(inputs) | set(outputs):
            problems.append(f"{token}: properties != inputs + {sorted(outputs)}")
    function = schema["functions"].get(FUNCTION, {})
    if set(function.get("inputs", {}).get("properties", {})) != set(QUERY_ARGUMENTS):
        problems.append(f"{FUNCTION}: inputs != {sorted(QUERY_ARGUMENTS)}")
    for ref in _refs(schema):
        if ref.startswith("#/types/") and ref[len("#/types/") :] not in schema["types"]:
            problems.append(f"{ref}: no such type")
    return problems


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return found + [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def test_the_plugin_serves_this_file_and_its_version() -> None:
    assert schema_text() == SCHEMA_PATH.read_text(encoding="utf-8")
    assert plugin_version() == load()["version"] == metadata.version("pulumi-alicloud-cdn-refresh")


def test_the_schema_agrees_with_the_plugin() -> None:
    assert plugin_mismatches(load()) == []


def test_every_configuration_key_the_schema_names_is_accepted() -> None:
    inputs, failures = check_config(VALID_CONFIG)
    assert failures == []
    assert set(VALID_CONFIG) == set(load()["provider"]["inputProperties"])
    assert inputs == VALID_CONFIG
    _, failures = check_config({**VALID_CONFIG, "acessKey": "typo"})
    assert [failure.property for failure in failures] == ["acessKey"]


def test_each_language_gets_an_idiomatic_name() -> None:
    language = load()["language"]
    assert language["nodejs"]["packageName"] == "@cdn-refresh/alicloud-cdn-refresh"
    go = language["go"]
    assert go["importBasePath"].endswith("/sdk/go/" + go["rootPackageName"])
    assert go["rootPackageName"] == "alicloudcdnrefresh"
    csharp = language["csharp"]
    assert f"{csharp['rootNamespace']}.{csharp['namespaces'][PKG]}" == "Pulumi.AlicloudCdnRefresh"
    assert language["python"]["packageName"] == "pulumi_alicloud_cdn_refresh_sdk"


def test_the_data_source_answers_exactly_the_functions_outputs() -> None:
    emulator = Emulator(access_keys={"testid": "testsecret"}, complete_after=0.0, qps_limits=False)
    path = "http://www.example.com/schema.txt"
    emulator.seed_task(path, status="Complete")
    with emulator.serve() as server:
        config = {
            "alicloud:accessKey": "testid",
            "alicloud:secretKey": "testsecret",
            "alicloud:endpoints": json.dumps([{"cdn": server.url}]),
        }
        result = run_query({"objectPath": path}, config, Identity())
    outputs = load()["functions"][FUNCTION]["outputs"]
    assert set(result) == set(outputs["properties"])
    assert set(outputs["required"]) <= {key for key, value in result.items() if value is not None}


def _drop_config(schema: dict[str, Any]) -> None:
    del schema["config"]["variables"]["profile"]


def _not_secret(schema: dict[str, Any]) -> None:
    del schema["provider"]["inputProperties"]["secretKey"]["secret"]


def _drop_output(schema: dict[str, Any]) -> None:
    del schema["resources"][f"{PKG}:index:CacheRefresh"]["properties"]["unconfirmedPaths"]


def _bad_ref(schema: dict[str, Any]) -> None:
    schema["config"]["variables"]["endpoints"]["items"]["$ref"] = "#/types/alicloud-cdn-refresh:index:Nope"
    schema["provider"]["inputProperties"] = schema["config"]["variables"]


def _drop_argument(schema: dict[str, Any]) -> None:
    del schema["functions"][FUNCTION]["inputs"]["properties"]["product"]


@pytest.mark.parametrize("mutate", [_drop_config, _not_secret, _drop_output, _bad_ref, _drop_argument])
def test_a_schema_that_disagrees_with_the_plugin_is_caught(mutate: Any) -> None:
    schema = copy.deepcopy(load())
    mutate(schema)
    assert plugin_mismatches(schema) != []
