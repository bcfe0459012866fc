"""The README's Python example for users' own tests runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_in_process_emulator_example_passes():
    block = next(block for block in python_blocks() if "def test_my_deploy_step" in block)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    namespace["test_my_deploy_step_waits_for_the_purge"]()  # type: ignore[operator]


def test_readme_names_every_subcommand_and_exit_code():
    text = README.read_text(encoding="utf-8")
    for command in ("tasks", "wait", "refresh", "preload", "quota", "emulator", "demo"):
        assert f"cdn-refresh {command}" in text
    for code in range(5):
        assert f"| {code} |" in text


def test_python_api_example_runs_against_a_served_emulator(monkeypatch, capsys):
    from alicloud_cdn_refresh.emulator import Emulator

    block = next(block for block in python_blocks() if "wait_for_refresh(" in block and "since=" in block)
    with Emulator(complete_after_polls=1).serve() as server:
        monkeypatch.setenv("ALIBABA_CLOUD_CDN_ENDPOINT", server.url)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)
    tasks = namespace["tasks"]
    assert [task.status.value for task in tasks] == ["Complete"]  # type: ignore[attr-defined]
    assert namespace["page"].tasks[0].object_path == "https://www.example.com/index.html"  # type: ignore[attr-defined]
    assert namespace["quota"].url_remain == namespace["quota"].url_quota - 1  # type: ignore[attr-defined]
    assert "1/1 complete" in capsys.readouterr().out


def test_submit_example_reports_what_went_through(monkeypatch, capsys):
    from alicloud_cdn_refresh.emulator import Emulator

    block = next(block for block in python_blocks() if "except PartialSubmit" in block)
    emulator = Emulator(complete_after_polls=1, qps_limits=False)
    emulator.set_quota("url", 2_500)
    with emulator.serve() as server:
        monkeypatch.setenv("ALIBABA_CLOUD_CDN_ENDPOINT", server.url)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)
        out = capsys.readouterr().out
        assert "url: 3000 needed, 2500 left today" in out
        # the check passes; then another job spends 1,000 URLs before the submit: 2 calls go through
        emulator.set_quota("url", 3_000)
        handlers = emulator.app._handlers
        report = handlers["DescribeRefreshQuota"]

        def report_then_spend(params, identity):
            body = report(params, identity)
            emulator.quotas.take("url", 1_000)
            return body

        handlers["DescribeRefreshQuota"] = report_then_spend
        exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert out.count("1000 accepted under") == 2
    assert "0 unanswered, 1000 not accepted:" in out
    assert "QuotaExceeded.Refresh" in out
    assert namespace["detail"].details[0].urls[0].url == "https://www.example.com/app.js"  # type: ignore[attr-defined]
