"""The example programs under ``pulumi.runtime.set_mocks``: pulumi-alicloud resources mocked, the
package's own resources and data source real, against a local emulator server."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.pulumi import config as _pulumi_config
from pulumi_mocks import ProgramMocks, RecordingMonitor, forget_failed_run, run_program, use_mocks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SECRET = f"planted-secret-{uuid.uuid4().hex}"


@pytest.fixture
def emulator(clean_env: Path) -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(access_keys={"testid": SECRET}, complete_after=0.0, qps_limits=False)
    with emulator.serve() as server:
        yield emulator, server.url
    _pulumi_config.clear_config()


def stack_config(url: str, project: str, **extra: str) -> dict[str, str]:
    return {
        "alicloud:accessKey": "testid",
        "alicloud:secretKey": SECRET,
        "alicloud:endpoints": json.dumps([{"cdn": url}]),
        **{f"{project}:{key}": value for key, value in extra.items()},
    }


def site_version() -> str:
    site = EXAMPLES / "gate_deploy" / "site"
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_gate_deploy(
    url: str, directory: Path = EXAMPLES / "gate_deploy"
) -> tuple[ProgramMocks, RecordingMonitor, dict[str, Any]]:
    project = "cdn-refresh-gate-deploy"
    config = stack_config(url, project, domain="cdn.example.com", timeoutSeconds="60")
    mocks = ProgramMocks(config)
    monitor = use_mocks(mocks, config, project=project)
    exports = run_program(directory / "__main__.py")
    return mocks, monitor, exports


def deployed_inputs(mocks: ProgramMocks) -> dict[str, Any]:
    """What a deploy would compare with the stack: each site object's upload inputs, the trigger."""
    objects = {
        r.name: {key: r.inputs.get(key) for key in ("source", "contentMd5", "key")}
        for r in mocks.by_type("alicloud:oss/bucketObject:BucketObject")
        if r.name.startswith("site-")
    }
    (refresh,) = mocks.by_type(":CacheRefresh")
    return {"objects": objects, "triggers": refresh.inputs["triggers"]}


