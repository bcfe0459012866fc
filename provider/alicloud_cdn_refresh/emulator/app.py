"""The emulator's request pipeline: routes, authentication, QPS, dispatch and the real error answers.

``EmulatorApp.handle`` turns one :class:`EmulatorRequest` into one :class:`EmulatorResponse`; the
in-process transport and the HTTP server are thin adapters around it. Every product (CDN, DCDN) is
served at the same address: the action name says which product's
:class:`~.service.ProductService` answers (the names are distinct), and the ``Version`` must be
that product's. The handlers themselves are in :mod:`.describe` and :mod:`.submit`.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.error_codes import API_ERRORS
from alicloud_cdn_refresh.limits import PRELOAD_QUEUE_SIZE
from alicloud_cdn_refresh.products import CDN, DEFAULT_PRODUCT, Operation, Product
from alicloud_cdn_refresh.signatures import ACTION_HEADER, VERSION_HEADER

from . import describe, submit
from .auth import Identity, Verifier
from .faults import FaultInjector
from .params import Params
from .qps import QpsLimiter
from .quotas import QuotaBook
from .request import EmulatorError, EmulatorRequest, EmulatorResponse, missing_parameter
from .service import SCHEME_LESS_FORMS, ProductService
from .state import TaskStore

__all__ = ["HANDLERS", "PRELOAD_QUEUE_SIZE", "SCHEME_LESS_FORMS", "EmulatorApp", "error_body"]

log = logging.getLogger(__name__)

_JSON_HEADERS = {"content-type": "application/json;charset=utf-8"}

Handler = Callable[[Params, Identity], dict[str, Any]]
Route = Callable[[EmulatorRequest], EmulatorResponse | None]
ProductHandler = Callable[[ProductService, Params, Identity], dict[str, Any]]

HANDLERS: Mapping[Operation, ProductHandler] = {
    Operation.DESCRIBE_TASKS: describe.describe_refresh_tasks,
    Operation.DESCRIBE_TASK_BY_ID: describe.describe_refresh_task_by_id,
    Operation.DESCRIBE_QUOTA: describe.describe_refresh_quota,
    Operation.DESCRIBE_PRELOAD_DETAIL: describe.describe_preload_detail_by_id,
    Operation.REFRESH: submit.refresh_object_caches,
    Operation.PRELOAD: submit.preload_object_caches,
    Operation.REFRESH_BY_CACHE_TAG: submit.refresh_object_cache_by_cache_tag,
}
"""The handler of each operation; a product serves those its table has actions for."""


def error_body(
    code: str, request_id: str, message: str | None = None, *, product: Product = CDN
) -> dict[str, str]:
    """The error answer's JSON body, as ``product`` writes it."""
    spec = product.error(code)
    return {
        "RequestId": request_id,
        "HostId": product.host_id,
        "Code": code,
        "Message": message or spec.message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product={product.code}",
    }


