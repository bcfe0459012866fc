"""The emulator's request handler: parameters, dispatch, validation and the real error answers.

``EmulatorApp.handle`` turns one :class:`EmulatorRequest` into one :class:`EmulatorResponse`; the
in-process transport and the HTTP server are thin adapters around it.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.error_codes import API_ERRORS
from alicloud_cdn_refresh.limits import SubmitLimit
from alicloud_cdn_refresh.models import (
    PRELOAD_SUCCESS_DESCRIPTION,
    QUOTA_FIELDS,
    ObjectType,
    PreloadArea,
    RefreshObjectType,
    TaskStatus,
    format_api_time,
    format_process,
    parse_api_time,
)
from alicloud_cdn_refresh.paths import domain_of, is_object_path, is_scheme_less_url, is_wildcard_domain
from alicloud_cdn_refresh.query import TaskFilter
from alicloud_cdn_refresh.signatures import ACTION_HEADER, VERSION_HEADER

from .auth import Identity, Verifier
from .faults import FaultInjector
from .qps import DomainRate, QpsLimiter
from .request import EmulatorError, EmulatorRequest, EmulatorResponse, missing_parameter
from .state import QuotaBook, QuotaExceeded, TaskRecord, TaskStore

__all__ = ["PRELOAD_QUEUE_SIZE", "SCHEME_LESS_FORMS", "EmulatorApp", "error_body"]

log = logging.getLogger(__name__)

PRELOAD_QUEUE_SIZE = limits.PRELOAD_QUEUE_SIZE
"""Unfinished preload URLs an account may have queued (the PushObjectCache reference: 100,000)."""
SCHEME_LESS_FORMS = ("keep", "http")
"""How a path submitted without its scheme (``example.com/a.png``) is stored and reported back:
as submitted (``keep``, the default), or with ``http://`` in front (``http``). The reference does
not say which the service does; the waiter matches either."""
_JSON_HEADERS = {"content-type": "application/json;charset=utf-8"}
_START_TIME_GRACE = timedelta(minutes=1)
"""A StartTime this little older than the 3-day window is still accepted (clock skew)."""
_CACHE_TAG_TYPE = ObjectType("cachetag")
"""How a cache-tag purge's rows are typed (one row per tag; the reference lists no type for them,
so DescribeRefreshTasks' ObjectType filter cannot select them, as on the service)."""
_RETCODE_FAILED = "1"
"""DescribePreloadDetailById's RetCode of a failed task (the reference documents only ``0``)."""
_PLURAL = {"File": "URLs", "IgnoreParams": "URLs", "ExQuery": "URLs", "Directory": "directories"}

Params = dict[str, str]
Handler = Callable[[Params, Identity], dict[str, Any]]
Route = Callable[[EmulatorRequest], EmulatorResponse | None]


def _invalid(name: str, allowed: str) -> EmulatorError:
    return EmulatorError("InvalidParameter", f"The parameter {name} is not valid: {allowed}.")


def error_body(code: str, request_id: str, message: str | None = None) -> dict[str, str]:
    """The error answer's JSON body."""
    spec = API_ERRORS[code]
    return {
        "RequestId": request_id,
        "HostId": products.HOST_ID,
        "Code": code,
        "Message": message or spec.message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=Cdn",
    }


def _get(params: Params, name: str) -> str | None:
    """A parameter's value; an empty value counts as absent.

    The DescribeRefreshTasks reference's own example sends ``ObjectPath=``.
    """
    value = params.get(name)
    return value if value else None


