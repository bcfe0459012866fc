"""What each resource accepts: its input names, the defaults ``check`` fills in, and its failures.

Plain functions of wire-shaped maps (camelCase keys, as in ``schema/schema.json``), with no
``pulumi.dynamic`` type, so that every face of the resources (the dynamic providers in
``dynamic_providers.py``, and any later host) judges inputs the same way. A value that is not
known yet (preview) is never judged: see :func:`is_unknown`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Final, NamedTuple

from pulumi.output import Unknown
from pulumi.runtime import rpc

from alicloud_cdn_refresh.limits import MAX_PRELOAD_PATH_LENGTH
from alicloud_cdn_refresh.models import PreloadArea, RefreshObjectType, parse_iso_time
from alicloud_cdn_refresh.paths import directory_problem
from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, PRODUCTS

from .identity import IDENTITY_INPUTS, check_assume_role, check_profile
from .types import to_python_name

__all__ = [
    "CACHE_REFRESH_ENUMS",
    "CACHE_REFRESH_INPUTS",
    "DEFAULT_TIMEOUT_SECONDS",
    "OPERATIONS",
    "PRODUCT_NAMES",
    "REFRESH_WAIT_INPUTS",
    "CACHE_TAG_OPERATION",
    "CheckOutcome",
    "InputFailure",
    "check_cache_refresh",
    "check_refresh_wait",
    "inputs_only",
    "is_unknown",
    "parse_since",
    "product_of",
]

DEFAULT_TIMEOUT_SECONDS: Final = 1800.0
"""How long a wait lasts by default (Alibaba says a refresh takes effect in 5-6 minutes)."""

CACHE_TAG_OPERATION: Final = "refreshByCacheTag"
"""``CacheRefresh``'s purge by cache tag (RefreshObjectCacheByCacheTag of ``cacheTags`` on ``domainName``)."""
OPERATIONS: Final = ("refresh", "preload", CACHE_TAG_OPERATION)
"""What ``CacheRefresh`` submits: RefreshObjectCaches, PushObjectCache or RefreshObjectCacheByCacheTag."""

PRODUCT_NAMES: Final = tuple(PRODUCTS)
"""The ``product`` input's values (``cdn``, the default, and ``dcdn``): ``products.py`` owns them."""

CACHE_REFRESH_ENUMS: Final[dict[str, tuple[str, ...]]] = {
    "operation": OPERATIONS,
    "objectType": tuple(member.value for member in RefreshObjectType),
    "area": tuple(member.value for member in PreloadArea),
    "product": PRODUCT_NAMES,
}
"""The allowed values of CacheRefresh's enum inputs (wire names), as :func:`check_cache_refresh` wants."""

REFRESH_WAIT_INPUTS: Final = (
    "objectPaths",
    "taskIds",
    "since",
    "timeoutSeconds",
    "failOnFailed",
    "triggers",
    "product",
    *IDENTITY_INPUTS,
)
"""RefreshWait's inputs (wire names); every other property is an output."""

CACHE_REFRESH_INPUTS: Final = (
    "objectPaths",
    "operation",
    "objectType",
    "force",
    "area",
    "triggers",
    "wait",
    "timeoutSeconds",
    "failOnFailed",
    "cacheTags",
    "domainName",
    "product",
    *IDENTITY_INPUTS,
)
"""CacheRefresh's inputs (wire names); every other property is an output."""


class InputFailure(NamedTuple):
    """One refused input: its wire name, and the reason (which names it in Python spelling)."""

    property: str
    reason: str


@dataclass
class CheckOutcome:
    """The inputs with their defaults filled in, and every refused input (empty when all are good)."""

    inputs: dict[str, Any]
    failures: list[InputFailure] = field(default_factory=list)


