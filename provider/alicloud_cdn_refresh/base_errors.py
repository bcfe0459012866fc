"""The root of the exception tree and the errors of one call: refused before it (``InvalidQuery``),
no credentials for it (``CredentialsError``), or the service's (or the network's) answer (``ApiError``).

Import them from :mod:`alicloud_cdn_refresh.errors`, the tree's public face; each class keeps that
module as its ``__module__`` so tracebacks and pickles name it there.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ApiError", "CdnError", "CredentialsError", "InvalidQuery"]

PUBLIC_MODULE = "alicloud_cdn_refresh.errors"
"""Where every class of the tree is public (:mod:`.errors` re-exports them all)."""


class CdnError(Exception):
    """Base of every error this package raises."""

    __module__ = PUBLIC_MODULE


class InvalidQuery(CdnError, ValueError):
    """A parameter was refused before any network call; the text names it and what is allowed."""

    __module__ = PUBLIC_MODULE

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class CredentialsError(CdnError):
    """No usable credentials, or the chosen source failed; the text names every place tried.

    ``tried`` lists the sources looked at in order (each with what was found there), ``source`` and
    ``mode`` the source chosen and its mode when one was, ``code``, ``request_id`` and ``http_status`` the
    service's answer when STS, the metadata service or a credentials URI refused. None of them ever holds a
    secret, a security token or an OIDC token.
    """

    __module__ = PUBLIC_MODULE

    def __init__(
        self,
        message: str,
        *,
        tried: Sequence[str] = (),
        source: str | None = None,
        mode: str | None = None,
        code: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.message = message
        self.tried = tuple(tried)
        self.source = source
        self.mode = mode
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        text = message
        if self.tried:
            text += "\nsources tried, in order:\n" + "\n".join(f"  - {place}" for place in self.tried)
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_credentials_error,
            (
                type(self),
                self.message,
                self.tried,
                self.source,
                self.mode,
                self.code,
                self.request_id,
                self.http_status,
            ),
        )


def _rebuild_credentials_error(
    cls: type[CredentialsError],
    message: str,
    tried: Sequence[str],
    source: str | None,
    mode: str | None,
    code: str | None,
    request_id: str | None,
    http_status: int | None,
) -> CredentialsError:
    return cls(
        message,
        tried=tried,
        source=source,
        mode=mode,
        code=code,
        request_id=request_id,
        http_status=http_status,
    )


class ApiError(CdnError):
    """The service (or the network on the way to it) answered with an error.

    ``request_sent`` is set for the client's own ``TransportError``: ``False`` when the request
    never left this machine (the connection could not be made), ``True`` when it was sent and the
    answer was lost (a timeout, a dropped connection); ``None`` otherwise.
    """

    __module__ = PUBLIC_MODULE

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str = "",
        http_status: int = 0,
        action: str = "",
        request_sent: bool | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.action = action
        self.request_sent = request_sent
        super().__init__(code, message, request_id, http_status, action)

    @property
    def retryable(self) -> bool:
        """Whether retrying the same request may succeed (a read; see :attr:`retryable_submit`)."""
        from .error_codes import is_retryable  # the catalogue is loaded when first asked, not at import

        return is_retryable(self.code, self.http_status)

    @property
    def retryable_submit(self) -> bool:
        """Whether a purge or preload may be sent again without risking that it is done twice."""
        from .error_codes import is_retryable_submit

        return is_retryable_submit(self.code, self.http_status, request_sent=self.request_sent)

    def __str__(self) -> str:
        where = f"{self.action}: " if self.action else ""
        status = f" (HTTP {self.http_status})" if self.http_status else ""
        request = f" [RequestId {self.request_id}]" if self.request_id else ""
        return f"{where}{self.code}: {self.message}{status}{request}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_api_error,
            (
                type(self),
                self.code,
                self.message,
                self.request_id,
                self.http_status,
                self.action,
                self.request_sent,
            ),
        )


def _rebuild_api_error(
    cls: type[ApiError],
    code: str,
    message: str,
    request_id: str,
    http_status: int,
    action: str,
    request_sent: bool | None = None,
) -> ApiError:
    return cls(
        code,
        message,
        request_id=request_id,
        http_status=http_status,
        action=action,
        request_sent=request_sent,
    )
