"""The emulator as a real server: loopback only, concurrent clients, faults on the wire, clean shutdown."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from alicloud_cdn_refresh import products
from alicloud_cdn_refresh.cli.app import run_program
from alicloud_cdn_refresh.cli.commands import emulator as emulator_command_module
from alicloud_cdn_refresh.cli.commands.emulator import PROGRAM_NAME, emulator_command, serve_until_signal
from alicloud_cdn_refresh.emulator import Emulator, FaultConfig, is_loopback
from emulator_helpers import Caller

A = products.Action
PROVIDER = Path(__file__).resolve().parents[2] / "provider"


def emulator_from_flags(monkeypatch: pytest.MonkeyPatch, *flags: str) -> Emulator:
    """The emulator that ``python -m alicloud_cdn_refresh.emulator FLAGS`` would serve (not served)."""
    built: list[Emulator] = []

    def capture(emulator: Emulator, *args: object, **kwargs: object) -> int:
        built.append(emulator)
        return 0

    monkeypatch.setattr(emulator_command_module, "serve_until_signal", capture)
    with pytest.raises(SystemExit) as info:
        run_program(emulator_command, list(flags), prog_name=PROGRAM_NAME)
    assert info.value.code == 0
    (emulator,) = built
    return emulator


def test_binds_loopback_and_reports_its_url() -> None:
    with Emulator().serve() as server:
        assert server.host == "127.0.0.1"
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert server.endpoint == f"127.0.0.1:{server.port}"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match="allow_remote"):
        Emulator().serve(host)


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("127.0.0.2")
    assert is_loopback("localhost")
    assert is_loopback("::1")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("10.0.0.1")


def test_port_in_use_is_an_os_error() -> None:
    with Emulator().serve() as server, pytest.raises(OSError, match=r"[Aa]ddress"):
        Emulator().serve(port=server.port)


def test_concurrent_clients(tmp_path: Path) -> None:
    emulator = Emulator(qps_limits=False, quotas=False, complete_after=0)
    with emulator.serve() as server:

        def work(worker: int) -> int:
            caller = Caller(base_url=server.url, version="v1" if worker % 2 else "v3")
            try:
                for i in range(10):
                    caller.refresh(f"http://w{worker}.com/{i}")
                    assert caller.tasks(DomainName=f"w{worker}.com", ObjectType="file")["TotalCount"] == i + 1
                return 10
            finally:
                caller.close()

        with ThreadPoolExecutor(8) as pool:
            done = sum(pool.map(work, range(8)))
    assert done == 80
    assert len(emulator.tasks()) == 80
    assert emulator.requests_served[A.REFRESH_OBJECT_CACHES] == 80
    assert not emulator.errors_returned


def test_keep_alive_connection_is_reused() -> None:
    emulator = Emulator(qps_limits=False)
    with emulator.serve() as server:
        caller = Caller(base_url=server.url)
        first = caller.raw(A.DESCRIBE_REFRESH_QUOTA)
        second = caller.raw(A.DESCRIBE_REFRESH_QUOTA)
        assert first.status_code == second.status_code == 200
        assert first.headers.get("connection", "").lower() != "close"
        caller.close()


def test_faults_on_the_wire() -> None:
    emulator = Emulator(faults=FaultConfig(rate=1.0, kinds=("drop",)))
    with emulator.serve() as server:
        caller = Caller(base_url=server.url)
        with pytest.raises(httpx.RemoteProtocolError):
            caller.tasks()
        emulator.faults.config.kinds = ("truncated",)
        response = caller.raw(A.DESCRIBE_REFRESH_TASKS)
        assert response.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            response.json()
        emulator.faults.config.kinds = ("slow",)
        emulator.faults.config.slow_seconds = 0.3
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            caller.http.post(
                "/",
                headers={"x-acs-action": A.DESCRIBE_REFRESH_QUOTA, "x-acs-version": products.API_VERSION},
                timeout=0.1,
            )
        assert time.monotonic() - started < 0.3
        caller.close()
    assert emulator.faults_injected["drop"] == 1


def test_close_ends_open_connections_and_stops_listening() -> None:
    emulator = Emulator()
    server = emulator.serve()
    caller = Caller(base_url=server.url)
    caller.raw(A.DESCRIBE_REFRESH_QUOTA)
    server.close()
    server.close()  # idempotent
    with pytest.raises(httpx.TransportError):
        caller.raw(A.DESCRIBE_REFRESH_QUOTA)
    caller.close()


def test_run_server_prints_the_url_first_and_stops() -> None:
    out = io.StringIO()
    stop = threading.Event()
    status: list[int] = []
    thread = threading.Thread(
        target=lambda: status.append(serve_until_signal(Emulator(), out=out, stop=stop))
    )
    thread.start()
    deadline = time.monotonic() + 5
    while not out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    url = out.getvalue().splitlines()[0]
    assert url.startswith("http://127.0.0.1:")
    assert Caller(base_url=url).call(A.DESCRIBE_REFRESH_QUOTA)["UrlQuota"]
    stop.set()
    thread.join(5)
    assert status == [0]


def test_flags_build_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator = emulator_from_flags(
        monkeypatch,
        "--complete-after",
        "7",
        "--fail-paths",
        "x$",
        "--fault-rate",
        "0.5",
        "--seed",
        "3",
        "--no-qps-limits",
    )
    assert emulator.store.complete_after == 7
    assert emulator.faults.config.rate == 0.5
    assert not emulator.qps.enabled
    assert emulator.quotas.enabled
    with pytest.raises(SystemExit) as refused:
        run_program(emulator_command, ["--fail-paths", "("], prog_name=PROGRAM_NAME)
    assert refused.value.code == 2
    assert "fail-paths" in capsys.readouterr().err


def _spawn(*flags: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(PROVIDER) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-m", "alicloud_cdn_refresh.emulator", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_module_serves_until_a_signal_then_exits_cleanly(signum: signal.Signals) -> None:
    process = _spawn(
        "--port", "0", "--complete-after", "0", "--access-key-id", "me", "--access-key-secret", "s3"
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        caller = Caller(base_url=url, key_id="me", secret="s3")
        (task_id,) = caller.refresh("http://a.com/x")
        assert caller.tasks(TaskId=task_id)["Tasks"]["CDNTask"][0]["Status"] == "Complete"
        caller.close()
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert err == ""
    assert out == ""  # nothing after the URL line
    assert "s3" not in out + err


def test_module_refuses_a_public_host_with_exit_2() -> None:
    process = _spawn("--host", "0.0.0.0")
    out, err = process.communicate(timeout=10)
    assert process.returncode == 2
    assert out == ""
    assert "loopback" in err


def test_flags_not_given_take_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    emulator = emulator_from_flags(monkeypatch, "--complete-after", "3", "--debug")
    assert emulator.store.complete_after == 3
    assert emulator.keys.get("testid") is not None
    assert emulator.qps.enabled


def test_an_unexpected_bug_answers_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    emulator = Emulator()

    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(emulator.quotas, "report", broken)
    response = Caller(emulator).raw(A.DESCRIBE_REFRESH_QUOTA)
    assert response.status_code == 500
    assert response.json()["Code"] == "InternalError"


@pytest.mark.parametrize(
    ("text", "seconds"), [("5", 5.0), ("2.5s", 2.5), ("500ms", 0.5), ("5m", 300.0), ("1h", 3600.0)]
)
def test_durations_with_units(text: str, seconds: float, monkeypatch: pytest.MonkeyPatch) -> None:
    assert emulator_from_flags(monkeypatch, "--complete-after", text).store.complete_after == seconds


@pytest.mark.parametrize("text", ["-1", "soon", "5d", "nan"])
def test_bad_durations_exit_2(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run_program(emulator_command, ["--slow-seconds", text], prog_name=PROGRAM_NAME)
    assert info.value.code == 2
    assert "--slow-seconds" in capsys.readouterr().err


def test_the_emulator_never_imports_the_client_the_waiter_or_pulumi() -> None:
    code = (
        "import sys, alicloud_cdn_refresh.emulator as e; e.Emulator().handle('POST', '/', {});"
        "print(sorted(m for m in sys.modules if m.startswith(('alicloud_cdn_refresh.client', "
        "'alicloud_cdn_refresh.waiter', 'pulumi'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(PROVIDER)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"
