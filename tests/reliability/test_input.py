"""Bad input, property-based: every case is a clear InvalidQuery naming the parameter or a correct answer.

Over the client's parameters (random types and values, times and zones: naive, far past/future, DST
zones), object paths for refresh/push/wait (unicode, reserved characters, very long, empty,
duplicates), the emulator's request parser (random methods, targets, headers, bodies; signed random
parameters for every action) and the CLI (random arguments through click's runner). Faults are off,
so any 500 is our own crash.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.retry import RetryPolicy
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import ApiError, InvalidQuery, TaskNotFound
from alicloud_cdn_refresh.models import RefreshTaskPage
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.settings import ENVIRONMENT_VARIABLES
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from emulator_helpers import Caller
from waiter_helpers import START

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ZONES = [
    ZoneInfo(name) for name in ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")
]
ACTIONS = [v for k, v in vars(Action).items() if k.isupper()]
API_NAMES = {
    "task_id": "TaskId",
    "object_path": "ObjectPath",
    "domain_name": "DomainName",
    "object_type": "ObjectType",
    "status": "Status",
    "start_time": "StartTime",
    "end_time": "EndTime",
    "page_number": "PageNumber",
    "page_size": "PageSize",
    "resource_group_id": "ResourceGroupId",
}


class Rig:
    """An in-process emulator (no faults, no QPS limits) and a client on one ManualClock."""

    def __init__(self) -> None:
        self.clock = ManualClock(START)
        self.emulator = Emulator(clock=self.clock, qps_limits=False, quotas=False, complete_after=5, seed=1)
        self.client = CdnClient(
            credentials=Credentials("testid", "testsecret"),
            transport=self.emulator.transport(),
            clock=self.clock,
            retry=RetryPolicy.never(),
            rate_limit=False,
        )
        self.emulator.seed_task("http://www.example.com/a.txt", created=START - timedelta(hours=1))
        self.emulator.seed_task("http://www.example.com/d/", object_type="directory", status="Complete")


@pytest.fixture(scope="module")
def rig() -> Rig:
    return Rig()


# --- strategies -------------------------------------------------------------------------------------

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
aware = st.datetimes(
    min_value=datetime.min,
    max_value=datetime.max,
    timezones=st.sampled_from([timezone.utc, *ZONES]),
)
near = st.datetimes(
    min_value=datetime(2026, 11, 24),
    max_value=datetime(2026, 12, 2),
    timezones=st.sampled_from([timezone.utc, *ZONES]),
)
naive = st.datetimes(min_value=datetime(2026, 11, 20), max_value=datetime(2026, 12, 5))
time_text = st.one_of(
    st.builds(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"), near),
    st.sampled_from(["2026-11-28T11:00:00Z", "2026-11-28T11:00:00", "2026-02-30T00:00:00Z", "now", "", " "]),
    st.text(max_size=25),
)
times = st.one_of(aware, near, naive, time_text, anything)
values = {
    "task_id": st.one_of(
        anything, st.integers(min_value=0, max_value=10**12), st.from_regex(r"\A[0-9]{1,12}\Z")
    ),
    "object_path": st.one_of(anything, st.text(min_size=1, max_size=200)),
    "domain_name": st.one_of(
        anything, st.sampled_from(["www.example.com", "WWW.Example.COM", "xn--bcher-kva.de"])
    ),
    "object_type": st.one_of(
        anything,
        st.sampled_from(["file", "File", "DIRECTORY", "path", "regex", "preload", "block", "unblock"]),
    ),
    "status": st.one_of(
        anything, st.sampled_from(["Complete", "refreshing", "Failed", "Pending", "Timeout"])
    ),
    "start_time": times,
    "end_time": times,
    "page_number": st.one_of(anything, st.integers(min_value=-3, max_value=200_000)),
    "page_size": st.one_of(anything, st.integers(min_value=-3, max_value=200)),
    "resource_group_id": st.one_of(anything, st.text(max_size=40)),
}
describe_kwargs = st.fixed_dictionaries({}, optional=values)

path_text = st.one_of(
    st.text(max_size=60),
    st.text(
        alphabet=st.sampled_from(list("/?#[]@!$&'()*+,;=% \t\u00e9\u4e2d\U0001f600\u202e\x00")), max_size=30
    ),
    st.builds(lambda n: "a" * n, st.integers(min_value=1000, max_value=2100)),
)
safe_rest = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u0085"),
    max_size=40,
)
url = st.builds(
    lambda scheme, host, rest: f"{scheme}://{host}/{rest}",
    st.sampled_from(["http", "https"]),
    st.sampled_from(["www.example.com", "b.example.com", "EXAMPLE.org:8080"]),
    safe_rest,
)
object_path = st.one_of(
    url,
    url,
    url,
    st.builds(
        lambda host, rest: f"http://{host}/{rest}",
        st.sampled_from(["www.example.com", "b.example.com"]),
        path_text,
    ),
    st.builds(lambda rest: f"https://www.example.com/{rest}/", path_text),
    path_text,
    st.just(""),
)
path_lists = st.one_of(
    st.lists(url, min_size=1, max_size=6),
    st.lists(url, min_size=1, max_size=6),
    st.lists(object_path, max_size=6),
).flatmap(lambda items: st.just(items + items[:1]) if items else st.just(items))  # with a duplicate


def _clear_api_error(error: ApiError) -> None:
    assert error.http_status == 400, error
    # InvalidExtensiveDomain: a wildcard host (a "*" in a URL's host, or in a path without a scheme)
    assert error.code.startswith(
        ("InvalidObjectPath", "InvalidParameter", "InvalidDomain", "InvalidExtensiveDomain")
    ), error
    assert not error.retryable
    event(f"ApiError {error.code}")


def _names_a_parameter(error: InvalidQuery, allowed: set[str]) -> None:
    event(f"InvalidQuery {error.parameter}")
    assert error.parameter in allowed, (error.parameter, allowed, str(error))
    assert str(error).startswith(f"{error.parameter}: ")
    assert len(str(error)) > len(error.parameter) + 5


# --- the client's parameters ------------------------------------------------------------------------


@FUZZ
@given(kwargs=describe_kwargs)
def test_describe_refresh_tasks_any_kwargs(rig, kwargs):
    given_names = {API_NAMES[k] for k, v in kwargs.items() if v is not None}
    try:
        page = rig.client.describe_refresh_tasks(**kwargs)
    except InvalidQuery as error:
        # a missing companion (ObjectType with DomainName/Status, the other time) is named too
        _names_a_parameter(error, given_names | {"ObjectType", "StartTime", "EndTime"})
        return
    assert isinstance(page, RefreshTaskPage)
    event("answered")
    for task in page.tasks:
        if kwargs.get("object_path") is not None:
            assert (
                task.object_path == kwargs["object_path"].strip() or task.object_path == kwargs["object_path"]
            )
        if kwargs.get("task_id") is not None:
            assert task.task_id == str(kwargs["task_id"]).strip()
    assert page.total_count >= len(page.tasks)


@FUZZ
@given(start=st.one_of(aware, naive, near), length=st.integers(min_value=-10, max_value=10**6))
def test_time_windows_in_any_zone(rig, start, length):
    end = start + timedelta(seconds=length)
    try:
        page = rig.client.describe_refresh_tasks(start_time=start, end_time=end)
    except InvalidQuery as error:
        _names_a_parameter(error, {"StartTime", "EndTime"})
        refused = str(error)
    else:
        refused = ""
    if start.tzinfo is None:
        assert "aware" in refused, refused
    if refused:
        return
    assert start.tzinfo is not None
    event("answered")
    lo, hi = start.astimezone(timezone.utc).replace(microsecond=0), end.astimezone(timezone.utc)
    assert all(lo <= t.creation_time <= hi for t in page.tasks)


@FUZZ
@given(paths=path_lists, operation=st.sampled_from(["refresh", "push"]))
def test_submit_any_paths(rig, paths, operation):
    rig.clock.advance(1.5)  # the API merges a domain's paths of one second under one task id
    call = rig.client.refresh_object_caches if operation == "refresh" else rig.client.push_object_cache
    try:
        ids = call(paths)
    except InvalidQuery as error:
        _names_a_parameter(error, {"ObjectPath"})
        return
    except ApiError as error:
        # the emulator's own checks (not an http(s) URL...) are clear 400s
        _clear_api_error(error)
        return
    assert ids
    event("submitted")
    stored = {t.object_path for t in rig.emulator.tasks() if t.task_id in set(ids)}
    assert stored == {p.strip() for p in paths}


@settings(FUZZ, max_examples=60)
@given(paths=path_lists)
def test_wait_any_paths(rig, paths):
    rig.clock.advance(1.5)
    since = rig.clock.now()
    try:
        rig.client.refresh_object_caches(paths)
        submitted = True
    except (InvalidQuery, ApiError):
        submitted = False
    try:
        tasks = wait_for_refresh(
            paths, client=rig.client, since=since, timeout=60, not_found_grace=5, poll_initial=1, poll_max=4
        )
    except InvalidQuery as error:
        _names_a_parameter(error, {"object_paths", "ObjectPath", "DomainName"})
        return
    except TaskNotFound as error:
        not_found: TaskNotFound | None = error
    else:
        not_found = None
    if not_found is not None:
        assert not submitted, not_found  # every submitted path has a task
        assert not_found.paths
        event("TaskNotFound (never submitted)")
        return
    assert submitted
    stripped = [p.strip() for p in dict.fromkeys(paths)]
    assert [t.object_path for t in tasks] == stripped
    assert all(t.status.is_complete and t.creation_time >= since.replace(microsecond=0) for t in tasks)
    event("complete")


# --- the emulator's request parser --------------------------------------------------------------------

header_names = st.one_of(
    st.sampled_from(
        [
            "x-acs-action",
            "x-acs-version",
            "authorization",
            "content-type",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-content-sha256",
            "x-acs-security-token",
            "host",
        ]
    ),
    st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=":"),
        min_size=1,
        max_size=12,
    ),
)
header_values = st.one_of(
    st.sampled_from(
        [
            Action.DESCRIBE_REFRESH_TASKS,
            "2018-05-10",
            "application/x-www-form-urlencoded",
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=00",
            "",
            "Garbage",
        ]
    ),
    st.text(max_size=40),
)
query_part = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Action",
                    "Version",
                    "Signature",
                    "AccessKeyId",
                    "SignatureMethod",
                    "Timestamp",
                    "SignatureNonce",
                    "SignatureVersion",
                    "PageSize",
                    "ObjectPath",
                    "Format",
                    "x",
                ]
            ),
            st.text(max_size=20),
        ),
        max_size=8,
    ).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)),
)


def _check_answer(status: int, body: bytes) -> dict[str, Any]:
    assert status != 500, body
    data = json.loads(body)
    assert isinstance(data, dict)
    assert data.get("RequestId")
    event(f"{status} {data.get('Code', 'OK')}")
    if status >= 400:
        assert data.get("Code"), data
        assert data.get("Message"), data
    assert b"Traceback" not in body
    return data


@FUZZ
@given(
    method=st.one_of(
        st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]), st.text(max_size=8)
    ),
    path=st.one_of(st.just("/"), st.text(max_size=20)),
    query=query_part,
    headers=st.lists(st.tuples(header_names, header_values), max_size=8),
    body=st.one_of(st.binary(max_size=80), query_part.map(str.encode)),
)
def test_emulator_handle_any_raw_request(caplog, method, path, query, headers, body):
    emulator = Emulator(qps_limits=False, seed=1)
    target = path + ("?" + query if query else "")
    with caplog.at_level(logging.ERROR):
        response = emulator.handle(method, target, headers, body)
    assert not response.drop
    assert not response.delay
    _check_answer(response.status, response.body)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@FUZZ
@given(
    action=st.sampled_from([*ACTIONS, "Nope", ""]),
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(
                [
                    "ObjectPath",
                    "ObjectType",
                    "TaskId",
                    "DomainName",
                    "Status",
                    "StartTime",
                    "EndTime",
                    "PageNumber",
                    "PageSize",
                    "Area",
                    "L2Preload",
                    "WithHeader",
                    "Force",
                    "ResourceGroupId",
                ]
            ),
            st.text(min_size=1, max_size=10),
        ),
        st.text(max_size=60),
        max_size=6,
    ),
    version=st.sampled_from(["v3", "v1"]),
)
def test_emulator_signed_random_parameters(caplog, action, params, version):
    emulator = Emulator(qps_limits=False, quotas=False, seed=1)
    caller = Caller(emulator, version=version)
    with caplog.at_level(logging.ERROR):
        try:
            response = caller.raw(action, params)
        except httpx.LocalProtocolError:
            return  # httpx refuses the header value itself (an empty or non-ASCII action); never sent
    _check_answer(response.status_code, response.content)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- the CLI --------------------------------------------------------------------------------------------

cli_values = st.sampled_from(
    [
        "x",
        "0",
        "-1",
        "100",
        "file",
        "Directory",
        "Complete",
        "refreshing",
        "http://www.example.com/a.txt",
        "https://www.example.com/d/",
        "1h",
        "90s",
        "0.1",
        "2026-11-28T11:00:00Z",
        "2026-11-28",
        "\u4e2d",
        "",
        "-",
        "--",
        "{}",
        '{"a": "b"}',
        "domestic",
        "www.example.com",
        "704225667",
        "v1",
    ]
)
cli_options = {
    "tasks": [
        "--task-id",
        "--path",
        "--domain",
        "--object-type",
        "--status",
        "--start",
        "--end",
        "--page",
        "--page-size",
        "--resource-group-id",
        "--all-pages",
        "--json",
    ],
    "quota": ["--json"],
    "wait": ["--task-id", "--since", "--timeout", "--keep-going", "-q", "--json", "--not-found-grace"],
    "refresh": [
        "--wait",
        "--type",
        "--force",
        "--keep-going",
        "-q",
        "--json",
        "--timeout",
        "--ignore-quota",
        "--cache-tag",
        "--domain",
    ],
    "preload": ["--wait", "--area", "--l2-preload", "--with-header", "-q", "--json", "--query-hashkey"],
    "preload-detail": ["--json"],
    "whoami": ["--json", "--profile"],
}
common = ["--signature-version", "--endpoint", "--nope", "-h", "--request-timeout", "--profile"]
cli_args = st.sampled_from(sorted(cli_options)).flatmap(
    lambda command: st.lists(
        st.one_of(
            st.tuples(st.sampled_from(cli_options[command] + common), cli_values).map(list),
            st.tuples(st.sampled_from(cli_options[command])).map(list),
            st.tuples(st.one_of(cli_values, st.text(max_size=12))).map(list),
            st.just(["http://www.example.com/a.txt"]),
        ),
        max_size=5,
    ).map(lambda parts: [command, *(word for part in parts for word in part)])
)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    emulator = Emulator(complete_after_polls=2, qps_limits=False, quotas=False, seed=7)
    env: dict[str, str | None] = dict.fromkeys(ENVIRONMENT_VARIABLES)
    with emulator.serve() as server:
        env.update(
            {
                "HOME": str(tmp_path_factory.mktemp("home")),
                "ALIBABA_CLOUD_CDN_ENDPOINT": server.url,
                "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
            }
        )
        yield env


@settings(FUZZ, max_examples=120)
@given(args=cli_args)
def test_cli_any_arguments(cli_env, args):
    if args[0] in ("refresh", "preload", "wait"):
        # never wait long: the last occurrence of an option wins in click
        args = [
            *args,
            "--timeout",
            "1s",
            "--poll-initial",
            "0.05",
            "--poll-max",
            "0.1",
            "--not-found-grace",
            "0.3",
        ]
    result = CliRunner().invoke(cli, args, env=cli_env, input="")
    event(f"exit {result.exit_code}")
    assert result.exit_code in {0, 1, 2, 3, 4}, (args, result.exit_code, result.output, result.exception)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (args, output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))


# --- the CLI's files and encodings (issue 16) -------------------------------------------------------------

line_text = st.one_of(
    object_path,
    st.builds(lambda path, note: f"{path}  # {note}", url, st.text(max_size=12)),
    st.builds(lambda note: f"# {note}", st.text(max_size=12)),
    st.text(max_size=30),
    st.just(""),
)
path_file_bytes = st.one_of(
    st.binary(max_size=200),
    st.builds(
        lambda lines, newline, bom, encoding: (("\ufeff" if bom else "") + newline.join(lines)).encode(
            encoding, errors="replace"
        ),
        st.lists(line_text, max_size=6),
        st.sampled_from(["\n", "\r\n"]),
        st.booleans(),
        st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16", "cp1252", "shift_jis"]),
    ),
)


@settings(FUZZ, max_examples=80)
@given(data=path_file_bytes, command=st.sampled_from(["refresh", "preload", "wait"]))
def test_cli_any_path_file(cli_env, tmp_path_factory, data, command):
    listing = tmp_path_factory.mktemp("files") / "paths.txt"
    listing.write_bytes(data)
    args = [command, "--from-file", str(listing), "--json", "--ignore-quota"]
    if command == "wait":
        args = [
            command,
            "--from-file",
            str(listing),
            "--json",
            "--timeout",
            "0.3",
            "--not-found-grace",
            "0.1",
        ]
    result = CliRunner().invoke(cli, args, env=cli_env, input="")
    event(f"{command} exit {result.exit_code}")
    assert result.exit_code in {0, 2, 3, 4}, (data, result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    document = json.loads(result.stdout)  # --json: a document on success and on every error alike
    if result.exit_code == 2:
        assert document["error"]["kind"] == "usage"
    elif command != "wait":
        assert document.get("task_ids") or "error" in document


@settings(FUZZ, max_examples=80)
@given(
    lines=st.lists(line_text, max_size=8), bom=st.booleans(), newline=st.sampled_from(["\n", "\r\n", "\r"])
)
def test_path_file_lines_are_stripped_and_never_hold_a_comment(lines, bom, newline):
    from alicloud_cdn_refresh.cli.params import decode_file, parse_lines

    joined = ("\ufeff" if bom else "") + newline.join(lines)
    encoded = joined.encode("utf-8", errors="surrogatepass")
    if "\x00" in joined or any("\ud800" <= c <= "\udfff" for c in joined):
        with pytest.raises(ValueError, match="on line"):  # refused, naming the line
            decode_file(encoded, "f")
        return
    parsed = parse_lines(decode_file(encoded, "f"))
    for line in parsed:
        assert line == line.strip()
        assert line
        assert not line.startswith("#")
        assert not any(line[i] == "#" and line[i - 1].isspace() for i in range(1, len(line)))
        assert line[:1] != "\ufeff"


@settings(FUZZ, max_examples=60)
@given(
    path=st.builds(lambda rest: f"https://www.example.com/{rest}", st.text(min_size=1, max_size=20)),
    charset=st.sampled_from(["ascii", "latin-1", "utf-8"]),
    as_json=st.booleans(),
)
def test_cli_any_path_in_any_terminal_encoding(cli_env, path, charset, as_json):
    args = ["refresh", path, *(["--json"] if as_json else [])]
    result = CliRunner(charset=charset).invoke(cli, args, env=cli_env)
    event(f"{charset} exit {result.exit_code}")
    assert result.exit_code in {0, 2, 4}, (path, charset, result.output, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    if as_json:
        document = json.loads(result.stdout)
        if result.exit_code == 0:
            assert document["object_paths"] == [path.strip()]
