"""Upload a site to OSS, refresh it on the CDN, and release only once the CDN serves the new content.

1. every file under ``site/`` becomes an OSS object (pulumi-alicloud), uploaded again exactly when
   its bytes change: ``content_md5`` is the file's MD5, which pulumi-alicloud compares, and
   ``source`` is relative to the project directory (Pulumi runs the program and the provider there),
   so moving the checkout changes nothing;
2. ``CacheRefresh`` purges their CDN URLs whenever the content changes (``triggers`` is a hash of
   the files) and blocks until every URL reports ``Complete`` - or fails the deployment with the
   task's description, or after ``timeoutSeconds``;
3. ``release.json`` is written only after that (``depends_on``), so whatever watches it sees the
   release when the CDN already serves it;
4. the typed statuses are stack outputs.

Credentials and endpoint: ``pulumi config set alicloud:accessKey ...``, ``pulumi config set
--secret alicloud:secretKey ...`` (or the ALICLOUD_* / ALIBABA_CLOUD_* environment variables).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from pathlib import Path

import pulumi
import pulumi_alicloud as alicloud

from alicloud_cdn_refresh import CacheRefresh

config = pulumi.Config()
domain = config.get("domain") or "www.example.com"
bucket_name = config.get("bucketName") or "cdn-refresh-gate-deploy-example"
timeout_seconds = config.get_int("timeoutSeconds") or 900

site_dir = Path(__file__).parent / "site"
files = sorted(path for path in site_dir.rglob("*") if path.is_file())
keys = [path.relative_to(site_dir).as_posix() for path in files]

# One hash of every file name and byte: it changes exactly when the content does.
content_hash = hashlib.sha256()
for key, path in zip(keys, files, strict=True):
    content_hash.update(key.encode() + b"\0" + path.read_bytes() + b"\0")
site_version = content_hash.hexdigest()


def content_md5(path: Path) -> str:
    """The file's MD5 (hex), as OSS checks an upload and pulumi-alicloud compares it."""
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def source_of(path: Path) -> str:
    """The file relative to the working directory: the project directory, for the program and the
    provider that uploads it alike. An absolute path would change whenever the checkout moves."""
    return Path(os.path.relpath(path)).as_posix()


bucket = alicloud.oss.Bucket("site", bucket=bucket_name)

objects = [
    alicloud.oss.BucketObject(
        f"site-{key}",
        bucket=bucket.bucket,
        key=key,
        source=source_of(path),
        content_md5=content_md5(path),  # a new upload exactly when the bytes change
        content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
    )
    for key, path in zip(keys, files, strict=True)
]

refresh = CacheRefresh(
    "site-refresh",
    object_paths=[f"https://{domain}/{key}" for key in keys],
    operation="refresh",
    object_type="File",
    triggers={"siteVersion": site_version},
    timeout_seconds=timeout_seconds,
    opts=pulumi.ResourceOptions(depends_on=objects),
)

# Gated: created (and updated) only after the CDN reports every URL Complete.
release = alicloud.oss.BucketObject(
    "release-marker",
    bucket=bucket.bucket,
    key="release.json",
    content=pulumi.Output.json_dumps(
        {"siteVersion": site_version, "cdnRefreshedAt": refresh.completed_at, "taskIds": refresh.task_ids}
    ),
    content_type="application/json",
    opts=pulumi.ResourceOptions(depends_on=[refresh]),
)

pulumi.export("site_version", site_version)
pulumi.export("refresh_task_ids", refresh.task_ids)
pulumi.export("refresh_completed_at", refresh.completed_at)
pulumi.export(
    "refresh_statuses",
    refresh.tasks.apply(lambda tasks: {task.object_path: task.status for task in tasks}),
)
pulumi.export("release_key", release.key)