def _parse_bool(params: Params, name: str, default: bool = False) -> bool:
    value = _get(params, name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in ("true", "false"):
        return folded == "true"
    raise _invalid(name, "use true or false")


def _parse_int(params: Params, name: str, default: int, low: int, high: int, code: str) -> int:
    value = _get(params, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EmulatorError(
            code, f"Specified {name} is not supported: use an integer {low}..{high}."
        ) from None
    if not low <= number <= high:
        raise EmulatorError(code, f"Specified {name} is not supported: use an integer {low}..{high}.")
    return number


def _header_values(value: object) -> bool:
    """A WithHeader value: a string, or a non-empty list of strings (the reference's JSON form)."""
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(isinstance(one, str) for one in values)


def _split_paths(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r", "\n").split("\n") if line.strip()]


class EmulatorApp:
    """Authenticate, throttle, dispatch and answer like the CDN API."""

    def __init__(
        self,
        *,
        clock: Clock,
        store: TaskStore,
        quotas: QuotaBook,
        qps: QpsLimiter,
        verifier: Verifier,
        faults: FaultInjector,
        domains: Iterable[str] | None = None,
        preload_queue: int = PRELOAD_QUEUE_SIZE,
        product_limits: limits.ProductLimits = limits.CDN_LIMITS,
        scheme_less: str = "keep",
    ) -> None:
        if scheme_less not in SCHEME_LESS_FORMS:
            raise ValueError(f"scheme_less must be one of {SCHEME_LESS_FORMS}, not {scheme_less!r}")
        self.clock = clock
        self.store = store
        self.quotas = quotas
        self.qps = qps
        self.verifier = verifier
        self.faults = faults
        self.domains = None if domains is None else frozenset(d.lower() for d in domains)
        self.offline_domains: set[str] = set()
        """Domains whose submissions answer ``InvalidDomain.Offline``."""
        self.service_open = True
        """``False``: every authenticated call answers ``OperationDenied`` (CDN not opened/suspended)."""
        self.preload_queue = preload_queue
        """How many preload tasks may be unfinished at once (``PreloadQueueFull`` beyond)."""
        self.limits = product_limits
        self.scheme_less = scheme_less
        self.domain_rate = DomainRate(
            clock, window=limits.PER_DOMAIN_WINDOW.total_seconds(), enabled=qps.enabled
        )
        """Paths per domain per minute (``QuotaPerMinuteExceeded.Refresh`` beyond); on with the QPS limits."""
        self.preload_detail_allowed = True
        """``False``: DescribePreloadDetailById answers ``OperationDenied`` (the account is not on the
        reference's whitelist)."""
        self._scripted: list[tuple[str | None, str]] = []
        self._lock = threading.Lock()
        self.requests_served: Counter[str] = Counter()
        """Requests answered, per action (errors and faults included)."""
        self.errors_returned: Counter[str] = Counter()
        self.routes: list[Route] = []
        """Other services at the same address (STS, ECS metadata): each may answer a request first."""
        """Error answers, per code."""
        self._handlers: dict[str, Handler] = {
            products.Action.DESCRIBE_REFRESH_TASKS: self._describe_refresh_tasks,
            products.Action.DESCRIBE_REFRESH_TASK_BY_ID: self._describe_refresh_task_by_id,
            products.Action.REFRESH_OBJECT_CACHES: self._refresh_object_caches,
            products.Action.PUSH_OBJECT_CACHE: self._push_object_cache,
            products.Action.DESCRIBE_REFRESH_QUOTA: self._describe_refresh_quota,
            products.Action.REFRESH_OBJECT_CACHE_BY_CACHE_TAG: self._refresh_object_cache_by_cache_tag,
            products.Action.DESCRIBE_PRELOAD_DETAIL_BY_ID: self._describe_preload_detail_by_id,
        }

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
        version = request.headers.get(VERSION_HEADER) or params.get("Version")
        if not version:
            raise missing_parameter("Version")
        if version != products.API_VERSION:
            raise EmulatorError(
                "InvalidVersion", f"Specified parameter Version is not valid: use {products.API_VERSION}."
            )
        identity = self.verifier.verify(request)
        wait = self.qps.admit(identity.access_key_id, action)
        if wait:
            raise _Throttled(wait)
        scripted = self._next_scripted(action)
        if scripted is not None:
            raise EmulatorError(scripted)
        if not self.service_open:
            raise EmulatorError("OperationDenied")
        return handler(params, identity)

    def fail_next(self, code: str, *, action: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` authenticated calls (of ``action``, or of any) with ``code``."""
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
        spec = API_ERRORS[error.code]
        with self._lock:
            self.errors_returned[error.code] += 1
        response = self._json(spec.http_status, error_body(error.code, request_id, error.message), request_id)
        if isinstance(error, _Throttled):
            response.headers["x-acs-retry-after"] = str(max(1, int(error.wait * 1000)))
        response.action = action
        response.code = error.code
        return response

    # --- DescribeRefreshTasks -----------------------------------------------------------------

    def _describe_refresh_tasks(self, params: Params, identity: Identity) -> dict[str, Any]:
        task_id = _get(params, "TaskId")
        if task_id is not None and not task_id.isdigit():
            raise EmulatorError("InvalidTaskId.Malformed")
        object_path = _get(params, "ObjectPath")
        if object_path is not None and any(c in object_path for c in "\r\n\t"):
            raise EmulatorError("InvalidObjectPath.Malformed")
        object_type = self._query_object_type(_get(params, "ObjectType"))
        status = _get(params, "Status")
        if status is not None:
            known = {s.value.lower(): s.value for s in TaskStatus.queryable()}
            if status.lower() not in known:
                raise EmulatorError(
                    "InvalidStatus.ValueNotSupported",
                    "Specified Status is not supported: use Complete, Refreshing or Failed.",
                )
            status = known[status.lower()]
        domain = _get(params, "DomainName")
        if (domain is not None or status is not None) and object_type is None:
            raise EmulatorError("MissingParameter.ObjectType")
        start, end = self._time_range(_get(params, "StartTime"), _get(params, "EndTime"))
        page_number = _parse_int(
            params, "PageNumber", 1, 1, limits.MAX_PAGE_NUMBER, "InvalidPageNumber.ValueNotSupported"
        )
        page_size = _parse_int(
            params,
            "PageSize",
            limits.DEFAULT_PAGE_SIZE,
            1,
            limits.MAX_PAGE_SIZE,
            "InvalidPageSize.ValueNotSupported",
        )
        query = TaskFilter(
            task_id=task_id,
            object_path=object_path,
            domain_name=domain,
            object_type=object_type,
            status=None if status is None else TaskStatus(status),
            start_time=start,
            end_time=end,
            resource_group_id=_get(params, "ResourceGroupId"),
        )
        tasks, total = self.store.query(query, page_number, page_size)
        return {
            "Tasks": {"CDNTask": tasks},
            "PageNumber": page_number,
            "PageSize": page_size,
            "TotalCount": total,
        }

    @staticmethod
    def _query_object_type(value: str | None) -> ObjectType | None:
        if value is None:
            return None
        kind = ObjectType(value)
        if not kind.is_known:
            allowed = ", ".join(member.value for member in ObjectType)
            raise EmulatorError(
                "InvalidObjectType.ValueNotSupported",
                f"Specified ObjectType is not supported: use one of {allowed} (or path).",
            )
        return kind

    def _time_range(self, start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
        if start is None and end is None:
            return None, None
        if start is None or end is None:
            raise EmulatorError("MissingTimeParameter")
        try:
            begin = parse_api_time(start)
        except ValueError:
            raise EmulatorError(
                "InvalidStartTime.Malformed", "Specified StartTime is malformed: use yyyy-MM-ddTHH:mm:ssZ."
            ) from None
        try:
            finish = parse_api_time(end)
        except ValueError:
            raise EmulatorError(
                "InvalidEndTime.Malformed", "Specified EndTime is malformed: use yyyy-MM-ddTHH:mm:ssZ."
            ) from None
        if finish <= begin:
            raise EmulatorError("InvalidEndTime.Mismatch")
        if begin < self.clock.now() - limits.QUERY_WINDOW - _START_TIME_GRACE:
            raise EmulatorError("InvalidStartTime.ValueNotSupported")
        return begin, finish

    # --- DescribeRefreshTaskById --------------------------------------------------------------

    def _describe_refresh_task_by_id(self, params: Params, identity: Identity) -> dict[str, Any]:
        value = _get(params, "TaskId")
        if value is None:
            raise missing_parameter("TaskId")
        ids = [item.strip() for item in value.split(",")]
        if len(ids) > limits.MAX_TASK_IDS_PER_CALL:
            raise EmulatorError(
                "InvalidTaskId.Malformed",
                f"Specified TaskId is malformed: at most {limits.MAX_TASK_IDS_PER_CALL} ids, "
                "comma-separated.",
            )
        if not all(item.isdigit() for item in ids):
            raise EmulatorError("InvalidTaskId.Malformed")
        tasks = self.store.by_ids(dict.fromkeys(ids))
        return {"Tasks": tasks, "TotalCount": len(tasks)}

    # --- RefreshObjectCaches / PushObjectCache ------------------------------------------------

    def _paths(self, params: Params, row: SubmitLimit, label: str) -> list[str]:
        """The call's paths, checked in this order (the reference gives none): count, form, length,
        wildcard, number of domains, each domain (in the order of the paths)."""
        value = _get(params, "ObjectPath")
        if value is None:
            raise missing_parameter("ObjectPath")
        paths = _split_paths(value)
        if not paths:
            raise missing_parameter("ObjectPath")
        if row.per_call is not None and len(paths) > row.per_call:
            raise EmulatorError(
                row.too_many_code,
                f"A maximum of {row.per_call} {label} are supported for each request ({len(paths)} given).",
            )
        for path in paths:
            if not is_object_path(path):
                raise EmulatorError(
                    "InvalidObjectPath.Malformed",
                    f"The specified ObjectPath is invalid: {path[:200]!r} is not a URL "
                    "(http://example.com/a.png, or example.com/a.png).",
                )
            if row.max_path_length is not None and len(path) > row.max_path_length:
                raise EmulatorError(
                    "InvalidObjectPath.Malformed",
                    f"The specified ObjectPath is invalid: each is at most {row.max_path_length} characters.",
                )
            if is_wildcard_domain(path):
                raise EmulatorError(
                    "InvalidExtensiveDomain.ValueNotSupported",
                    f"The specified ExtensiveDomain is not supported: {domain_of(path)!r} (wildcard domains "
                    "cannot be refreshed or preloaded; name the host).",
                )
        domains = list(dict.fromkeys(domain_of(path) for path in paths))
        most = self.limits.domains_per_call.get(row.action)
        if most is not None and len(domains) > most:
            raise EmulatorError(
                "DomainNameOverLimit",
                f"A maximum of {most} domains are supported for each request ({len(domains)} given).",
            )
        for domain in domains:
            self._check_domain(domain)
        return paths

    def _check_domain(self, domain: str) -> None:
        if self.domains is not None and domain not in self.domains:
            raise EmulatorError("InvalidDomain.NotFound")
        if self.offline_domains and domain in self.offline_domains:
            raise EmulatorError("InvalidDomain.Offline")

    def _stored(self, paths: list[str]) -> list[str]:
        """The paths as the tasks will report them (see :data:`SCHEME_LESS_FORMS`)."""
        if self.scheme_less == "keep":
            return paths
        return [f"http://{path}" if is_scheme_less_url(path) else path for path in paths]

    def _per_minute(self, identity: Identity, row: SubmitLimit, paths: list[str]) -> None:
        if row.per_domain_per_minute is None:
            return
        counts: dict[str, int] = {}
        for path in paths:
            domain = domain_of(path)
            counts[domain] = counts.get(domain, 0) + 1
        # No x-acs-retry-after here: that header is the gateway's for flow control (the official SDK
        # turns any answer carrying it into a ThrottlingException); nothing says this business
        # error carries it.
        if self.domain_rate.admit(identity.access_key_id, row.action, counts, row.per_domain_per_minute):
            raise EmulatorError(
                "QuotaPerMinuteExceeded.Refresh",
                "You tried to refresh too frequently; please try again later "
                f"(at most {row.per_domain_per_minute} URLs of a domain a minute).",
            )

    def _take_quota(self, row: SubmitLimit, count: int) -> None:
        if row.quota is None:
            return
        try:
            self.quotas.take(row.quota, count)
        except QuotaExceeded:
            # The CDN reference lists QuotaExceeded.Refresh for every daily quota, preloads included.
            raise EmulatorError("QuotaExceeded.Refresh") from None

    def _refresh_object_caches(self, params: Params, identity: Identity) -> dict[str, Any]:
        kind = RefreshObjectType(_get(params, "ObjectType") or RefreshObjectType.FILE.value)
        action = products.Action.REFRESH_OBJECT_CACHES
        if not kind.is_known or (action, kind.value) not in self.limits.submits:
            allowed = ", ".join(self.limits.types_of(action))
            raise EmulatorError(
                "InvalidObjectType.Malformed",
                f"The specified ObjectType is invalid: use one of {allowed}.",
            )
        row = self.limits.submit(action, kind.value)
        _parse_bool(params, "Force")
        paths = self._paths(params, row, _PLURAL.get(kind.value, "regular expressions"))
        if kind is RefreshObjectType.DIRECTORY:
            for path in paths:
                if not path.endswith("/"):
                    raise EmulatorError(
                        "InvalidObjectPath.Malformed",
                        "The specified ObjectPath is invalid: a Directory must end with '/': "
                        f"{path[:200]!r}.",
                    )
        self._per_minute(identity, row, paths)
        self._take_quota(row, len(paths))
        ids = self.store.submit(
            self._stored(paths), kind.task_type, merge=row.merged_per_task_id, merge_key=kind.value
        )
        return {"RefreshTaskId": ",".join(ids)}

    def _push_object_cache(self, params: Params, identity: Identity) -> dict[str, Any]:
        row = self.limits.submit(products.Action.PUSH_OBJECT_CACHE, "preload")
        paths = self._paths(params, row, "URLs")
        area = _get(params, "Area")
        if area is not None and not PreloadArea(area).is_known:
            raise _invalid("Area", "use domestic or overseas")
        _parse_bool(params, "L2Preload")
        _parse_bool(params, "QueryHashkey")
        _parse_bool(params, "ConsistencyHash")
        header = _get(params, "WithHeader")
        if header is not None:
            try:
                decoded = json.loads(header)
            except ValueError:
                decoded = None
            if not isinstance(decoded, dict) or not all(
                isinstance(k, str) and _header_values(v) for k, v in decoded.items()
            ):
                raise _invalid(
                    "WithHeader",
                    "use a JSON object of header names to a string or a list of strings, "
                    'e.g. {"Accept-Encoding":["gzip"]}',
                )
        if self.store.unfinished(ObjectType.PRELOAD) + len(paths) > self.preload_queue:
            raise EmulatorError("PreloadQueueFull")
        self._per_minute(identity, row, paths)
        self._take_quota(row, len(paths))
        ids = self.store.submit(self._stored(paths), ObjectType.PRELOAD, merge=row.merged_per_task_id)
        return {"PushTaskId": ",".join(ids)}

    # --- RefreshObjectCacheByCacheTag ---------------------------------------------------------

    def _refresh_object_cache_by_cache_tag(self, params: Params, identity: Identity) -> dict[str, Any]:
        row = self.limits.submit(products.Action.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, "cachetag")
        domain = _get(params, "DomainName")
        if domain is None:
            raise missing_parameter("DomainName")
        value = _get(params, "CacheTag")
        if value is None:
            raise missing_parameter("CacheTag")
        _parse_bool(params, "Force")
        if row.max_joined_length is not None and len(value) > row.max_joined_length:
            raise _invalid("CacheTag", f"at most {row.max_joined_length} characters")
        tags = list(dict.fromkeys(tag.strip() for tag in value.split(",") if tag.strip()))
        if not tags:
            raise _invalid("CacheTag", "give one or more tags, comma-separated")
        host = domain.strip().lower()
        if "*" in host:
            raise EmulatorError(
                "InvalidExtensiveDomain.ValueNotSupported",
                f"The specified ExtensiveDomain is not supported: {host!r}.",
            )
        if "/" in host or " " in host or not host:
            raise _invalid("DomainName", "give an accelerated domain name such as example.com")
        self._check_domain(host)
        self._take_quota(row, len(tags))
        task_id = self.store.one_id(tags, _CACHE_TAG_TYPE, domain=host)
        return {"RefreshTaskId": task_id}

    # --- DescribePreloadDetailById ------------------------------------------------------------

    def _describe_preload_detail_by_id(self, params: Params, identity: Identity) -> dict[str, Any]:
        if not self.preload_detail_allowed:
            raise EmulatorError(
                "OperationDenied",
                "Your account is not allowed to call DescribePreloadDetailById (a whitelist applies).",
            )
        task_id = _get(params, "TaskId")
        if task_id is None:
            raise missing_parameter("TaskId")
        if not task_id.strip().isdigit():
            raise EmulatorError(
                "InvalidTaskId.Malformed", "Specified TaskId is malformed: give one task id (digits)."
            )
        rows = [
            (record, state)
            for record, state in self.store.rows_of(task_id.strip())
            if record.object_type is ObjectType.PRELOAD
        ]
        if not rows:
            return {"TotalCount": 0, "UrlDetails": []}
        return {"TotalCount": 1, "UrlDetails": [self._preload_detail(task_id.strip(), rows)]}

    @staticmethod
    def _preload_detail(
        task_id: str, rows: list[tuple[TaskRecord, tuple[str, float, str]]]
    ) -> dict[str, Any]:
        statuses = [state[0] for _, state in rows]
        if TaskStatus.FAILED.value in statuses:
            status = TaskStatus.FAILED.value
        elif all(s == TaskStatus.COMPLETE.value for s in statuses):
            status = TaskStatus.COMPLETE.value
        else:
            status = TaskStatus.REFRESHING.value
        done = status in (TaskStatus.COMPLETE.value, TaskStatus.FAILED.value)
        average = sum(state[1] for _, state in rows) / len(rows)
        first = rows[0][0]
        ended = max(record.created + timedelta(seconds=record.duration) for record, _ in rows)
        urls = []
        for record, (row_status, process, description) in rows:
            if row_status == TaskStatus.COMPLETE.value:
                text = PRELOAD_SUCCESS_DESCRIPTION
            elif row_status == TaskStatus.FAILED.value:
                text = description
            else:
                text = ""
            urls.append(
                {
                    "Url": record.object_path,
                    "Success": format_process(int(process), process),
                    "Description": text,
                }
            )
        return {
            "TaskId": task_id,
            "Domain": first.domain,
            "CreationTime": format_api_time(first.created),
            "EndTime": format_api_time(ended) if done else "",
            "Process": format_process(int(average), round(average, 2)),
            "RetCode": _RETCODE_FAILED if status == TaskStatus.FAILED.value else "0",
            "Status": status,
            "Urls": urls,
        }

    # --- DescribeRefreshQuota -----------------------------------------------------------------

    def _describe_refresh_quota(self, params: Params, identity: Identity) -> dict[str, Any]:
        report = self.quotas.report()
        body: dict[str, Any] = {}
        for kind, prefix in QUOTA_FIELDS.items():
            if kind in report:
                quota, remain = report[kind]
                body[f"{prefix}Quota"] = str(quota)
                body[f"{prefix}Remain"] = str(remain)
        return body


class _Throttled(EmulatorError):
    def __init__(self, wait: float) -> None:
        super().__init__("Throttling")
        self.wait = wait
