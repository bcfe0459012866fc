"""Whose key signs the CDN calls of the dynamic resources (issue 11), and the cache-tag mode and
IgnoreParams of CacheRefresh (issue 14), through ``python -m pulumi.dynamic`` and the emulator.

The stack's ``alicloud:assumeRole`` makes every CDN call with the STS key of the role; a resource's
own ``assumeRole`` beats the stack's. Which key signed each call is read on the emulator's side.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.products import Action
from envs import clean_environ
from pulumi_engine import DynamicProviderHost, ProviderRpcError
from pulumi_protocol_rig import SECRET, provider_strings, urn

BASE = "testid"
STACK_ROLE = "acs:ram::123456789012:role/stack-deployer"
OWN_ROLE = "acs:ram::210987654321:role/cdn-admin"
A = "http://www.example.com"
CACHE_URN = urn("CacheRefresh", "identity")
CDN_CALLS = (Action.REFRESH_OBJECT_CACHES, Action.DESCRIBE_REFRESH_TASK_BY_ID, Action.DESCRIBE_REFRESH_TASKS)


@dataclass
class IdentityRig:
    emulator: Emulator
    host: DynamicProviderHost
    cache_provider: str

    def signers(self) -> set[str]:
        return {key for action in CDN_CALLS for key in self.emulator.calls_by_access_key(action)}

    def session_keys(self, role: str) -> set[str]:
        return {s.access_key_id for s in self.emulator.sts_sessions if s.role_arn == role}

    def create(self, **values: object) -> dict[str, object]:
        inputs, failures = self.host.check(CACHE_URN, {}, {"__provider": self.cache_provider, **values})
        assert failures == [], failures
        _, outs = self.host.create(CACHE_URN, inputs)
        return outs


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityRig]:
    emulator = Emulator(access_keys={BASE: SECRET}, complete_after=0.2, qps_limits=False)
    emulator.add_role(STACK_ROLE)
    emulator.add_role(OWN_ROLE, external_id="partner-7")
    wait_provider, cache_provider = provider_strings()
    del wait_provider
    with emulator.serve() as server:
        host = DynamicProviderHost(clean_environ(tmp_path_factory.mktemp("home")))
        try:
            host.configure(
                {
                    "alicloud:accessKey": BASE,
                    "alicloud:secretKey": SECRET,
                    "alicloud:assumeRole": json.dumps({"roleArn": STACK_ROLE, "sessionName": "stack"}),
                    "alicloud:endpoints": json.dumps([{"cdn": server.url, "sts": server.url}]),
                }
            )
            yield IdentityRig(emulator, host, cache_provider)
        finally:
            host.close()


def test_the_stacks_assume_role_signs_every_cdn_call_with_the_sts_key(rig: IdentityRig) -> None:
    outs = rig.create(objectPaths=[f"{A}/identity/stack.html"], timeoutSeconds=30)
    assert [t["status"] for t in outs["tasks"]] == ["Complete"]  # type: ignore[union-attr]
    stack_keys = rig.session_keys(STACK_ROLE)
    assert stack_keys
    assert all(key.startswith("STS.") for key in stack_keys)
    assert rig.signers() <= stack_keys
    assert BASE not in rig.signers()  # never the base key
    assert rig.emulator.calls_by_access_key("AssumeRole")[BASE] >= 1  # the base key only assumes


def test_a_resources_own_assume_role_beats_the_stacks(rig: IdentityRig) -> None:
    before = set(rig.signers())
    outs = rig.create(
        objectPaths=[f"{A}/identity/own.html"],
        timeoutSeconds=30,
        assumeRole={"roleArn": OWN_ROLE, "externalId": "partner-7", "sessionName": "own"},
    )
    assert outs["assumeRole"] == {"roleArn": OWN_ROLE, "externalId": "partner-7", "sessionName": "own"}
    own_keys = rig.session_keys(OWN_ROLE)
    assert own_keys
    new_signers = set(rig.signers()) - before
    assert new_signers
    assert new_signers <= own_keys
    sessions = [s for s in rig.emulator.sts_sessions if s.role_arn == OWN_ROLE]
    assert {s.session_name for s in sessions} == {"own"}


def test_a_bad_assume_role_input_is_refused_by_check_naming_the_field(rig: IdentityRig) -> None:
    _, failures = rig.host.check(
        CACHE_URN,
        {},
        {
            "__provider": rig.cache_provider,
            "objectPaths": [f"{A}/x.html"],
            "assumeRole": {"roleArn": "deployer", "sessionExpiration": 60},
        },
    )
    reasons = [reason for prop, reason in failures if prop == "assumeRole"]
    assert any("roleArn must be a role ARN" in reason for reason in reasons), failures
    assert any("sessionExpiration must be 900..43200" in reason for reason in reasons), failures


def test_a_wrong_external_id_is_one_clear_error(rig: IdentityRig) -> None:
    inputs, _ = rig.host.check(
        CACHE_URN,
        {},
        {
            "__provider": rig.cache_provider,
            "objectPaths": [f"{A}/identity/denied.html"],
            "assumeRole": {"roleArn": OWN_ROLE, "externalId": "someone-else"},
        },
    )
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.create(CACHE_URN, inputs)
    assert caught.value.details.startswith("CacheRefresh create failed: ")
    assert "Traceback" not in caught.value.details
    assert SECRET not in caught.value.details


def test_refresh_by_cache_tag_purges_the_tags_and_waits(rig: IdentityRig) -> None:
    before = rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHE_BY_CACHE_TAG]
    outs = rig.create(cacheTags=["product-42", "home"], domainName="www.example.com", timeoutSeconds=30)
    assert outs["operation"] == "refreshByCacheTag"  # the default when cache tags are given
    assert rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHE_BY_CACHE_TAG] == before + 1
    assert outs["taskIds"]
    tasks = outs["tasks"]
    assert isinstance(tasks, list)
    assert {t["status"] for t in tasks} == {"Complete"}
    assert {t["taskId"] for t in tasks} == set(outs["taskIds"])  # type: ignore[arg-type]
    assert outs.get("objectPaths") is None


@pytest.mark.parametrize(
    ("values", "prop", "reason"),
    [
        ({"cacheTags": ["a"]}, "domainName", "give the domain whose cache tags to purge"),
        ({"operation": "refreshByCacheTag", "domainName": "www.example.com"}, "cacheTags", "at least one"),
        (
            {"cacheTags": ["a"], "domainName": "www.example.com", "objectPaths": [f"{A}/a"]},
            "objectPaths",
            "does not apply to operation 'refreshByCacheTag'",
        ),
        ({"objectPaths": [f"{A}/a"], "cacheTags": ["a"], "operation": "refresh"}, "cacheTags", "applies to"),
        ({"cacheTags": ["a"], "domainName": "*.example.com"}, "domainName", "must be a domain name"),
    ],
)
def test_cache_tag_inputs_are_checked(
    rig: IdentityRig, values: dict[str, object], prop: str, reason: str
) -> None:
    _, failures = rig.host.check(CACHE_URN, {}, {"__provider": rig.cache_provider, **values})
    assert [p for p, _ in failures] == [prop], failures
    assert reason in failures[0][1]


def test_ignore_params_refreshes_a_url_whatever_its_query_string(rig: IdentityRig) -> None:
    path = f"{A}/identity/search.html"
    outs = rig.create(objectPaths=[path], objectType="ignoreparams", timeoutSeconds=30)
    assert outs["objectType"] == "IgnoreParams"  # canonical spelling
    tasks = outs["tasks"]
    assert isinstance(tasks, list)
    assert [(t["objectPath"], t["status"]) for t in tasks] == [(path, "Complete")]
