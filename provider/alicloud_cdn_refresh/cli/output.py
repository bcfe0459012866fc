"""stdout and stderr as a program must treat them: any terminal encoding, closed pipes, full disks, signals.

- :func:`prepare_streams` lets text that the terminal's encoding cannot show be escaped (``\\u4e2d``)
  instead of failing; :func:`write_json` writes a JSON document that is valid in any encoding
  (UTF-8 when the stream takes it, ``\\uXXXX`` escapes otherwise).
- :class:`OutputClosed` (the reader of a pipe went away) and :data:`OUTPUT_ERRNOS` (a full disk, an
  I/O error, stdout closed before the start: :func:`prepare_streams`) are what :mod:`.errors` maps
  to their own exit statuses; :func:`silence` points a
  broken stream at ``/dev/null`` so that Python's final flush does not fail a second time.
- :func:`sigterm_raises`: SIGTERM raises :class:`Terminated` in the main thread, so that a command
  can print what it submitted on the way out, as it does for Ctrl-C; :func:`deferred_signals` holds
  both back while a submit is under way.
- :class:`GuardedCommand`: click turns a broken pipe into ``exit 1`` by itself; commands of this
  class raise :class:`OutputClosed` instead.

Only the standard library and click: imported at start-up.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

import click

from .state import current_state

if TYPE_CHECKING:
    from types import FrameType

__all__ = [
    "OUTPUT_ERRNOS",
    "GuardedCommand",
    "GuardedGroup",
    "HeldSignal",
    "OutputClosed",
    "Terminated",
    "deferred_signals",
    "flush_streams",
    "json_text",
    "prepare_streams",
    "sigterm_raises",
    "silence",
    "wants_json",
    "write_json",
]

OUTPUT_ERRNOS = frozenset(
    code
    for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EFBIG, errno.EIO, errno.EBADF)
    if code
)
"""``OSError`` numbers that mean the output could not be written (not a bug of ours; ``EBADF``: the
program was started with stdout closed, ``>&-``)."""


class _ClosedStream(io.TextIOBase):
    """stdout when the program was started without one (``>&-``, where Python sets it to ``None``):
    a write fails as it would on a closed descriptor, so that the run ends "output not written"
    rather than printing into nothing (or failing on ``None``)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self._name} is closed")


class OutputClosed(Exception):
    """stdout or stderr was closed by its reader (a broken pipe: ``cdn-refresh ... | head -1``)."""


class Terminated(BaseException):
    """SIGTERM arrived. A ``BaseException``, like ``KeyboardInterrupt``, so no ``except Exception``
    on the way swallows it."""


def wants_json(args: Sequence[str]) -> bool:
    """Whether the command line asks for ``--json`` (before a ``--``), known before click parses it,
    so that even an error in the arguments is answered as a JSON document."""
    for arg in args:
        if arg == "--":
            return False
        if arg == "--json":
            return True
    return False


def _is_utf(stream: IO[str]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


def prepare_streams() -> None:
    """Let stdout and stderr escape what their encoding cannot show (``errors="backslashreplace"``),
    instead of raising ``UnicodeEncodeError`` on a path in another script; a stdout closed before
    the start fails at its first write (:data:`OUTPUT_ERRNOS`)."""
    if sys.stdout is None:
        sys.stdout = cast("TextIO", _ClosedStream("stdout"))
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure) and not _is_utf(stream):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def json_text(document: Any, stream: IO[str] | None = None) -> str:
    """``document`` as indented JSON with sorted keys: UTF-8 text when ``stream`` takes it, else
    ``\\uXXXX`` escapes (the same JSON value, readable in any encoding)."""
    import json  # not at start-up: --help needs none

    target = stream if stream is not None else sys.stdout
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=not _is_utf(target))


def write_json(document: Any, stream: IO[str] | None = None) -> None:
    """Print one JSON document and flush; on stdout, the run's error handler then prints no other."""
    target = stream if stream is not None else sys.stdout
    target.write(json_text(document, target) + "\n")
    target.flush()
    if stream is None or stream is sys.stdout:
        current_state().document_written = True


def silence(stream: IO[str]) -> None:
    """Point a stream that cannot be written (closed pipe, full disk) at ``/dev/null``, so that
    Python's flush at exit does not fail again (a no-op for streams without a file descriptor)."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def flush_streams() -> None:
    """Flush stdout and stderr now, so that a write error is seen by the run's error handler."""
    for stream in (sys.stdout, sys.stderr):
        flush = getattr(stream, "flush", None)
        if callable(flush):
            flush()


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (main thread only; the handler is restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _closed(error: OSError) -> bool:
    return isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE


class _Guard:
    """Turn a broken pipe into :class:`OutputClosed` before click's ``main`` makes it ``exit 1``."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            context: click.Context = super().make_context(*args, **kwargs)  # type: ignore[misc]
        except OSError as error:
            if _closed(error):
                raise OutputClosed(str(error)) from error
            raise
        return context

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except OSError as error:
            if _closed(error):
                raise OutputClosed(str(error)) from error
            raise


class GuardedCommand(_Guard, click.Command):
    """A command run as a program (``python -m alicloud_cdn_refresh.emulator``)."""


class GuardedGroup(_Guard, click.Group):
    """The root group."""


class HeldSignal:
    """What :func:`deferred_signals` held back: ``signum`` (``None`` when nothing arrived)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def interruption(self) -> BaseException | None:
        """The exception the held signal stands for (``KeyboardInterrupt`` or :class:`Terminated`)."""
        if self.signum is None:
            return None
        return Terminated() if self.signum == signal.SIGTERM else KeyboardInterrupt()


@contextlib.contextmanager
def deferred_signals(notice: str) -> Iterator[HeldSignal]:
    """Let the block finish when Ctrl-C or SIGTERM arrives (a submit under way: its accepted task ids
    must not be lost); the caller raises :meth:`HeldSignal.interruption` once it has printed them. A
    second signal raises at once. Main thread only (elsewhere the block just runs)."""
    held = HeldSignal()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if held.signum is not None:
            raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt
        held.signum = signum
        with contextlib.suppress(OSError):
            sys.stderr.write(f"\n{notice}\n")
            sys.stderr.flush()

    previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield held
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
