"""One clear message, not a traceback, when a dynamic provider operation fails.

``python -m pulumi.dynamic`` (the process the engine runs for dynamic providers) wraps every
operation in ``_abort_with_traceback``: any exception becomes ``context.abort(UNKNOWN,
traceback.format_exc())``, and ``pulumi up`` prints that whole traceback as the error. For the
failures a user must act on (a task ended ``Failed``, the wait timed out, the API or the
credentials refused) the message is the whole story, so :func:`fail` hands the engine just the
message: it finds the gRPC servicer ``context`` of the current call on the stack and makes its
``abort`` use the message as the status details. Outside a gRPC call (unit tests, another host)
the exception is simply raised, ``from None`` so no chained traceback comes with it.

When the resource exists after all (:class:`~.outcomes.Incomplete`: a CacheRefresh that submitted
and then failed), :func:`fail` also attaches an ``ErrorResourceInitFailed`` detail (id, outputs,
reasons) to the call's status, in the ``grpc-status-details-bin`` trailer where gRPC carries rich
status details. The engine reads that detail from any provider, the dynamic host included: it
stores the resource with those outputs and the reasons as its initialization errors, and on the
next ``pulumi up`` calls Update even when no input changed, so the operation resumes.

Unexpected exceptions (bugs) are left alone: their traceback is what a bug report needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any, Final, NoReturn

__all__ = ["STATUS_DETAILS_KEY", "InitFailure", "ProviderOperationError", "fail", "init_failed_metadata"]

STATUS_DETAILS_KEY: Final = "grpc-status-details-bin"
"""The trailing metadata key under which gRPC carries a serialized ``google.rpc.Status``."""
_UNKNOWN: Final = 2
"""grpc.StatusCode.UNKNOWN: the code pulumi.dynamic aborts every failed call with (the details'
code must match the call's)."""


@dataclass(frozen=True)
class InitFailure:
    """A resource that exists although its operation failed: what the engine should store."""

    id: str
    properties: Mapping[str, Any]
    """Its outputs as the host would return them (``__provider`` included), not yet serialized."""
    reasons: Sequence[str]


class ProviderOperationError(Exception):
    """A dynamic provider operation failed; ``str()`` is the complete, user-facing message."""


def _servicer_context(frame: FrameType | None) -> Any:
    try:
        import grpc
    except ImportError:  # pragma: no cover - grpcio comes with pulumi
        return None
    while frame is not None:
        candidate = frame.f_locals.get("context")
        if isinstance(candidate, grpc.ServicerContext):
            return candidate
        frame = frame.f_back
    return None


def _abort_with_message(
    context: Any, message: str, metadata: tuple[tuple[str, bytes], ...] | None
) -> Callable[[Any, str], Any]:
    original = context.abort

    def abort(code: Any, details: str) -> Any:
        if metadata is not None:
            context.set_trailing_metadata(metadata)
        return original(code, message)

    return abort


def init_failed_metadata(message: str, failure: InitFailure) -> tuple[tuple[str, bytes], ...]:
    """The trailing metadata that tells the engine the resource exists: an ``ErrorResourceInitFailed``."""
    from pulumi.runtime import rpc
    from pulumi.runtime.proto import provider_pb2, status_pb2

    loop = asyncio.new_event_loop()
    try:
        properties = loop.run_until_complete(rpc.serialize_properties(dict(failure.properties), {}))
    finally:
        loop.close()
    detail = provider_pb2.ErrorResourceInitFailed(
        id=failure.id, properties=properties, reasons=list(failure.reasons)
    )
    status = status_pb2.Status(code=_UNKNOWN, message=message)
    status.details.add().Pack(detail)
    return ((STATUS_DETAILS_KEY, status.SerializeToString()),)


def fail(message: str, init_failure: InitFailure | None = None) -> NoReturn:
    """Fail the current provider operation with ``message`` as the error the engine shows; with
    ``init_failure``, the engine also keeps the resource as it stands (partial state)."""
    context = _servicer_context(sys._getframe(1))
    if context is not None:
        metadata = None if init_failure is None else init_failed_metadata(message, init_failure)
        with contextlib.suppress(AttributeError):  # a context type that refuses attributes
            context.abort = _abort_with_message(context, message, metadata)
    raise ProviderOperationError(message) from None
