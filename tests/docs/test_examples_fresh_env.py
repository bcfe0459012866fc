"""The examples install the way a user installs them (issue 12 point 6).

A fresh copy of ``examples/gate_deploy`` outside the checkout, a fresh virtual environment, ``pip
install -r requirements.txt`` from the package index with ``CDN_REFRESH_SOURCE`` naming a copy of
the checkout (the example's own instructions), then the program runs in that environment under
``pulumi.runtime.set_mocks`` (a preview: nothing is created and no API is called).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from envs import fresh_machine_environ

ROOT = Path(__file__).resolve().parents[2]
_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info"
)
PROGRAM_UNDER_MOCKS = """
import runpy
import pulumi

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        dynamic = args.typ.startswith("pulumi-python:dynamic/")
        return (None if dynamic else args.name + "-id"), dict(args.inputs)

    def call(self, args):
        return {}

registered = []
pulumi.runtime.set_mocks(Mocks(), project="cdn-refresh-gate-deploy", stack="dev", preview=True)

@pulumi.runtime.test
def program():
    runpy.run_path("__main__.py", run_name="__main__")

program()
import alicloud_cdn_refresh
print("program ran with", alicloud_cdn_refresh.__name__, "from", alicloud_cdn_refresh.__file__)
"""


@pytest.mark.fresh_env
def test_a_fresh_copy_of_the_example_installs_from_its_requirements_and_runs(tmp_path: Path) -> None:
    checkout = tmp_path / "src" / "pulumi-alicloud-cdn-refresh"
    shutil.copytree(ROOT, checkout, ignore=_IGNORE)
    site = tmp_path / "my-site"
    shutil.copytree(ROOT / "examples" / "gate_deploy", site)
    env = {**fresh_machine_environ(), "CDN_REFRESH_SOURCE": str(checkout)}
    for step in ("python3 -m venv venv", "venv/bin/pip install -q -r requirements.txt"):
        done = subprocess.run(
            step, shell=True, cwd=site, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{step!r} failed:\n{done.stdout}\n{done.stderr}"
    ran = subprocess.run(
        ["venv/bin/python", "-c", PROGRAM_UNDER_MOCKS],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    assert "program ran with alicloud_cdn_refresh from" in ran.stdout
    assert str(site / "venv") in ran.stdout  # installed into the example's own environment
    read_status = (ROOT / "examples" / "read_status" / "requirements.txt").read_text(encoding="utf-8")
    assert read_status == (site / "requirements.txt").read_text(encoding="utf-8")
