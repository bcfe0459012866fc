"""Issue 15, CLI part: ``--product cdn|dcdn`` (or ``$CDN_REFRESH_PRODUCT``) on every command that talks
to the API, against the emulator, which serves both products at one address with their own tasks
and quotas. What DCDN does not have is refused before credentials are read, naming the flag."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.products import DCDN, PRODUCTS
from alicloud_cdn_refresh.settings import ENV_PRODUCT, ENVIRONMENT_VARIABLES
from cli_rig import FAST, invoke, runner_env

DEAD = "http://127.0.0.1:9"
"""Nothing listens there: a request to it is a network error (exit 4)."""
PATH = "https://api.example.com/v1/menu.json"


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=2, qps_limits=False, seed=15)


@pytest.fixture
def env(url, tmp_path):
    """CDN's endpoint is dead: a DCDN command that reached it would fail."""
    return runner_env(url, tmp_path, ALIBABA_CLOUD_CDN_ENDPOINT=DEAD, ALIBABA_CLOUD_DCDN_ENDPOINT=url)


CHOOSE_DCDN = {
    "flag": ((), ("--product", "dcdn")),
    "flag in any case": ((), ("--product", "DCDN")),
    "environment": (((ENV_PRODUCT, "dcdn"),), ()),
    "environment in any case": (((ENV_PRODUCT, "Dcdn"),), ()),
}


@pytest.fixture(params=list(CHOOSE_DCDN), ids=list(CHOOSE_DCDN))
def dcdn(request, env):
    """``(env, flags)`` choosing DCDN by the flag or by the environment variable."""
    variables, flags = CHOOSE_DCDN[request.param]
    return {**env, **dict(variables)}, flags


def dcdn_paths(emulator):
    return sorted(task.object_path for task in emulator.tasks(product="dcdn"))


def test_the_variable_is_one_the_package_reads_and_tests_clear():
    assert ENV_PRODUCT == "CDN_REFRESH_PRODUCT"
    assert ENV_PRODUCT in ENVIRONMENT_VARIABLES


def test_every_command_that_talks_to_the_api_has_the_flag_and_no_other_does():
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        options = {opt for param in command.params for opt in param.opts}
        talks = name in {"tasks", "wait", "refresh", "preload", "preload-detail", "quota"}
        assert ("--product" in options) is talks, name
        if talks:
            (product,) = [param for param in command.params if "--product" in param.opts]
            assert product.envvar == ENV_PRODUCT
            assert product.default == "cdn"
            assert list(product.type.choices) == list(PRODUCTS)  # type: ignore[attr-defined]


def test_refresh_and_wait_on_dcdn(emulator, dcdn):
    env, flags = dcdn
    submitted = invoke(env, "refresh", *flags, "--json", "--wait", *FAST, PATH)
    assert submitted.exit_code == 0, submitted.stderr
    document = json.loads(submitted.stdout)
    assert document["outcome"] == "complete"
    assert [task["object_path"] for task in document["tasks"]] == [PATH]
    assert dcdn_paths(emulator) == [PATH]
    assert emulator.tasks() == []  # CDN's store is its own
    assert emulator.requests_served["RefreshDcdnObjectCaches"] == 1
    assert emulator.requests_served["RefreshObjectCaches"] == 0
    waited = invoke(env, "wait", *flags, *FAST, "--json", PATH)
    assert waited.exit_code == 0, waited.stderr
    assert [task["status"] for task in json.loads(waited.stdout)["tasks"]] == ["Complete"]
    by_id = invoke(env, "wait", *flags, *FAST, "--task-id", document["task_ids"][0])
    assert by_id.exit_code == 0, by_id.stderr
    assert "All 1 path(s) Complete" in by_id.stdout


def test_tasks_lists_dcdn_tasks_only(emulator, dcdn):
    env, flags = dcdn
    emulator.seed_task("https://a.example.com/cdn.js", status="Complete")
    emulator.seed_task(PATH, status="Complete", product="dcdn")
    result = invoke(env, "tasks", *flags, "--json")
    assert result.exit_code == 0, result.stderr
    assert [task["object_path"] for task in json.loads(result.stdout)["tasks"]] == [PATH]
    assert emulator.requests_served["DescribeDcdnRefreshTasks"] == 1


