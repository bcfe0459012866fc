"""A failed RPC as the engine should see it: one clear message, and the resource when it exists anyway.

- :class:`~alicloud_cdn_refresh.pulumi.outcomes.Incomplete` (a CacheRefresh that submitted, then its
  wait failed, timed out or was cancelled): the message, and an ``ErrorResourceInitFailed`` detail
  with the resource's id and outputs in the ``grpc-status-details-bin`` trailer, so the engine keeps
  it with those outputs and calls Update on the next ``pulumi up``, which resumes it;
- any other :class:`~alicloud_cdn_refresh.errors.CdnError` (a Failed path with its description, a
  timeout with the pending paths, an API or credentials error): the behaviour's message alone
  (``RefreshWait create failed: ...``), never a traceback;
- a token the package does not have: its message;
- anything else is a bug: its type and message for the engine, its traceback on stderr.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final, NoReturn, TypeVar

import grpc
from pulumi.runtime.proto import provider_pb2, status_pb2

from alicloud_cdn_refresh.errors import CdnError
from alicloud_cdn_refresh.pulumi.failures import STATUS_DETAILS_KEY
from alicloud_cdn_refresh.pulumi.operations import Behaviour
from alicloud_cdn_refresh.pulumi.outcomes import Incomplete

from .configuration import in_plugin_words
from .provider import UnknownToken
from .values import encode

__all__ = ["answer", "init_failed_detail"]

_T = TypeVar("_T")
_CODE: Final = grpc.StatusCode.UNKNOWN


def init_failed_detail(message: str, incomplete: Incomplete, secrets: Iterable[str]) -> bytes:
    """The serialized ``google.rpc.Status`` whose detail tells the engine the resource exists."""
    detail = provider_pb2.ErrorResourceInitFailed(
        id=incomplete.id, properties=encode(incomplete.outs, secrets), reasons=[message]
    )
    status = status_pb2.Status(code=_CODE.value[0], message=message)
    status.details.add().Pack(detail)
    serialized: bytes = status.SerializeToString()
    return serialized


async def _abort(context: Any, message: str, trailer: bytes | None = None) -> NoReturn:
    metadata = ((STATUS_DETAILS_KEY, trailer),) if trailer is not None else ()
    await context.abort(_CODE, message, trailing_metadata=metadata)
    raise RuntimeError(message)  # pragma: no cover - abort raises


async def answer(
    context: Any,
    label: str,
    work: Callable[[], Awaitable[_T]],
    *,
    behaviour: Behaviour | None = None,
    operation: str = "",
    secrets: Iterable[str] = (),
) -> _T:
    """``await work()``; a failure becomes the engine's error for ``label`` (``CacheRefresh create``)."""
    try:
        return await work()
    except Incomplete as incomplete:
        assert behaviour is not None
        message = in_plugin_words(behaviour.failure_message(operation, incomplete.error))
        reason = f"{message}\n{behaviour.incomplete_note(incomplete)}"
        await _abort(context, message, init_failed_detail(reason, incomplete, secrets))
    except CdnError as error:
        if behaviour is not None:
            message = behaviour.failure_message(operation, error)
        else:
            message = f"{label} failed: {error}"
        await _abort(context, in_plugin_words(message))
    except UnknownToken as error:
        await _abort(context, str(error))
    except Exception as error:  # a bug: the engine gets its type and message, stderr its traceback
        if isinstance(error, grpc.aio.AbortError):
            raise
        traceback.print_exc(file=sys.stderr)
        await _abort(context, f"{label}: unexpected {type(error).__name__}: {error}")