def is_unknown(value: Any) -> bool:
    """An input whose value is not known yet (preview): never judged, always a change."""
    if value is None:
        return False
    if isinstance(value, Unknown):  # what pulumi.dynamic makes of the engine's unknown sentinel
        return True
    if isinstance(value, str):
        return value == rpc.UNKNOWN
    if isinstance(value, list):
        return any(is_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(is_unknown(item) for item in value.values())
    return False


def parse_since(value: Any) -> datetime:
    """``since`` as an aware UTC time; a ``TypeError`` or ``ValueError`` when it is not one."""
    if not isinstance(value, str):
        raise TypeError("since must be a string")
    return parse_iso_time(value)


def product_of(inputs: Mapping[str, Any]) -> str:
    """The product checked inputs name (``cdn`` when they name none: state written before ``product``)."""
    return str(inputs.get("product") or DEFAULT_PRODUCT)


def inputs_only(props: Mapping[str, Any], input_keys: Iterable[str]) -> dict[str, Any]:
    """The inputs among ``props`` (state holds inputs and outputs in one map)."""
    return {key: props[key] for key in input_keys if key in props}


class _Checker:
    """Collects the failures of one set of inputs, naming the input (Python spelling)."""

    def __init__(self, news: Mapping[str, Any]) -> None:
        self.inputs: dict[str, Any] = dict(news)
        self.failures: list[InputFailure] = []

    def fail(self, key: str, reason: str) -> None:
        self.failures.append(InputFailure(key, f"{to_python_name(key)}: {reason}"))

    def known(self, key: str) -> bool:
        value = self.inputs.get(key)
        return value is not None and not is_unknown(value)

    def paths(self, key: str, *, max_length: int | None = None) -> list[str]:
        if not self.known(key):
            return []
        value = self.inputs[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(key, f"must be a list of strings, got {value!r}")
            return []
        if any(not item.strip() for item in value):
            self.fail(key, "must not contain empty strings")
        if max_length is not None:
            for item in value:
                if len(item) > max_length:
                    self.fail(key, f"{item[:60]!r}... is longer than {max_length} characters")
        return list(value)

    def boolean(self, key: str, default: bool) -> None:
        if self.inputs.get(key) is None:
            self.inputs[key] = default
        elif self.known(key) and not isinstance(self.inputs[key], bool):
            self.fail(key, f"must be true or false, got {self.inputs[key]!r}")

    def timeout(self, key: str) -> None:
        if self.inputs.get(key) is None:
            self.inputs[key] = DEFAULT_TIMEOUT_SECONDS
            return
        if not self.known(key):
            return
        value = self.inputs[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(key, f"must be a number of seconds, got {value!r}")
        elif value <= 0:
            self.fail(key, f"must be greater than 0, got {value!r}")

    def choice(self, key: str, allowed: Sequence[str], *, canonical: Callable[[str], str | None]) -> None:
        if not self.known(key):
            return
        value = self.inputs[key]
        fixed = canonical(value) if isinstance(value, str) else None
        if fixed is None:
            self.fail(key, f"must be one of {', '.join(allowed)}; got {value!r}")
        else:
            self.inputs[key] = fixed

    def time(self, key: str) -> None:
        if not self.known(key):
            return
        value = self.inputs[key]
        try:
            parse_since(value)
        except (TypeError, ValueError):
            self.fail(
                key,
                f"must be an ISO 8601 time with a timezone, such as 2026-01-31T08:00:00Z; got {value!r}",
            )

    def text(self, key: str) -> str | None:
        if not self.known(key):
            return None
        value = self.inputs[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty string, got {value!r}")
            return None
        return value

    def identity(self) -> None:
        """``profile`` and ``assumeRole``: the resource's own identity over the stack's."""
        if self.known("profile"):
            reason = check_profile(self.inputs["profile"])
            if reason is not None:
                self.fail("profile", reason)
        if self.known("assumeRole"):
            role, problems = check_assume_role(self.inputs["assumeRole"])
            for problem in problems:
                self.fail("assumeRole", problem)
            if not problems:
                self.inputs["assumeRole"] = role

    def product(self) -> None:
        """``product``: ``cdn`` or ``dcdn``, any case. Not filled in when absent (absent is ``cdn``:
        :func:`product_of`), so that state stored before ``product`` existed checks unchanged."""
        self.choice("product", PRODUCT_NAMES, canonical=_choice(PRODUCT_NAMES))

    def absent(self, key: str, operation: str) -> None:
        """An input that has no meaning for ``operation`` (given anyway: a mistake worth naming)."""
        value = self.inputs.get(key)
        if value is not None and value is not False and value != []:
            self.fail(key, f"does not apply to operation {operation!r}")

    def outcome(self) -> CheckOutcome:
        return CheckOutcome(self.inputs, self.failures)


def _member(enum_type: type[Enum]) -> Callable[[str], str | None]:
    """Canonical spelling of a known enum member (case-insensitive), or None."""

    def canonical(value: str) -> str | None:
        member: Any = enum_type(value)
        return str(member.value) if member.is_known else None

    return canonical


def _choice(allowed: Sequence[str]) -> Callable[[str], str | None]:
    def canonical(value: str) -> str | None:
        folded = value.casefold()
        return next((item for item in allowed if item.casefold() == folded), None)

    return canonical


def check_refresh_wait(news: Mapping[str, Any]) -> CheckOutcome:
    """RefreshWait: validate the inputs and fill in the defaults."""
    checker = _Checker(news)
    paths = checker.paths("objectPaths")
    ids = checker.paths("taskIds")
    if (
        not paths
        and not ids
        and not is_unknown(news.get("objectPaths"))
        and not is_unknown(news.get("taskIds"))
    ):
        checker.fail("objectPaths", "give at least one object path or task id (task_ids) to wait for")
    checker.time("since")
    checker.timeout("timeoutSeconds")
    checker.boolean("failOnFailed", True)
    checker.product()
    checker.identity()
    return checker.outcome()


def check_cache_refresh(news: Mapping[str, Any]) -> CheckOutcome:
    """CacheRefresh: validate the inputs (naming the input and the allowed values), fill in the defaults.

    ``operation`` defaults to ``refreshByCacheTag`` when ``cacheTags`` are given, else ``refresh``.
    """
    checker = _Checker(news)
    if checker.inputs.get("operation") is None:
        tags = checker.inputs.get("cacheTags")
        checker.inputs["operation"] = CACHE_TAG_OPERATION if tags and not is_unknown(tags) else "refresh"
    operations = CACHE_REFRESH_ENUMS["operation"]
    checker.choice("operation", operations, canonical=_choice(operations))
    operation = checker.inputs["operation"] if checker.known("operation") else None  # None: unknown yet
    if operation == CACHE_TAG_OPERATION:
        _check_cache_tags(checker, news)
    else:
        _check_paths(checker, news, operation)
    checker.boolean("wait", True)
    checker.timeout("timeoutSeconds")
    checker.boolean("failOnFailed", True)
    checker.product()
    checker.identity()
    return checker.outcome()


def _check_paths(checker: _Checker, news: Mapping[str, Any], operation: str | None) -> None:
    """``refresh`` and ``preload`` (``operation`` None: not known yet) of ``objectPaths``."""
    preload = operation == "preload"
    failures_before = len(checker.failures)
    paths = checker.paths("objectPaths", max_length=MAX_PRELOAD_PATH_LENGTH if preload else None)
    if not paths and len(checker.failures) == failures_before and not is_unknown(news.get("objectPaths")):
        checker.fail("objectPaths", "give at least one object path to refresh or preload")
    if operation is not None:
        for key in ("cacheTags", "domainName"):
            if checker.known(key):
                checker.fail(key, f"applies to operation {CACHE_TAG_OPERATION!r} only, not to {operation!r}")
    if operation == "preload":
        for key in ("objectType", "force"):
            if checker.known(key) and checker.inputs[key] is not False:
                checker.fail(key, "applies to operation 'refresh' only, not to 'preload'")
        checker.choice("area", CACHE_REFRESH_ENUMS["area"], canonical=_member(PreloadArea))
    elif operation == "refresh":
        if checker.known("area"):
            checker.fail("area", "applies to operation 'preload' only, not to 'refresh'")
        if checker.inputs.get("objectType") is None:
            checker.inputs["objectType"] = RefreshObjectType.FILE.value
        checker.choice("objectType", CACHE_REFRESH_ENUMS["objectType"], canonical=_member(RefreshObjectType))
        if checker.inputs["objectType"] == RefreshObjectType.DIRECTORY.value:
            problem = directory_problem(paths)
            if problem is not None:
                checker.fail("objectPaths", problem)
        checker.boolean("force", False)


def _check_cache_tags(checker: _Checker, news: Mapping[str, Any]) -> None:
    """``refreshByCacheTag``: ``cacheTags`` on ``domainName``; ``force`` as for a refresh."""
    failures_before = len(checker.failures)
    tags = checker.paths("cacheTags")
    if not tags and len(checker.failures) == failures_before and not is_unknown(news.get("cacheTags")):
        checker.fail("cacheTags", f"give at least one cache tag to purge (operation {CACHE_TAG_OPERATION!r})")
    domain = checker.text("domainName")
    if domain is None and not checker.known("domainName") and not is_unknown(news.get("domainName")):
        checker.fail("domainName", f"give the domain whose cache tags to purge ({CACHE_TAG_OPERATION!r})")
    elif domain is not None and ("/" in domain or "*" in domain or " " in domain):
        checker.fail("domainName", f"must be a domain name such as www.example.com, got {domain!r}")
    for key in ("objectPaths", "objectType", "area"):
        checker.absent(key, CACHE_TAG_OPERATION)
    checker.boolean("force", False)