def test_all_pages_on_dcdn_reads_50_a_page_and_says_so(emulator, env):
    for number in range(120):
        emulator.seed_task(f"https://a.example.com/{number}.js", status="Complete", product="dcdn")
    result = invoke(env, "tasks", "--product", "dcdn", "--all-pages", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["page_size"] == DCDN.limits.max_page_size == 50
    assert len({task["task_id"] for task in document["tasks"]}) == document["total_count"] == 120
    assert emulator.requests_served["DescribeDcdnRefreshTasks"] == 3
    table = invoke(env, "tasks", "--product", "dcdn", "--page-size", "50", "--page", "3")
    assert table.exit_code == 0, table.stderr
    assert "Page 3 of 3: 20 of 120 task(s)" in table.stdout


def test_all_pages_on_cdn_reports_the_page_size_it_used(emulator, env, url):
    emulator.seed_task("https://a.example.com/1.js", status="Complete")
    result = invoke({**env, "ALIBABA_CLOUD_CDN_ENDPOINT": url}, "tasks", "--all-pages", "--json")
    assert json.loads(result.stdout)["page_size"] == 100


def usage_line(result):
    assert result.exit_code == ExitStatus.USAGE, (result.stdout, result.stderr)
    return result.stderr.strip().splitlines()[0]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["tasks", "--page-size", "80"],
            "error: --page-size (PageSize): 80 is more than DCDN lists a page (1..50)",
        ),
        (
            ["tasks", "--resource-group-id", "rg-1"],
            "error: --resource-group-id (ResourceGroupId): DCDN's DescribeDcdnRefreshTasks takes no "
            "ResourceGroupId",
        ),
        (
            ["refresh", "--type", "exquery", PATH],
            "error: --type (ObjectType): 'ExQuery' is not taken by DCDN's RefreshDcdnObjectCaches; "
            "allowed: File, Directory, Regex, IgnoreParams",
        ),
        (
            ["preload", "--consistency-hash", PATH],
            "error: --consistency-hash (ConsistencyHash): DCDN's PreloadDcdnObjectCaches takes no "
            "ConsistencyHash",
        ),
        (
            ["preload-detail", "704225667"],
            "error: DCDN has no preload detail (only CDN has); `cdn-refresh tasks --product dcdn "
            "--task-id 704225667` shows the task",
        ),
    ],
)
def test_what_dcdn_lacks_is_a_usage_error_before_credentials(emulator, env, args, line):
    no_keys = {**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None}
    assert usage_line(invoke(no_keys, *args, "--product", "dcdn")).startswith(line)
    assert sum(emulator.requests_served.values()) == 0
    document = json.loads(invoke(no_keys, *args, "--product", "dcdn", "--json").stdout)
    assert document["error"]["kind"] == "usage"


def test_cdn_still_takes_what_dcdn_lacks(emulator, env, url):
    env = {**env, "ALIBABA_CLOUD_CDN_ENDPOINT": url}
    assert invoke(env, "tasks", "--page-size", "80").exit_code == 0
    assert invoke(env, "refresh", "--type", "exquery", "https://a.example.com/q?x=1").exit_code == 0
    assert invoke(env, "preload", "--consistency-hash", "https://a.example.com/v.mp4").exit_code == 0


def test_a_bad_product_is_a_usage_error_naming_where_it_came_from(env):
    flag = usage_line(invoke(env, "quota", "--product", "esa"))
    assert "'--product'" in flag
    assert "'esa' is not one of 'cdn', 'dcdn'" in flag
    variable = usage_line(invoke({**env, ENV_PRODUCT: "xcdn"}, "quota"))
    assert "CDN_REFRESH_PRODUCT" in variable
    assert "'xcdn' is not one of 'cdn', 'dcdn'" in variable


def test_the_flag_wins_over_the_variable_and_an_empty_variable_is_the_default(emulator, env, url):
    env = {**env, "ALIBABA_CLOUD_CDN_ENDPOINT": url}
    result = invoke({**env, ENV_PRODUCT: "dcdn"}, "refresh", "--product", "cdn", "https://a.example.com/c.js")
    assert result.exit_code == 0, result.stderr
    assert invoke({**env, ENV_PRODUCT: ""}, "refresh", "https://a.example.com/d.js").exit_code == 0
    assert sorted(task.object_path for task in emulator.tasks()) == [
        "https://a.example.com/c.js",
        "https://a.example.com/d.js",
    ]
    assert emulator.tasks(product="dcdn") == []


def test_the_endpoint_is_the_products_and_endpoint_overrides_it(emulator, env, url):
    dead_dcdn = {**env, "ALIBABA_CLOUD_CDN_ENDPOINT": url, "ALIBABA_CLOUD_DCDN_ENDPOINT": DEAD}
    result = invoke(dead_dcdn, "quota", "--product", "dcdn", "--json")
    assert result.exit_code == ExitStatus.API_ERROR
    assert json.loads(result.stdout)["error"]["code"] == "TransportError"  # it asked DCDN's endpoint
    overridden = invoke(dead_dcdn, "quota", "--product", "dcdn", "--endpoint", url, "--json")
    assert overridden.exit_code == 0, overridden.stderr
    assert emulator.requests_served["DescribeDcdnRefreshQuota"] == 1
    malformed = invoke({**env, "ALIBABA_CLOUD_DCDN_ENDPOINT": "ftp://x"}, "quota", "--product", "dcdn")
    assert malformed.exit_code == ExitStatus.USAGE
    assert "ALIBABA_CLOUD_DCDN_ENDPOINT" in malformed.stderr


