"""Every error of a ``cdn-refresh`` run as one masked line on stderr, an :class:`ExitStatus`, and with
``--json`` one JSON document on stdout.

The document is ``{"version": 1, "error": {"kind", "code", "message", "request_id", "exit_code",
"hint", ...}}`` (README, "JSON output"): ``code`` and ``request_id`` are the service's, ``null`` for
errors that are not the service's answer. A command that already printed its document (a partly
accepted submit, an interrupted wait) gets no second one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from alicloud_cdn_refresh.kinds import FILTER_FIELDS

from .exit_status import ExitStatus
from .output import OUTPUT_ERRNOS, OutputClosed, Terminated, silence, write_json
from .state import CliState

if TYPE_CHECKING:
    from alicloud_cdn_refresh.errors import ApiError, InvalidQuery

__all__ = ["FLAGS", "HINTS", "Failure", "one_line", "report_failure", "status_of_failure"]

HINTS = {
    "SignatureDoesNotMatch": "the secret does not match the access key id, or a proxy altered the request",
    "IncompleteSignature": "the request was not signed as the gateway expects; try --signature-version v1",
    "InvalidAccessKeyId.NotFound": "this endpoint does not know the access key id (check it and --endpoint)",
    "InvalidTimeStamp.Expired": "this machine's clock is more than 15 minutes off; sync it (NTP)",
    "InvalidSecurityToken.Expired": "the STS token has expired; get a new one",
    "Throttling": "too many calls per second; retried already, try again later or slow down",
    "Throttling.User": "too many calls per second for this account; try again later",
    "InvalidStartTime.ValueNotSupported": "only the last 3 days can be queried; move --start later",
    "MissingParameter.ObjectType": "--domain and --status need --object-type",
    "MissingTimeParameter": "give both --start and --end, or neither",
    "OperationDenied": "the {product} service is not activated on this account, or it is suspended",
    "QuotaExceeded.Refresh": "today's refresh quota is used up; see `cdn-refresh quota`",
    "InvalidDomain.NotFound": "the domain is not a {product} domain of this account (see --product)",
}
"""A next step for common API error codes, printed after the error line (``{product}``: the
``--product``'s name, ``CDN`` or ``DCDN``)."""

FLAGS = {
    **{item.wire: item.flag for item in FILTER_FIELDS},
    "PageNumber": "--page",
    "PageSize": "--page-size",
    "Area": "--area",
    "WithHeader": "--with-header",
    "CacheTag": "--cache-tag",
    "L2Preload": "--l2-preload",
    "QueryHashkey": "--query-hashkey",
    "ConsistencyHash": "--consistency-hash",
    "product": "--product",
    "endpoint": "--endpoint",
    "signature_version": "--signature-version",
    "timeout": "--timeout",
    "object_paths": "PATH",
    "task_ids": "--task-id",
    "since": "--since",
    "poll_initial": "--poll-initial",
    "poll_max": "--poll-max",
    "not_found_grace": "--not-found-grace",
}
"""The command-line spelling of the parameters the client and the waiter name in InvalidQuery
(``timeout`` is the waiter's; ``--request-timeout`` is checked by its own type before the client).
A command that spells one differently says so in :attr:`.state.CliState.flags` (``refresh --type``
for ``ObjectType``)."""


class Failure:
    """What an error means for the user: the line, the exit status and the JSON error object.

    (A plain class: a dataclass costs a millisecond at every start-up, ``--help`` included.)"""

    __slots__ = ("code", "details", "hint", "kind", "message", "request_id", "status")

    def __init__(
        self,
        status: ExitStatus,
        message: str,
        kind: str,
        *,
        code: str | None = None,
        request_id: str | None = None,
        hint: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.kind = kind
        self.code = code
        self.request_id = request_id
        self.hint = hint
        self.details = details or {}

    def as_json(self, redact: Callable[[str], str]) -> dict[str, Any]:
        """The ``error`` object of the JSON document."""
        return {
            **self.details,
            "kind": self.kind,
            "code": self.code,
            "message": redact(self.message),
            "request_id": self.request_id,
            "exit_code": int(self.status),
            "hint": self.hint,
        }


def one_line(text: str) -> str:
    """``text`` on one line (its lines joined with ``; ``)."""
    return "; ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _usage_text(error: InvalidQuery, state: CliState) -> str:
    """``--end (EndTime): ...``: the flag the user typed, then the API's name, then the reason."""
    text = one_line(str(error))
    flag = state.flags.get(error.parameter) or FLAGS.get(error.parameter)
    prefix = f"{error.parameter}: "
    if flag is None or not text.startswith(prefix):
        return text
    return f"{flag} ({error.parameter}): {text[len(prefix) :]}"


def _product_title(state: CliState) -> str:
    from alicloud_cdn_refresh.products import PRODUCTS

    product = PRODUCTS.get(state.product or "")
    return product.title if product is not None else "CDN"


def _api_failure(error: ApiError, state: CliState) -> Failure:
    details = [error.action] if error.action else []
    if error.http_status:
        details.append(f"HTTP {error.http_status}")
    details.append(f"request id {error.request_id or '(none)'}")
    network = error.code == "TransportError"
    hint = HINTS.get(error.code) or (HINTS["Throttling"] if error.code.startswith("Throttling") else None)
    if hint is not None:
        hint = hint.replace("{product}", _product_title(state))
    if error.code == "OperationDenied" and error.action == "DescribePreloadDetailById":
        hint = (
            "only accounts on Alibaba Cloud's list may read preload details; `cdn-refresh tasks --task-id ID`"
        )
    return Failure(
        ExitStatus.API_ERROR,
        f"API error {error.code}: {one_line(error.message)} ({', '.join(details)})",
        "network" if network else "api",
        code=error.code,
        request_id=error.request_id or None,
        hint=hint,
        details={"http_status": error.http_status or None, "action": error.action or None},
    )


def _classify(error: BaseException, state: CliState) -> Failure | None:
    """The failure ``error`` means; ``None`` for what must propagate (``SystemExit``)."""
    # the package's exception tree is imported once something failed, not at every start-up
    from alicloud_cdn_refresh.errors import (
        ApiError,
        CdnError,
        CredentialsError,
        InsufficientQuota,
        InvalidQuery,
        PartialSubmit,
    )

    if isinstance(error, click.UsageError):
        where = error.ctx.command_path if error.ctx is not None else "cdn-refresh"
        return Failure(
            ExitStatus.USAGE, f"{one_line(error.format_message())} (see '{where} --help')", "usage"
        )
    if isinstance(error, click.ClickException):
        known = error.exit_code in ExitStatus._value2member_map_
        status = ExitStatus(error.exit_code) if known else ExitStatus.USAGE
        return Failure(status, one_line(error.format_message()), "usage")
    if isinstance(error, (click.Abort, KeyboardInterrupt)):
        return Failure(ExitStatus.INTERRUPTED, "interrupted", "interrupted")
    if isinstance(error, Terminated):
        return Failure(ExitStatus.TERMINATED, "terminated (SIGTERM)", "terminated")
    if isinstance(error, (OutputClosed, BrokenPipeError)):
        return Failure(ExitStatus.BROKEN_PIPE, "output closed by its reader (broken pipe)", "output")
    if isinstance(error, OSError) and error.errno in OUTPUT_ERRNOS:
        reason = error.strerror or str(error)
        return Failure(ExitStatus.OUTPUT_ERROR, f"cannot write the output: {reason}", "output")
    if isinstance(error, InvalidQuery):
        text = _usage_text(error, state)
        return Failure(ExitStatus.USAGE, text, "usage", details={"parameter": error.parameter})
    if isinstance(error, CredentialsError):
        places = "; ".join(f"({number}) {place}" for number, place in enumerate(error.tried, 1))
        text = one_line(error.message) + (f"; sources tried, in order: {places}" if places else "")
        return Failure(
            ExitStatus.API_ERROR,
            f"credentials: {text}",
            "credentials",
            code=error.code,
            request_id=error.request_id,
            details={"source": error.source, "mode": error.mode, "tried": list(error.tried)},
        )
    if isinstance(error, InsufficientQuota):
        return Failure(
            ExitStatus.API_ERROR,
            one_line(str(error)),
            "quota",
            hint="submit fewer paths today, or pass --ignore-quota to send them anyway",
            details={"quota_kind": error.kind, "needed": error.needed, "remain": error.remain},
        )
    if isinstance(error, PartialSubmit):
        cause = error.cause
        return Failure(
            ExitStatus.PARTIAL_SUBMIT,
            one_line(str(error)),
            "partial_submit",
            code=cause.code,
            request_id=cause.request_id or None,
            details={"task_ids": list(error.task_ids)},
        )
    if isinstance(error, ApiError):
        return _api_failure(error, state)
    if isinstance(error, CdnError):
        return Failure(ExitStatus.API_ERROR, one_line(str(error)), type(error).__name__)
    if not isinstance(error, Exception):
        return None
    module = type(error).__module__.split(".")[0]
    if module in ("httpx", "httpcore"):
        text = f"network: {type(error).__name__}: {one_line(str(error))}"
        return Failure(ExitStatus.API_ERROR, text, "network")
    hint = "" if state.debug else " (run with --debug for the traceback)"
    text = f"internal error: {type(error).__name__}: {one_line(str(error))}{hint}"
    return Failure(ExitStatus.INTERNAL, text, "internal")


def report_failure(state: CliState, failure: Failure) -> None:
    """Print ``failure``: the JSON document (``--json``, unless one was printed), then the line."""
    output_broken = failure.status in (ExitStatus.BROKEN_PIPE, ExitStatus.OUTPUT_ERROR)
    if output_broken:
        silence(sys.stdout)
    elif state.json and not state.document_written:
        try:
            write_json({"version": 1, "error": failure.as_json(state.redact)})
        except OSError:
            silence(sys.stdout)
    try:
        click.echo(state.redact(f"error: {failure.message}"), err=True)
        if failure.hint:
            click.echo(f"hint: {failure.hint}", err=True)
    except OSError:  # stderr is gone too: the exit status says it all
        silence(sys.stderr)


_QUIET = (click.ClickException, click.Abort, KeyboardInterrupt, Terminated, OutputClosed)
"""Errors whose traceback ``--debug`` does not show: the command line's own, and the user's signals."""


def status_of_failure(state: CliState, error: BaseException) -> int:
    """The exit status of a run that raised ``error``, once it is printed as one masked line (JSON too
    with ``--json``); what must propagate (``SystemExit``) is raised again. Called while ``error`` is
    being handled (``--debug`` prints its traceback): :func:`.app.status_of_run` does."""
    failure = _classify(error, state)
    if failure is None:
        raise error
    if not isinstance(error, _QUIET) and failure.kind != "output":
        _debug_traceback(state)
    report_failure(state, failure)
    return failure.status


def _debug_traceback(state: CliState) -> None:
    if state.debug:
        import traceback

        try:
            click.echo(state.redact(traceback.format_exc()).rstrip(), err=True)
        except OSError:
            silence(sys.stderr)
