"""Issue 14, CLI part: IgnoreParams in ``refresh --type``, purges by cache tag, per-URL preload detail,
every quota field, and PushObjectCache's QueryHashkey / ConsistencyHash flags."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from rich.console import Console

from alicloud_cdn_refresh.cli.commands import submit
from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.render import quota_table, quota_to_json
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.models import RefreshQuota
from cli_rig import FAST, invoke, runner_env, served


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=2, qps_limits=False, seed=14)


@pytest.fixture
def env(emulator, tmp_path):
    with served(emulator) as url:
        yield runner_env(url, tmp_path)


# -- refresh --type IgnoreParams -------------------------------------------------------------------


def test_the_type_help_lists_ignore_params():
    text = " ".join(invoke({}, "refresh", "--help").stdout.split())
    assert "[File|Directory|Regex|ExQuery|IgnoreParams]" in text
    assert "IgnoreParams (a URL, whatever its query string; ExQuery is its older name)" in text


def test_refresh_ignore_params_uses_its_own_quota(env):
    result = invoke(env, "refresh", "--json", "--type", "ignoreparams", "https://a.example.com/q.js?v=1")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["object_type"] == "ignoreparams"
    quota = json.loads(invoke(env, "quota", "--json").stdout)["quota"]
    assert quota["ignore_params"]["quota"] - quota["ignore_params"]["remain"] == 1
    assert quota["url"]["quota"] == quota["url"]["remain"]


# -- refresh --cache-tag ---------------------------------------------------------------------------


def test_refresh_by_cache_tag_and_wait(emulator, env):
    result = invoke(
        env,
        "refresh",
        "--json",
        "--wait",
        *FAST,
        "--cache-tag",
        "product-42",
        "--cache-tag",
        "home, news",
        "--domain",
        "www.example.com",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["object_type"] == "cachetag"
    assert document["cache_tags"] == ["product-42", "home", "news"]
    assert document["domain"] == "www.example.com"
    assert document["force"] is False
    assert len(document["task_ids"]) == 1
    assert document["outcome"] == "complete"
    assert sorted(task["object_path"] for task in document["tasks"]) == ["home", "news", "product-42"]
    text = invoke(env, "refresh", "--cache-tag", "footer", "--domain", "www.example.com", "--force")
    assert text.stdout.startswith("Submitted refresh of 1 cache tag(s): task id(s) ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--cache-tag", "a"], "--cache-tag and --domain go together"),
        (["--domain", "www.example.com"], "--cache-tag and --domain go together"),
        (["--cache-tag", "a", "--domain", "www.example.com", "https://x.example.com/a"], "not both"),
        (["--cache-tag", "a", "--domain", "www.example.com", "--type", "Regex"], "--type does not apply"),
        (["--cache-tag", ",", "--domain", "www.example.com"], "give at least one cache tag"),
        (["--cache-tag", "a", "--domain", "https://www.example.com/"], "is not a domain name"),
    ],
)
def test_cache_tag_usage_errors(emulator, env, args, expected):
    result = invoke(env, "refresh", *args)
    assert result.exit_code == ExitStatus.USAGE, result.stderr
    assert expected in result.stderr
    assert sum(emulator.requests_served.values()) == 0


# -- preload --query-hashkey / --consistency-hash --------------------------------------------------


def test_preload_flags_reach_the_client_only_when_given(env, monkeypatch):
    calls = []

    class Client:
        def push_object_cache(self, paths, **kwargs):
            calls.append(kwargs)
            return ["7"]

    @contextmanager
    def open_client(endpoint, signature_version):
        yield Client()

    monkeypatch.setattr(submit, "open_client", open_client)
    path = "https://a.example.com/v.mp4"
    document = json.loads(
        invoke(env, "preload", "--json", "--query-hashkey", "--no-consistency-hash", path).stdout
    )
    assert (document["query_hashkey"], document["consistency_hash"]) == (True, False)
    invoke(env, "preload", path)
    assert calls[0]["query_hashkey"] is True
    assert calls[0]["consistency_hash"] is False
    assert "query_hashkey" not in calls[1]
    assert "consistency_hash" not in calls[1]


def test_preload_flags_against_the_emulator(env):
    result = invoke(env, "preload", "--query-hashkey", "--consistency-hash", "https://a.example.com/v.mp4")
    assert result.exit_code == 0, result.stderr


# -- preload-detail --------------------------------------------------------------------------------


def test_preload_detail_table_and_json(env):
    submitted = json.loads(
        invoke(env, "preload", "--json", "https://a.example.com/a.mp4", "https://a.example.com/b.mp4").stdout
    )
    (task_id,) = submitted["task_ids"]
    document = json.loads(invoke(env, "preload-detail", task_id, "--json").stdout)
    assert document["version"] == 1
    assert document["request_id"]
    (detail,) = document["details"]
    assert detail["task_id"] == task_id
    assert detail["domain"] == "a.example.com"
    assert sorted(item["url"] for item in detail["urls"]) == [
        "https://a.example.com/a.mp4",
        "https://a.example.com/b.mp4",
    ]
    assert all(isinstance(item["success_percent"], float) for item in detail["urls"])
    table = invoke(env, "preload-detail", task_id)
    assert table.exit_code == 0, table.stderr
    assert f"Preload task {task_id} (a.example.com)" in table.stdout
    assert "https://a.example.com/b.mp4" in table.stdout


def test_preload_detail_for_an_account_not_on_the_list(emulator, env):
    emulator.set_preload_detail_allowed(False)
    result = invoke(env, "preload-detail", "704225667")
    assert result.exit_code == ExitStatus.API_ERROR
    assert "OperationDenied" in result.stderr
    assert "hint: only accounts on Alibaba Cloud's list may read preload details" in result.stderr


@pytest.mark.parametrize("task_id", ["abc", "1,2", ""])
def test_preload_detail_refuses_what_is_not_one_task_id(emulator, env, task_id):
    result = invoke(env, "preload-detail", task_id)
    assert result.exit_code == ExitStatus.USAGE, result.stderr
    assert sum(emulator.requests_served.values()) == 0


# -- quota: every field ----------------------------------------------------------------------------


def test_quota_fields_the_service_did_not_report_are_null_and_dashes():
    quota = RefreshQuota(10, 9, 100, 100, 20, 20, 1000, 1000, request_id="r")
    document = quota_to_json(quota)
    assert document["quota"]["ignore_params"] == {"quota": None, "remain": None}
    assert document["quota"]["url"] == {"quota": 10, "remain": 9}
    console = Console(width=100, file=None, record=True)
    console.print(quota_table(quota))
    text = console.export_text()
    assert "IgnoreParams refresh" in text
    assert "Preload to edge (L1)" in text