def test_preload_and_cache_tags_on_dcdn(emulator, dcdn):
    env, flags = dcdn
    preload = invoke(env, "preload", *flags, "--json", "--query-hashkey", "--area", "overseas", PATH)
    assert preload.exit_code == 0, preload.stderr
    assert json.loads(preload.stdout)["query_hashkey"] is True
    tagged = invoke(env, "refresh", *flags, "--json", "--cache-tag", "menu", "--domain", "api.example.com")
    assert tagged.exit_code == 0, tagged.stderr
    assert emulator.requests_served["PreloadDcdnObjectCaches"] == 1
    assert emulator.requests_served["RefreshDcdnObjectCacheByCacheTag"] == 1
    assert sorted(task.object_type.value for task in emulator.tasks(product="dcdn")) == [
        "cachetag",
        "preload",
    ]


def test_quota_on_dcdn_is_its_own(emulator, dcdn, url):
    env, flags = dcdn
    invoke(env, "refresh", *flags, PATH)
    quota = json.loads(invoke(env, "quota", *flags, "--json").stdout)["quota"]
    assert quota["url"]["quota"] - quota["url"]["remain"] == 1
    assert quota["preload_edge"] == {"quota": None, "remain": None}  # DCDN has no such quota
    cdn = json.loads(
        invoke({**env, "ALIBABA_CLOUD_CDN_ENDPOINT": url}, "quota", "--product", "cdn", "--json").stdout
    )
    assert cdn["quota"]["url"]["quota"] == cdn["quota"]["url"]["remain"]
    table = invoke(env, "quota", *flags).stdout
    assert "Daily quota (DCDN)" in table
    assert "Preload to edge" not in table
    assert "URL refresh" in table


def test_a_submit_of_several_calls_checks_dcdns_quota(emulator, env, tmp_path):
    emulator.set_quota("url", 1_200, product="dcdn")
    paths = tmp_path / "paths.txt"
    paths.write_text("".join(f"https://a.example.com/{n}.js\n" for n in range(1_500)), encoding="utf-8")
    result = invoke(env, "refresh", "--product", "dcdn", "--json", "--from-file", str(paths))
    assert result.exit_code == ExitStatus.API_ERROR, result.stderr
    error = json.loads(result.stdout)["error"]
    assert (error["kind"], error["quota_kind"], error["remain"]) == ("quota", "url", 1_200)
    assert emulator.requests_served["DescribeDcdnRefreshQuota"] == 1
    assert emulator.requests_served["RefreshDcdnObjectCaches"] == 0


def test_a_dcdn_hint_names_dcdn(emulator, env):
    emulator.set_service_open(False, product="dcdn")
    result = invoke(env, "quota", "--product", "dcdn", "--json")
    assert result.exit_code == ExitStatus.API_ERROR
    assert json.loads(result.stdout)["error"]["hint"] == (
        "the DCDN service is not activated on this account, or it is suspended"
    )


def test_the_emulator_help_says_it_serves_both_products():
    text = " ".join(invoke({}, "emulator", "--help").stdout.split())
    assert "Serve the offline emulator of the CDN and DCDN APIs" in text
    assert "One address serves both products" in text
    assert "ALIBABA_CLOUD_DCDN_ENDPOINT=URL for --product dcdn" in text


def test_the_readme_dcdn_commands_run_as_written(emulator, env):
    """The README's "CDN or DCDN" shell block, line by line (``export`` sets the environment)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```bash\n(.*?)```", readme, re.DOTALL) if "CDN_REFRESH_PRODUCT" in b)
    ran = 0
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            env = {**env, **dict(word.split("=", 1) for word in words[1:])}
            continue
        assert words[0] == "cdn-refresh", line
        args = [*words[1:], *FAST] if "--wait" in words or words[1] == "wait" else words[1:]
        result = invoke(env, *args)
        assert result.exit_code == 0, (line, result.stderr)
        ran += 1
    assert ran == 4
    assert dcdn_paths(emulator) == [PATH]
    assert emulator.tasks() == []


def test_preload_detail_refuses_dcdn_from_the_variable_too(emulator, env):
    result = invoke({**env, ENV_PRODUCT: "dcdn"}, "preload-detail", "704225667")
    assert usage_line(result).startswith("error: DCDN has no preload detail (only CDN has)")
    assert sum(emulator.requests_served.values()) == 0
