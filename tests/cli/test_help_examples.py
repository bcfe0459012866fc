"""What a command's help shows as an example works when typed verbatim (issue 16: ``preload
--with-header``'s example was refused by the emulator, which took only strings as header values)."""

from __future__ import annotations

import json
import re
import shlex

from alicloud_cdn_refresh.cli.commands.submit import preload_command
from alicloud_cdn_refresh.emulator import Emulator
from cli_rig import invoke, runner_env, served


def test_the_with_header_example_of_the_help_works_verbatim(tmp_path):
    (option,) = [param for param in preload_command.params if param.name == "with_header"]
    assert option.help in " ".join(invoke({}, "preload", "--help").stdout.split()).replace("- ", "-")
    match = re.search(r"e\.g\. ('[^']+')", option.help or "")
    assert match, option.help
    (example,) = shlex.split(match.group(1))
    assert json.loads(example) == {"Accept-Encoding": ["gzip"]}  # the reference's JSON form
    emulator = Emulator(complete_after_polls=1, qps_limits=False, seed=5)
    with served(emulator) as url:
        result = invoke(
            runner_env(url, tmp_path),
            "preload",
            "--json",
            "--with-header",
            example,
            "https://a.example.com/v.mp4",
        )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["task_ids"]


def test_with_header_takes_a_plain_string_value_too(tmp_path):
    with served(Emulator(qps_limits=False, seed=5)) as url:
        result = invoke(
            runner_env(url, tmp_path),
            "preload",
            "--with-header",
            '{"Origin": "https://www.example.com"}',
            "https://a.example.com/v.mp4",
        )
    assert result.exit_code == 0, result.stderr
