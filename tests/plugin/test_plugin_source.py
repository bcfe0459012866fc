"""The repository as a Python source plugin, and the wheel as an installed plugin.

``pulumi package add <checkout or git URL>`` finds ``PulumiPlugin.yaml`` (runtime python), lets the
Python language host create the plugin's virtual environment from ``requirements.txt`` and run the
directory's ``__main__.py`` (``python <plugin dir> <engine address>``: pulumi-language-python's
RunPlugin when the directory has a ``__main__.py``), then asks it for its schema. Here the last step
as the language host does it, in this virtual environment (where the package is installed, as
requirements.txt would install it); and the wheel's console script and packaged schema.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2

from plugin_rig import FakeEngine, PluginProcess

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema" / "schema.json"


def test_plugin_yaml_names_the_python_runtime_and_requirements_install_this_package() -> None:
    project = yaml.safe_load((ROOT / "PulumiPlugin.yaml").read_text(encoding="utf-8"))
    assert project["runtime"]["name"] == "python"
    assert project["runtime"]["options"]["toolchain"] == "pip"
    requirements = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert requirements == ["."]
    assert (ROOT / "__main__.py").is_file()


def test_the_directory_runs_as_the_language_host_runs_a_source_plugin(tmp_path: Path) -> None:
    engine = FakeEngine()
    plugin = PluginProcess(engine, command=[sys.executable, str(ROOT)], cwd=tmp_path)
    try:
        info = plugin.call("GetPluginInfo", empty_pb2.Empty())
        assert info.version
        schema = plugin.call("GetSchema", provider_pb2.GetSchemaRequest(version=0))
        assert schema.schema == SCHEMA.read_text(encoding="utf-8")
    finally:
        plugin.close()
        engine.close()


@pytest.mark.fresh_env
def test_the_wheel_carries_the_schema_and_the_console_script(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("alicloud_cdn_refresh/plugin/schema.json").decode() == SCHEMA.read_text(
            encoding="utf-8"
        )
        (entry_points,) = [name for name in archive.namelist() if name.endswith("entry_points.txt")]
        text = archive.read(entry_points).decode()
    assert "pulumi-resource-alicloud-cdn-refresh = alicloud_cdn_refresh.plugin:main" in text
