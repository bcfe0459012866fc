"""Shared helpers of the emulator tests: signed httpx clients without the project's client."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from alicloud_cdn_refresh import products
from alicloud_cdn_refresh.client.signers import make_signer
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.signatures import FORM_CONTENT_TYPE

FORM_ACTIONS = (
    products.Action.REFRESH_OBJECT_CACHES,
    products.Action.PUSH_OBJECT_CACHE,
    products.DcdnAction.REFRESH_OBJECT_CACHES,
    products.DcdnAction.PRELOAD_OBJECT_CACHES,
)


def version_of(action: str) -> str:
    """The API version of the product an action belongs to (CDN's for an unknown action)."""
    for product in products.PRODUCTS.values():
        if product.operation_of(action) is not None:
            return product.api_version
    return products.API_VERSION


class Caller:
    """Signed calls to an emulator (in-process or over a socket) with the package's signers."""

    def __init__(
        self,
        emulator: Emulator | None = None,
        *,
        base_url: str = "https://cdn.aliyuncs.com",
        version: str = "v3",
        key_id: str = "testid",
        secret: str = "testsecret",
        token: str | None = None,
        clock: Clock | None = None,
        nonce: Any = None,
    ) -> None:
        kwargs: dict[str, Any] = {}
        if clock is not None:
            kwargs["clock"] = clock.now
        if nonce is not None:
            kwargs["nonce"] = nonce
        auth = make_signer(Credentials(key_id, secret, token), version, **kwargs)
        transport = emulator.transport() if emulator is not None else None
        self.http = httpx.Client(base_url=base_url, transport=transport, auth=auth)

    def raw(
        self, action: str, params: Mapping[str, Any] | None = None, *, version: str | None = None
    ) -> httpx.Response:
        headers = {"x-acs-action": action, "x-acs-version": version or version_of(action)}
        values = {k: str(v) for k, v in (params or {}).items() if v is not None}
        if action in FORM_ACTIONS:
            headers["content-type"] = FORM_CONTENT_TYPE
            return self.http.post("/", headers=headers, content=urlencode(values))
        return self.http.post("/", headers=headers, params=values)

    def call(self, action: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        response = self.raw(action, params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["RequestId"]
        return body

    def error(
        self, action: str, params: Mapping[str, Any] | None = None, *, version: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        response = self.raw(action, params, version=version)
        assert response.status_code >= 400, response.text
        body: dict[str, Any] = response.json()
        assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
        return response.status_code, body

    def refresh(self, *paths: str, object_type: str = "File") -> list[str]:
        body = self.call(
            products.Action.REFRESH_OBJECT_CACHES, {"ObjectPath": "\n".join(paths), "ObjectType": object_type}
        )
        return str(body["RefreshTaskId"]).split(",")

    def tasks(self, **params: Any) -> dict[str, Any]:
        return self.call(products.Action.DESCRIBE_REFRESH_TASKS, params)

    def close(self) -> None:
        self.http.close()


def api_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
