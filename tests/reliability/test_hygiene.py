"""Hygiene: an explicit timeout on every network call, loopback-only emulator, ruff and mypy strict clean."""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.retry import RetryPolicy
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator, FaultConfig
from alicloud_cdn_refresh.errors import ApiError

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "provider" / "alicloud_cdn_refresh"

# module -> callables that open a connection and take a timeout
NETWORK_CALLS = {
    "httpx": {
        "Client",
        "AsyncClient",
        "HTTPTransport",
        "AsyncHTTPTransport",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "request",
        "stream",
    },
    "urllib.request": {"urlopen"},
    "socket": {"create_connection"},
    "http.client": {"HTTPConnection", "HTTPSConnection"},
}
FORBIDDEN_IMPORTS = {"requests", "urllib3", "aiohttp"}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _network_calls(tree: ast.AST) -> list[tuple[int, str, ast.Call]]:
    """Calls of NETWORK_CALLS, through ``import x`` / ``import x as y`` / ``from x import f``."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        head, _, rest = name.partition(".")
        full = aliases.get(head, head) + (f".{rest}" if rest else "")
        module, _, function = full.rpartition(".")
        if function in NETWORK_CALLS.get(module, ()):
            found.append((node.lineno, full, node))
    return found


def _has_timeout(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "timeout":
            return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
        if keyword.arg is None:  # **kwargs: cannot tell
            return False
    return False


def test_every_network_call_in_provider_code_has_an_explicit_timeout():
    calls = []
    for path in sorted(PROVIDER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module.split(".")[0]]
            assert not FORBIDDEN_IMPORTS & set(names), f"{path}:{node.lineno} imports {names}"
        for line, name, call in _network_calls(tree):
            # a transport only carries the timeouts it is given per request; it needs none itself
            if name.endswith("HTTPTransport"):
                continue
            calls.append(f"{path.relative_to(ROOT)}:{line} {name}")
            assert _has_timeout(call), f"{path.relative_to(ROOT)}:{line}: {name}(...) without timeout="
    assert any("client.py" in call and "httpx.Client" in call for call in calls), calls


def test_the_scanner_flags_a_call_without_timeout():
    source = (
        "import httpx\nfrom urllib.request import urlopen as u\n"
        "httpx.get('http://x')\nu('http://x')\nhttpx.Client(timeout=None)\nhttpx.Client(timeout=3)\n"
    )
    calls = _network_calls(ast.parse(source))
    assert [(name, _has_timeout(call)) for _, name, call in calls] == [
        ("httpx.get", False),
        ("urllib.request.urlopen", False),
        ("httpx.Client", False),
        ("httpx.Client", True),
    ]


@pytest.mark.parametrize("timeout", [0.25, 3.5, 10.0])
def test_the_client_timeout_reaches_every_request(timeout):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions.get("timeout"))
        return httpx.Response(200, json={"RequestId": "R", "RefreshTaskId": "1"})

    with CdnClient(
        endpoint="https://cdn.aliyuncs.com",
        credentials=Credentials("testid", "testsecret"),
        transport=httpx.MockTransport(handler),
        timeout=timeout,
    ) as client:
        client.refresh_object_caches(["http://a.example.com/x.js"])
    assert seen == [{"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}]


def test_a_server_slower_than_the_timeout_fails_fast_over_a_real_socket():
    emulator = Emulator(faults=FaultConfig(rate=1.0, kinds=("slow",), slow_seconds=0.6, seed=1))
    with emulator.serve() as server:
        client = CdnClient(
            endpoint=server.url,
            credentials=Credentials("testid", "testsecret"),
            timeout=0.15,
            retry=RetryPolicy.never(),
        )
        started = time.monotonic()
        with pytest.raises(ApiError) as info:
            client.describe_refresh_quota()
        took = time.monotonic() - started
        client.close()
    assert info.value.code == "TransportError"
    assert "ReadTimeout" in str(info.value)
    assert took < 0.5


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "::ffff:10.0.0.1", "localhost.example.com"])
def test_the_emulator_refuses_non_loopback_binds_everywhere(host):
    with pytest.raises(ValueError, match="allow_remote"):
        Emulator().serve(host)
    result = CliRunner().invoke(cli, ["emulator", "--host", host])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "loopback" in result.output.lower() or "allow" in result.output.lower()


def test_ruff_and_mypy_strict_are_clean(tmp_path):
    bin_dir = Path(sys.executable).parent
    python_dirs = ["provider", "tests", "benchmarks", "examples"]
    for command in (
        [str(bin_dir / "ruff"), "check", "--no-cache", *python_dirs],
        [str(bin_dir / "ruff"), "format", "--check", "--no-cache", "--extend-exclude", "*.md", *python_dirs],
        [str(bin_dir / "mypy"), "--cache-dir", str(tmp_path / "mypy")],
    ):
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{' '.join(command[:2])}:\n{result.stdout}{result.stderr}"
