"""Shared fakes for the client tests: a recording MockTransport and canned API bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from alicloud_cdn_refresh.client.cdn_client import CdnClient, RetryPolicy
from alicloud_cdn_refresh.client.signers import request_params
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials

KEY_ID = "testid"
SECRET = "S3cr3t-Value-Never-Shown"
TOKEN = "STS-T0ken-Never-Shown"
START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)

Handler = Callable[[httpx.Request], httpx.Response]


def task(
    task_id: str, path: str, *, status: str = "Complete", created: datetime | None = None
) -> dict[str, str]:
    moment = created or START - timedelta(minutes=5)
    return {
        "TaskId": task_id,
        "ObjectPath": path,
        "Status": status,
        "Process": "100%" if status == "Complete" else "40%",
        "ObjectType": "file",
        "CreationTime": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Description": "",
    }


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


def error_response(code: str, status: int, message: str = "msg", headers: dict[str, str] | None = None):
    return json_response(
        {"RequestId": "REQ-ERR", "HostId": "cdn.aliyuncs.com", "Code": code, "Message": message},
        status,
        headers,
    )


def page_body(tasks: list[dict[str, str]], *, total: int | None = None, page: int = 1, size: int = 20):
    return {
        "Tasks": {"CDNTask": tasks},
        "PageNumber": page,
        "PageSize": size,
        "TotalCount": len(tasks) if total is None else total,
        "RequestId": "REQ-1",
    }


@dataclass
class Recorder:
    """A MockTransport that records every request and answers with ``handler`` (or a queue)."""

    handler: Handler | None = None
    queue: list[httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.queue:
            item = self.queue.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        assert self.handler is not None, "no answer queued"
        return self.handler(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def params(self, index: int = -1) -> dict[str, str]:
        return dict(request_params(self.requests[index]))

    def actions(self) -> list[str]:
        return [
            self.params(i).get("Action") or r.headers.get("x-acs-action", "")
            for i, r in enumerate(self.requests)
        ]


def make_client(
    recorder: Recorder,
    *,
    clock: ManualClock | None = None,
    credentials: Credentials | None = None,
    retry: RetryPolicy | None = None,
    **kwargs: Any,
) -> CdnClient:
    return CdnClient(
        endpoint="https://cdn.aliyuncs.com",
        credentials=credentials or Credentials(KEY_ID, SECRET),
        transport=recorder.transport(),
        clock=clock or ManualClock(START),
        retry=retry or RetryPolicy(attempts=4, timeout=60.0, initial=0.1, max=1.0, jitter=False),
        **kwargs,
    )
