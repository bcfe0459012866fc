"""The README's "CDN or DCDN" example runs as written, against the emulator's DCDN side."""

from __future__ import annotations

import re
from pathlib import Path

from alicloud_cdn_refresh.emulator import Emulator

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_dcdn_example_runs_against_a_served_emulator(monkeypatch):
    block = next(block for block in python_blocks() if 'CdnClient(product="dcdn")' in block)
    emulator = Emulator(complete_after_polls=1)
    with emulator.serve() as server:
        monkeypatch.setenv("ALIBABA_CLOUD_DCDN_ENDPOINT", server.url)
        monkeypatch.setenv("ALIBABA_CLOUD_CDN_ENDPOINT", "http://127.0.0.1:9")  # never used
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)
    assert [task.status.value for task in namespace["tasks"]] == ["Complete"]  # type: ignore[attr-defined]
    assert namespace["listing"].tasks[0].object_path == "https://api.example.com/v1/menu.json"  # type: ignore[attr-defined]
    assert namespace["dcdn_quota"].url_remain == namespace["dcdn_quota"].url_quota - 1  # type: ignore[attr-defined]
    assert emulator.tasks() == []
    assert len(emulator.tasks(product="dcdn")) == 1