class EmulatorApp:
    """Authenticate, throttle, dispatch and answer like the CDN and DCDN APIs.

    ``services``: one :class:`~.service.ProductService` per product (the first is the default, whose
    state ``store``, ``quotas`` and ``qps`` name).
    """

    def __init__(
        self,
        *,
        clock: Clock,
        services: Iterable[ProductService],
        verifier: Verifier,
        faults: FaultInjector,
    ) -> None:
        self.clock = clock
        self.services: dict[str, ProductService] = {service.name: service for service in services}
        if DEFAULT_PRODUCT not in self.services:
            raise ValueError(f"the emulator needs a {DEFAULT_PRODUCT} service")
        self.verifier = verifier
        self.faults = faults
        self._scripted: list[tuple[str | None, str]] = []
        self._lock = threading.Lock()
        self.requests_served: Counter[str] = Counter()
        """Requests answered, per action (errors and faults included)."""
        self.errors_returned: Counter[str] = Counter()
        """Error answers, per code."""
        self.routes: list[Route] = []
        """Other services at the same address (STS, ECS metadata): each may answer a request first."""
        self._service_of: dict[str, ProductService] = {}
        self._handlers: dict[str, Handler] = {}
        """Action name -> its handler, bound to its product's service (looked up on every request)."""
        for service in self.services.values():
            for operation, action in service.product.actions.items():
                self._service_of[action] = service
                self._handlers[action] = functools.partial(HANDLERS[operation], service)

    @property
    def default(self) -> ProductService:
        """The default product's (CDN's) service."""
        return self.services[DEFAULT_PRODUCT]

    @property
    def store(self) -> TaskStore:
        """CDN's task store (``service(name).store`` for another product's)."""
        return self.default.store

    @property
    def quotas(self) -> QuotaBook:
        """CDN's quota book."""
        return self.default.quotas

    @property
    def qps(self) -> QpsLimiter:
        """CDN's QPS limiter."""
        return self.default.qps

    def service(self, product: str = DEFAULT_PRODUCT) -> ProductService:
        """The service of a product by name (``KeyError`` for one the emulator does not serve)."""
        return self.services[product]

    # --- the pipeline -------------------------------------------------------------------------

    def handle(self, request: EmulatorRequest) -> EmulatorResponse:
        """Answer one request (never raises for anything the client sent)."""
        for route in self.routes:
            answered = route(request)
            if answered is not None:
                return answered
        request_id = str(uuid.uuid4()).upper()
        params = request.params
        action = request.headers.get(ACTION_HEADER) or params.get("Action") or ""
        with self._lock:
            self.requests_served[action] += 1
        fault = self.faults.draw()
        if fault == "drop":
            return EmulatorResponse(0, b"", drop=True, action=action, code="drop")
        if fault in ("500", "503"):
            code = "InternalError" if fault == "500" else "ServiceUnavailable"
            return self._error(EmulatorError(code), request_id, action)
        try:
            body = self._dispatch(request, params, action)
        except EmulatorError as error:
            response = self._error(error, request_id, action)
        except Exception:  # a bug here must still answer like the service would
            log.exception("emulator: unexpected error while answering %s", action or "a request")
            response = self._error(EmulatorError("InternalError"), request_id, action)
        else:
            body["RequestId"] = request_id
            response = self._json(200, body, request_id)
            response.action = action
        if fault == "slow":
            response.delay = self.faults.config.slow_seconds
        elif fault == "malformed":
            # answered 200 as documented (FAULT_KINDS), also when the request itself got an error:
            # a garbled 4xx body would turn a retryable ServiceBusy/Throttling into an unknown HTTP403
            response.status = 200
            response.body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            response.headers = {"content-type": "text/html", "x-acs-request-id": request_id}
        elif fault == "truncated":
            response.status = 200
            response.body = response.body[: max(1, len(response.body) // 2)]
        return response

    def _dispatch(self, request: EmulatorRequest, params: Params, action: str) -> dict[str, Any]:
        if request.method not in ("GET", "POST"):
            raise EmulatorError(
                "UnsupportedHTTPMethod",
                f"The HTTP method {request.method[:20]} is not supported; the API takes GET and POST.",
            )
        if not action:
            raise missing_parameter("Action")
        handler = self._handlers.get(action)
        if handler is None:
            raise EmulatorError(
                "InvalidAction.NotFound",
                f"Specified api {action!r} is not found, please check your url and method.",
            )
        service = self._service_of.get(action, self.default)
        expected = service.product.api_version
        version = request.headers.get(VERSION_HEADER) or params.get("Version")
        if not version:
            raise missing_parameter("Version")
        if version != expected:
            raise EmulatorError(
                "InvalidVersion",
                f"Specified parameter Version is not valid: {action} takes {expected}.",
            )
        identity = self.verifier.verify(request)
        wait = service.qps.admit(identity.access_key_id, action)
        if wait:
            raise _Throttled(wait)
        scripted = self._next_scripted(action)
        if scripted is not None:
            raise EmulatorError(scripted)
        if not service.service_open:
            raise EmulatorError(
                "OperationDenied",
                f"Your account does not open {service.product.title} service yet or has been suspended.",
            )
        return handler(params, identity)

    def fail_next(self, code: str, *, action: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` authenticated calls (of ``action``, or of any) with ``code``
        (with the status and message of the called action's product)."""
        if code not in API_ERRORS:
            raise ValueError(f"unknown error code {code!r}; use one of errors.API_ERRORS")
        if action is not None and action not in self._handlers:
            raise ValueError(f"unknown action {action!r}; use one of: {', '.join(self._handlers)}")
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._scripted.extend([(action, code)] * times)

    def _next_scripted(self, action: str) -> str | None:
        if not self._scripted:
            return None
        with self._lock:
            for index, (wanted, code) in enumerate(self._scripted):
                if wanted is None or wanted == action:
                    del self._scripted[index]
                    return code
        return None

    def _json(self, status: int, body: dict[str, Any], request_id: str) -> EmulatorResponse:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return EmulatorResponse(status, data, {**_JSON_HEADERS, "x-acs-request-id": request_id})

    def _error(self, error: EmulatorError, request_id: str, action: str) -> EmulatorResponse:
        product = self._service_of.get(action, self.default).product
        with self._lock:
            self.errors_returned[error.code] += 1
        body = error_body(error.code, request_id, error.message, product=product)
        response = self._json(product.error(error.code).http_status, body, request_id)
        if isinstance(error, _Throttled):
            response.headers["x-acs-retry-after"] = str(max(1, int(error.wait * 1000)))
        response.action = action
        response.code = error.code
        return response


class _Throttled(EmulatorError):
    def __init__(self, wait: float) -> None:
        super().__init__("Throttling")
        self.wait = wait
