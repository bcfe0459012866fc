"""Issue 16, "Also expected of a mature CLI" and the endpoint bullets: endpoints checked before any
request, ``--profile``, ``--request-timeout``, ``python -m alicloud_cdn_refresh``, ``__version__``
and shell completion."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from importlib.metadata import version

import pytest

import alicloud_cdn_refresh
from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.emulator import Emulator
from cli_rig import invoke, process_env, run_process

URL = "https://a.example.com/x.js"


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=1, qps_limits=False, seed=4)


def usage_line(result):
    assert result.exit_code == ExitStatus.USAGE, (result.stdout, result.stderr)
    (line,) = result.stderr.strip().splitlines()
    return line


# -- endpoints -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is empty (an unset variable?)"),
        ("  ", "is empty (an unset variable?)"),
        ("http://127.0.0.1:9000/cdn/", "has a path (/cdn/)"),
        ("http://127.0.0.1:99999", "has no valid port (1..65535)"),
        ("ftp://cdn.aliyuncs.com", "is not a host or an http(s) URL"),
        ("http://", "is not a host or an http(s) URL"),
    ],
)
@pytest.mark.parametrize("args", [["quota"], ["refresh", URL], ["wait", URL]])
def test_a_bad_endpoint_is_a_usage_error_before_any_request(emulator, env, value, reason, args):
    no_credentials = {**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None}
    line = usage_line(invoke(no_credentials, *args, "--endpoint", value))
    assert line.startswith("error: Invalid value for '--endpoint': "), line
    assert reason in line
    assert sum(emulator.requests_served.values()) == 0


def test_a_bad_endpoint_from_the_environment_is_a_usage_error_naming_it(emulator, env):
    env = {
        **env,
        "ALIBABA_CLOUD_CDN_ENDPOINT": "http://127.0.0.1:8080/api",
        "ALIBABA_CLOUD_ACCESS_KEY_ID": None,
    }
    line = usage_line(invoke(env, "quota"))
    assert "from environment ALIBABA_CLOUD_CDN_ENDPOINT has a path" in line
    assert sum(emulator.requests_served.values()) == 0


def test_a_good_endpoint_with_a_trailing_slash_works(env, url):
    assert invoke(env, "quota", "--endpoint", url + "/").exit_code == 0


# -- --profile -------------------------------------------------------------------------------------


def write_profiles(home, current, **profiles):
    folder = home / ".aliyun"
    folder.mkdir()
    body = {
        "current": current,
        "profiles": [
            {"name": name, "mode": "AK", "access_key_id": key, "access_key_secret": secret}
            for name, (key, secret) in profiles.items()
        ],
    }
    (folder / "config.json").write_text(json.dumps(body), encoding="utf-8")


def test_profile_picks_a_profile_of_the_shared_file(env, tmp_path):
    write_profiles(tmp_path, "default", default=("nosuchkey", "x"), ci=("testid", "testsecret"))
    env = {**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None}
    assert invoke(env, "quota").exit_code == ExitStatus.API_ERROR  # the current profile: unknown key
    assert invoke(env, "quota", "--profile", "ci").exit_code == 0
    missing = invoke(env, "quota", "--profile", "nope", "--json")
    assert missing.exit_code == ExitStatus.API_ERROR
    assert json.loads(missing.stdout)["error"]["kind"] == "credentials"
    assert "nope" in missing.stderr


# -- --request-timeout -----------------------------------------------------------------------------


@pytest.fixture
def silent_url():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def test_request_timeout_bounds_each_request(env, silent_url):
    started = time.monotonic()
    result = invoke(env, "quota", "--json", "--endpoint", silent_url, "--request-timeout", "200ms")
    assert result.exit_code == ExitStatus.API_ERROR, result.stderr
    assert time.monotonic() - started < 15
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "TransportError"
    assert "ReadTimeout" in error["message"]


@pytest.mark.parametrize("value", ["0", "-1", "soon", "1d"])
def test_request_timeout_refuses_what_is_not_a_sensible_duration(env, value):
    line = usage_line(invoke(env, "quota", "--request-timeout", value))
    assert "'--request-timeout'" in line


def test_wait_keeps_timeout_for_the_whole_wait_and_has_request_timeout_too():
    text = " ".join(invoke({}, "wait", "--help").stdout.split())
    assert "--timeout DURATION Give up after this long" in text
    assert "--request-timeout DURATION Give up on one HTTP request" in text


# -- python -m, __version__, completion ------------------------------------------------------------


def test_python_m_runs_the_cli_and_version_is_the_metadata(url, tmp_path):
    installed = version("pulumi-alicloud-cdn-refresh")
    assert alicloud_cdn_refresh.__version__ == installed
    shown = run_process(process_env(url, tmp_path), "--version")
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"cdn-refresh, version {installed}"
    listed = run_process(process_env(url, tmp_path), "quota", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["quota"]["url"]["quota"] == 10_000


def test_shell_completion_is_clicks_and_works(url, tmp_path):
    env = process_env(url, tmp_path, _CDN_REFRESH_COMPLETE="bash_source")
    code = "from alicloud_cdn_refresh.cli import main; main()"
    source = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert source.returncode == 0, source.stderr
    assert "_cdn_refresh_completion()" in source.stdout
    words = {
        **env,
        "_CDN_REFRESH_COMPLETE": "bash_complete",
        "COMP_WORDS": "cdn-refresh quo",
        "COMP_CWORD": "1",
    }
    completed = subprocess.run(
        [sys.executable, "-c", code], env=words, capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["plain,quota"]
