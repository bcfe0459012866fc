"""One HTTP request and response as the emulator's handler sees them (transport-neutral)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, urlsplit

from alicloud_cdn_refresh.signatures import FORM_CONTENT_TYPE

__all__ = ["EmulatorError", "EmulatorRequest", "EmulatorResponse", "missing_parameter"]


class EmulatorError(Exception):
    """An error answer: a code of :data:`~alicloud_cdn_refresh.errors.API_ERRORS`.

    ``message`` overrides the catalogue's message where a more precise one helps (it must never
    contain a secret).
    """

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message
        super().__init__(code, message)


def missing_parameter(name: str) -> EmulatorError:
    """The gateway's answer to a request without a required parameter (or header)."""
    return EmulatorError(
        "MissingParameter",
        f'The input parameter "{name}" that is mandatory for processing this request is not supplied.',
    )


@dataclass(frozen=True)
class EmulatorRequest:
    """A request: method, path, decoded query and form parameters, lower-cased headers, body."""

    method: str
    path: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    @classmethod
    def build(
        cls,
        method: str,
        target: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: bytes = b"",
    ) -> EmulatorRequest:
        """Parse a request target (``/path?query``) and body; ``+`` decodes to a space in both."""
        parts = urlsplit(target)
        items = headers.items() if isinstance(headers, Mapping) else headers
        lowered: dict[str, str] = {}
        for name, value in items:
            key = name.lower()
            lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
        query = parse_qsl(parts.query, keep_blank_values=True)
        form: list[tuple[str, str]] = []
        content_type = lowered.get("content-type", "").split(";")[0].strip().lower()
        if body and content_type == FORM_CONTENT_TYPE:
            form = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return cls(method.upper(), parts.path or "/", query, form, lowered, body)

    @cached_property
    def params(self) -> dict[str, str]:
        """Query and form parameters together (a form value wins over a query value)."""
        return dict([*self.query, *self.form])


@dataclass
class EmulatorResponse:
    """What to answer; ``drop`` means close the connection without answering."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0
    """Seconds to wait before answering (slow-answer faults)."""
    action: str = ""
    code: str = ""