def test_gate_deploy_uploads_and_refreshes_exactly_when_a_files_bytes_change(
    emulator: tuple[Emulator, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = emulator
    checkouts = [tmp_path / "one" / "my-site", tmp_path / "two" / "elsewhere"]
    for checkout in checkouts:
        shutil.copytree(EXAMPLES / "gate_deploy", checkout)
    runs = []
    for checkout in [*checkouts, checkouts[0]]:  # Pulumi runs the program in the project directory
        monkeypatch.chdir(checkout)
        runs.append(deployed_inputs(run_gate_deploy(url, checkout)[0]))
    # nothing changed, and a moved checkout changes nothing: the same inputs, so no upload, no purge
    assert runs[0] == runs[1] == runs[2]
    objects = runs[0]["objects"]
    assert objects["site-app.js"]["source"] == "site/app.js"  # relative, not the checkout's path
    app_js = (checkouts[0] / "site" / "app.js").read_bytes()
    assert objects["site-app.js"]["contentMd5"] == hashlib.md5(app_js).hexdigest()

    (checkouts[0] / "site" / "app.js").write_bytes(app_js + b"\n// edited in place\n")
    monkeypatch.chdir(checkouts[0])
    edited = deployed_inputs(run_gate_deploy(url, checkouts[0])[0])
    assert edited["objects"]["site-app.js"]["contentMd5"] != objects["site-app.js"]["contentMd5"]  # upload
    assert edited["objects"]["site-app.js"]["source"] == objects["site-app.js"]["source"]
    assert edited["objects"]["site-index.html"] == objects["site-index.html"]  # the other file: no upload
    assert edited["triggers"] != runs[0]["triggers"]  # and the refresh submits again


def test_gate_deploy_refreshes_the_uploaded_urls_and_exports_typed_statuses(
    emulator: tuple[Emulator, str],
) -> None:
    emu, url = emulator
    mocks, _, exports = run_gate_deploy(url)

    objects = [
        r for r in mocks.by_type("alicloud:oss/bucketObject:BucketObject") if r.name.startswith("site-")
    ]
    assert sorted(r.inputs["key"] for r in objects) == ["app.js", "index.html"]
    (refresh,) = mocks.by_type(":CacheRefresh")
    assert refresh.typ == "pulumi-python:dynamic/alicloud-cdn-refresh:CacheRefresh"
    urls = ["https://cdn.example.com/app.js", "https://cdn.example.com/index.html"]
    assert refresh.inputs["objectPaths"] == urls
    assert refresh.inputs["triggers"] == {"siteVersion": site_version()}
    assert refresh.inputs["timeoutSeconds"] == 60

    assert emu.requests_served["RefreshObjectCaches"] == 1
    assert exports["refresh_statuses"] == dict.fromkeys(urls, "Complete")
    assert exports["site_version"] == site_version()
    assert exports["refresh_task_ids"]
    assert all(i.isdigit() for i in exports["refresh_task_ids"])
    completed = datetime.strptime(exports["refresh_completed_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(completed.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert {t.object_path for t in emu.tasks()} == set(urls)


def test_gate_deploy_gates_the_release_on_the_refresh(emulator: tuple[Emulator, str]) -> None:
    _, url = emulator
    mocks, monitor, exports = run_gate_deploy(url)
    refresh = "pulumi-python:dynamic/alicloud-cdn-refresh:CacheRefresh::site-refresh"
    assert any(urn.endswith("$" + refresh) for urn in monitor.dependencies["release-marker"])
    # registered only once the refresh had finished (create returned after every URL was Complete)
    assert mocks.events.index(("end", "site-refresh")) < mocks.events.index(("start", "release-marker"))
    # and every site object was registered before the refresh started
    for key in ("index.html", "app.js"):
        assert mocks.events.index(("end", f"site-{key}")) < mocks.events.index(("start", "site-refresh"))
    marker = mocks.outputs["release-marker"]
    content = json.loads(marker["content"])
    assert content["siteVersion"] == site_version()
    assert content["cdnRefreshedAt"] == exports["refresh_completed_at"]
    assert exports["release_key"] == "release.json"


def test_gate_deploy_captures_no_secret(emulator: tuple[Emulator, str]) -> None:
    _, url = emulator
    mocks, _, exports = run_gate_deploy(url)
    assert mocks.provider_strings
    for text in mocks.provider_strings:
        assert SECRET not in text
        assert SECRET.encode() not in base64.b64decode(text)
    for resource in mocks.resources:
        inputs = {k: v for k, v in resource.inputs.items() if k != "__provider"}
        assert SECRET not in json.dumps(inputs, default=str)
    assert SECRET not in json.dumps(mocks.outputs, default=str)
    assert SECRET not in json.dumps(exports, default=str)


def test_gate_deploy_fails_with_the_task_description_when_a_url_fails(
    emulator: tuple[Emulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, url = emulator
    emu.store.fail_paths = re.compile(r"index\.html")
    try:
        run_gate_deploy(url)
    except Exception as exc:  # whatever the SDK wraps it in, the message must be the provider's
        message = str(exc)
    else:
        pytest.fail("the deployment should have failed")
    forget_failed_run()  # after the exception (and its frames) is gone
    assert message.startswith("CacheRefresh create failed: 1 path(s) failed to refresh:")
    assert "https://cdn.example.com/index.html: Origin" in message
    assert "Traceback" not in message


def test_read_status_exports_the_newest_status_of_each_path(emulator: tuple[Emulator, str]) -> None:
    emu, url = emulator
    now = datetime.now(timezone.utc)
    a, b, c = (f"https://www.example.com/{name}" for name in ("a.html", "b.html", "c.html"))
    emu.seed_task(a, status="Failed", description="Origin Timeout", created=now - timedelta(hours=2))
    emu.seed_task(a, status="Complete", created=now - timedelta(hours=1))
    emu.seed_task(b, status="Refreshing", process=40, created=now - timedelta(minutes=1))
    project = "cdn-refresh-read-status"
    config = stack_config(url, project, paths=json.dumps([a, b, c]))
    mocks = ProgramMocks(config)
    use_mocks(mocks, config, project=project)
    exports = run_program(EXAMPLES / "read_status" / "__main__.py")
    assert exports["statuses"] == {a: "Complete 100%", b: "Refreshing 40%", c: "NotFound"}
    assert exports["failed_last_3_days"] == [f"{a}: Origin Timeout"]
    assert exports["failed_count"] == 1
    assert mocks.resources == []  # it only reads


def test_the_root_project_runs_the_gate_deploy_example() -> None:
    root = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    example = (EXAMPLES / "gate_deploy" / "Pulumi.yaml").read_text(encoding="utf-8")
    assert "\nmain: examples/gate_deploy\n" in root
    assert "\nname: cdn-refresh-gate-deploy\n" in root
    assert "\nname: cdn-refresh-gate-deploy\n" in "\n" + example
    for directory in ("gate_deploy", "read_status"):
        files = {p.name for p in (EXAMPLES / directory).iterdir()}
        assert {"Pulumi.yaml", "__main__.py", "requirements.txt"} <= files
        requirements = (EXAMPLES / directory / "requirements.txt").read_text(encoding="utf-8")
        assert "pulumi-alicloud-cdn-refresh" in requirements
        assert "pulumi-alicloud>=" in requirements
    assert sys.version_info >= (3, 10)
