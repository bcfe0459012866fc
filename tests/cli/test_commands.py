"""Each ``cdn-refresh`` subcommand against the emulator served on 127.0.0.1, with every exit code.

The CLI runs in-process (click's runner) with the endpoint and the test keys in the environment,
exactly as a user would configure it; the emulator completes a task on the third answer that shows
it, and the waits poll every 0.05 s, so no test really waits long.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.emulator import FAILURE_DESCRIPTIONS, Emulator
from alicloud_cdn_refresh.settings import ENVIRONMENT_VARIABLES

SECRET = "testsecret"
FAST = ["--poll-initial", "0.05", "--poll-max", "0.1"]
TASK_KEYS = {"task_id", "object_path", "status", "process", "object_type", "creation_time", "description"}
ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def emulator():
    # Status moves with answers, not time: Pending, Refreshing, then final on the third answer.
    return Emulator(complete_after_polls=3, fail_paths=r"/broken", qps_limits=False, seed=7)


@pytest.fixture
def server(emulator):
    with emulator.serve() as running:
        yield running


@pytest.fixture
def env(server, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.aliyun/config.json
    values = dict.fromkeys(ENVIRONMENT_VARIABLES)
    values.update(
        {
            "ALIBABA_CLOUD_CDN_ENDPOINT": server.url,
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET,
        }
    )
    return values


def run(env, *args, input=None):
    result = CliRunner().invoke(cli, list(args), env=env, input=input)
    assert "Traceback" not in result.stdout + result.stderr or "--debug" in args, result.stderr
    return result


def check_task(item):
    assert set(item) == TASK_KEYS
    assert isinstance(item["process"], int)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["creation_time"])
    assert item["status"] in {"Pending", "Refreshing", "Complete", "Failed"}


# -- tasks -----------------------------------------------------------------------------------------


def test_tasks_json_schema_and_filters(emulator, env):
    now = datetime.now(timezone.utc)
    emulator.seed_task("https://a.example.com/1.txt", status="Complete", created=now - timedelta(hours=1))
    emulator.seed_task(
        "https://a.example.com/2.txt",
        status="Failed",
        created=now - timedelta(hours=2),
        description="Origin Timeout",
    )
    emulator.seed_task("https://a.example.com/d/", status="Complete", object_type="directory")

    result = run(env, "tasks", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"version", "tasks", "total_count", "page_number", "page_size", "request_id"}
    assert document["version"] == 1
    assert document["total_count"] == 3
    assert document["page_number"] == 1
    assert document["request_id"]
    for item in document["tasks"]:
        check_task(item)

    failed = json.loads(run(env, "tasks", "--json", "--object-type", "file", "--status", "failed").stdout)
    assert [(t["object_path"], t["description"]) for t in failed["tasks"]] == [
        ("https://a.example.com/2.txt", "Origin Timeout")
    ]
    by_path = json.loads(run(env, "tasks", "--json", "--path", "https://a.example.com/1.txt").stdout)
    assert [t["status"] for t in by_path["tasks"]] == ["Complete"]
    window = json.loads(run(env, "tasks", "--json", "--start", "90m", "--end", "now").stdout)
    assert {t["object_path"] for t in window["tasks"]} == {
        "https://a.example.com/1.txt",
        "https://a.example.com/d/",
    }


def test_tasks_all_pages_returns_each_task_once(emulator, env):
    for number in range(7):
        emulator.seed_task(f"https://a.example.com/{number}.txt", status="Complete")
    document = json.loads(run(env, "tasks", "--json", "--all-pages", "--page-size", "3").stdout)
    assert document["page_number"] is None
    assert document["total_count"] == 7
    assert sorted(t["object_path"] for t in document["tasks"]) == [
        f"https://a.example.com/{n}.txt" for n in range(7)
    ]
    default_size = run(env, "tasks", "--all-pages")
    assert default_size.exit_code == 0, default_size.stderr
    assert "7 task(s), all pages" in default_size.stdout
    page = json.loads(run(env, "tasks", "--json", "--page", "3", "--page-size", "3").stdout)
    assert (page["page_number"], page["page_size"], len(page["tasks"])) == (3, 3, 1)


def test_tasks_table_is_readable(emulator, env):
    emulator.seed_task("https://a.example.com/ok.txt", status="Complete")
    emulator.seed_task(
        "https://a.example.com/bad.txt", status="Failed", description="Origin Return StatusCode 5XX"
    )
    result = run(env, "tasks")
    assert result.exit_code == 0
    out = result.stdout
    for column in ("Status", "Progress", "Path", "Created (UTC)", "Description"):
        assert column in out
    assert "https://a.example.com/bad.txt" in out
    assert "Origin Return StatusCode 5XX" in out
    assert "Page 1 of 1: 2 of 2 task(s)" in out
    assert not ANSI.search(out)  # not a terminal: no colour codes


def test_tasks_empty_says_so(env):
    result = run(env, "tasks")
    assert result.exit_code == 0
    assert "No tasks match" in result.stdout


def test_tasks_missing_object_type_is_usage_error(env):
    result = run(env, "tasks", "--domain", "a.example.com")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ")
    assert "ObjectType" in result.stderr or "object_type" in result.stderr or "object-type" in result.stderr


# -- refresh / preload / wait ----------------------------------------------------------------------


def test_refresh_with_wait_exits_0_and_prints_json(env):
    result = run(
        env, "refresh", "--json", "--wait", *FAST, "https://a.example.com/x.js", "https://a.example.com/y.js"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["operation"] == "refresh"
    assert document["object_type"] == "file"  # issue 16: one spelling, as tasks report it
    assert document["object_paths"] == ["https://a.example.com/x.js", "https://a.example.com/y.js"]
    assert document["task_ids"]
    assert document["outcome"] == "complete"
    assert {t["object_path"] for t in document["tasks"]} == set(document["object_paths"])
    assert all(t["status"] == "Complete" for t in document["tasks"])
    assert document["failed"] == []
    assert document["pending"] == []


def test_refresh_from_stdin_directory_type(env):
    result = run(
        env, "refresh", "--type", "directory", "--from-file", "-", input="# dirs\nhttps://a.example.com/d/\n"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Submitted refresh of 1 path(s): task id(s) ")


def test_preload_then_wait_by_path(env):
    submitted = run(env, "preload", "--json", "--area", "Domestic", "https://a.example.com/big.bin")
    assert submitted.exit_code == 0, submitted.stderr
    document = json.loads(submitted.stdout)
    assert document["object_type"] == "preload"
    assert document["area"] == "domestic"
    waited = run(env, "wait", *FAST, "https://a.example.com/big.bin")
    assert waited.exit_code == 0, waited.stderr
    assert "All 1 path(s) Complete" in waited.stdout
    assert "preload" in waited.stdout  # the table


def test_wait_failed_exit_1_lists_path_and_description(env):
    run(env, "refresh", "https://a.example.com/broken/a.js", "https://a.example.com/ok.js")
    result = run(
        env, "wait", *FAST, "--json", "https://a.example.com/broken/a.js", "https://a.example.com/ok.js"
    )
    assert result.exit_code == 1, result.stderr
    assert "error: 1 path(s) failed:" in result.stderr
    line = next(
        line for line in result.stderr.splitlines() if line.startswith("  https://a.example.com/broken")
    )
    assert any(description in line for description in FAILURE_DESCRIPTIONS), line
    document = json.loads(result.stdout)
    assert document["outcome"] == "failed"
    assert [t["object_path"] for t in document["failed"]] == ["https://a.example.com/broken/a.js"]
    assert document["failed"][0]["description"] in FAILURE_DESCRIPTIONS


def test_wait_keep_going_still_exits_1(env):
    run(env, "refresh", "https://a.example.com/broken/b.js", "https://a.example.com/fine.js")
    result = run(
        env,
        "wait",
        *FAST,
        "--keep-going",
        "https://a.example.com/broken/b.js",
        "https://a.example.com/fine.js",
    )
    assert result.exit_code == 1, result.stderr
    assert "broken/b.js" in result.stderr


def test_a_keep_going_timeout_still_reports_the_paths_that_failed(env, emulator):
    emulator.seed_task("https://a.example.com/gone.js", status="Failed", description="InternalError")
    emulator.seed_task("https://a.example.com/done.js", status="Complete")
    emulator.seed_task("https://a.example.com/slow.js", status="Refreshing", process=40)
    paths = [
        "https://a.example.com/gone.js",
        "https://a.example.com/done.js",
        "https://a.example.com/slow.js",
    ]
    result = run(env, "wait", *FAST, "--keep-going", "--timeout", "0.5", "--json", *paths)
    assert result.exit_code == 3, result.stderr
    document = json.loads(result.stdout)
    assert document["outcome"] == "timeout"
    assert [t["object_path"] for t in document["failed"]] == [paths[0]]
    assert sorted(t["object_path"] for t in document["tasks"]) == sorted(paths[:2])
    assert [p["object_path"] for p in document["pending"]] == [paths[2]]
    assert "error: 1 path(s) failed:" in result.stderr
    assert "https://a.example.com/gone.js" in result.stderr


def test_wait_timeout_exit_3_lists_pending_with_last_status(env, emulator):
    emulator.seed_task("https://a.example.com/slow.js", status="Refreshing", process=40)
    result = run(env, "wait", *FAST, "--timeout", "0.3", "https://a.example.com/slow.js")
    assert result.exit_code == 3, result.stderr
    assert "not Complete" in result.stderr
    assert re.search(r"https://a\.example\.com/slow\.js: Refreshing 40%", result.stderr), result.stderr


def test_wait_by_task_id(env):
    submitted = json.loads(run(env, "refresh", "--json", "https://a.example.com/t.js").stdout)
    task_id = submitted["task_ids"][0]
    result = run(env, "wait", *FAST, "--task-id", task_id, "--json")
    assert result.exit_code == 0, result.stderr
    assert [t["task_id"] for t in json.loads(result.stdout)["tasks"]] == [task_id]


def test_wait_non_terminal_prints_one_plain_line_per_round(env):
    result = run(env, "refresh", "--wait", *FAST, "https://a.example.com/p.js")
    assert result.exit_code == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if " round " in line]
    assert len(progress) >= 3, result.stderr
    rounds = [int(re.search(r"round (\d+):", line).group(1)) for line in progress]
    assert rounds == list(range(rounds[0], rounds[0] + len(rounds)))  # one line each round, in order
    assert re.fullmatch(
        r"\[\s*\d+\.\ds\] round \d+: 1/1 complete, 0 refreshing, 0 pending, 0 failed; done", progress[-1]
    ), progress[-1]
    assert not ANSI.search(result.stderr + result.stdout)


# -- quota -----------------------------------------------------------------------------------------


def test_quota_json_and_table(env):
    run(env, "refresh", "https://a.example.com/q1.js", "https://a.example.com/q2.js")
    document = json.loads(run(env, "quota", "--json").stdout)
    assert document["version"] == 1
    # issue 14: every quota field the API reports, IgnoreParams and PreloadEdge included
    assert set(document["quota"]) == {
        "url",
        "dir",
        "regex",
        "preload",
        "block",
        "ignore_params",
        "preload_edge",
    }
    for numbers in document["quota"].values():
        assert set(numbers) == {"quota", "remain"}
        assert all(isinstance(value, int) for value in numbers.values())
    assert document["quota"]["url"]["quota"] - document["quota"]["url"]["remain"] == 2
    table = run(env, "quota").stdout
    assert "URL refresh" in table
    assert "Remaining" in table
    assert "IgnoreParams refresh" in table


# -- errors: exit 4, no traceback, no secret ---------------------------------------------------------


def test_wrong_secret_exit_4_with_code_message_request_id(env):
    env = {**env, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret-value-123"}
    result = run(env, "tasks")
    assert result.exit_code == 4
    first = result.stderr.splitlines()[0]
    assert re.search(r"error: API error SignatureDoesNotMatch: .+ request id [0-9A-F-]{8,}", first), first
    assert "hint:" in result.stderr
    assert "wrong-secret-value-123" not in result.stdout + result.stderr


def test_api_error_json_document(env):
    env = {**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": "nosuchkey"}
    result = run(env, "quota", "--json")
    assert result.exit_code == 4
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "api"
    assert error["code"] == "InvalidAccessKeyId.NotFound"
    assert error["request_id"]


def test_missing_credentials_exit_4_names_the_places(env):
    env = {**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None}
    result = run(env, "tasks")
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: credentials: ")
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in lines[0]


def test_unreachable_endpoint_exit_4(env):
    result = run(env, "tasks", "--endpoint", "http://127.0.0.1:9")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_debug_shows_traceback_but_never_the_secret(env):
    secret = "Sup3r-Secret/Value+With=Chars"
    env = {**env, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": secret, "ALIBABA_CLOUD_SECURITY_TOKEN": "tok-" + secret}
    for version in ("v3", "v1"):
        result = run(env, "tasks", "--debug", "--signature-version", version)
        assert result.exit_code == 4
        output = result.stdout + result.stderr
        assert "Traceback" in output
        assert "API error" in output
        for shown in (
            secret,
            "tok-" + secret,
            secret.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D"),
        ):
            assert shown not in output


def test_internal_error_has_no_traceback_without_debug(env, monkeypatch):
    import alicloud_cdn_refresh.cli.commands.submit as cli_module

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_module, "collect_paths", explode)
    result = run(env, "refresh", "x")
    assert result.exit_code == 5
    assert (
        result.stderr.strip()
        == "error: internal error: RuntimeError: boom (run with --debug for the traceback)"
    )
    debug = run(env, "refresh", "--debug", "x")
    assert debug.exit_code == 5
    assert "Traceback" in debug.stderr


# -- demo --------------------------------------------------------------------------------------------


def test_demo_ignores_configured_credentials_and_endpoint(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {
        "ALIBABA_CLOUD_CDN_ENDPOINT": "http://127.0.0.1:9",  # nothing listens there
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI-real-looking-key",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "real-looking-secret",
    }
    result = CliRunner().invoke(cli, ["demo", "--complete-after", "0.5"], env=env)
    assert result.exit_code == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"Demo done: 6/6 paths Complete \(4 refresh, 2 preload\), 0 failed, in \d+\.\ds\.", last
    )
    assert "real-looking" not in result.stdout + result.stderr


def test_demo_with_failure_lists_it_and_exits_1(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["demo", "--with-failure", "--complete-after", "0.3"])
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "error: 1 path(s) failed:" in result.stderr
    prefix = "  https://example.com/broken/"
    line = next(line for line in result.stderr.splitlines() if line.startswith(prefix))
    assert any(description in line for description in FAILURE_DESCRIPTIONS), line
    assert result.stdout.strip().splitlines()[-1].startswith("Demo done: 6/7 paths Complete")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["tasks", "--start", "2h"], "error: --end (EndTime): "),
        (["tasks", "--status", "failed"], "error: --object-type (ObjectType): "),
        (["tasks", "--task-id", "x1"], "error: --task-id (TaskId): "),
        (["tasks", "--start", "5d", "--end", "now"], "error: --start (StartTime): "),
    ],
)
def test_values_the_client_refuses_name_the_flag_and_exit_2(env, args, expected):
    result = run(env, *args)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(expected), lines[0]
