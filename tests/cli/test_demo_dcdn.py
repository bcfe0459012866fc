"""``cdn-refresh demo`` shows one DCDN refresh beside the CDN ones (issue 15), on the same emulator."""

from __future__ import annotations

import re

from click.testing import CliRunner

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.cli.commands.demo import DEMO_DCDN


def test_the_default_demo_has_a_dcdn_line_and_keeps_the_cdn_summary(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"ALIBABA_CLOUD_DCDN_ENDPOINT": "http://127.0.0.1:9"}  # ignored, like the CDN one
    result = CliRunner().invoke(cli, ["demo", "--complete-after", "0.3"], env=env)
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    submitted = re.search(
        r"^  refresh  1 DCDN URL     -> task (\d+) \(CdnClient\(product='dcdn'\)\)$", out, re.M
    )
    assert submitted, out
    cdn_ids = set(re.findall(r"-> task (\d+)$", out, re.M))
    assert submitted.group(1) not in cdn_ids
    assert f"DCDN: 1/1 path Complete: {DEMO_DCDN} Complete (task {submitted.group(1)})." in out
    assert re.search(r"^Demo done: 6/6 paths Complete \(4 refresh, 2 preload\)", out.strip().splitlines()[-1])
