"""One clear message, not a traceback, when a dynamic provider operation fails.

``python -m pulumi.dynamic`` (the process the engine runs for dynamic providers) wraps every
operation in ``_abort_with_traceback``: any exception becomes ``context.abort(UNKNOWN,
traceback.format_exc())``, and ``pulumi up`` prints that whole traceback as the error. For the
failures a user must act on (a task ended ``Failed``, the wait timed out, the API or the
credentials refused) the message is the whole story, so :func:`fail` hands the engine just the
message: it finds the gRPC servicer ``context`` of the current call on the stack and makes its
``abort`` use the message as the status details. Outside a gRPC call (unit tests, another host)
the exception is simply raised, ``from None`` so no chained traceback comes with it.

Unexpected exceptions (bugs) are left alone: their traceback is what a bug report needs.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, NoReturn

__all__ = ["ProviderOperationError", "fail"]


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


def _abort_with_message(original: Callable[[Any, str], Any], message: str) -> Callable[[Any, str], Any]:
    def abort(code: Any, details: str) -> Any:
        return original(code, message)

    return abort


def fail(message: str) -> NoReturn:
    """Fail the current provider operation with ``message`` as the error the engine shows."""
    context = _servicer_context(sys._getframe(1))
    if context is not None:
        with contextlib.suppress(AttributeError):  # a context type that refuses attributes
            context.abort = _abort_with_message(context.abort, message)
    raise ProviderOperationError(message) from None
