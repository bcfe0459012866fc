"""Object paths and task ids: their domain, whether a path is a URL, and lists of them checked alike.

The client (submits), the waiter (what to wait for), the CLI and the Pulumi faces all take lists of
paths and task ids from users; they check them here, each naming the parameter as its user knows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .checks import CONTROL_CHARACTERS, text
from .errors import InvalidQuery

__all__ = [
    "check_directories",
    "check_paths",
    "check_task_ids",
    "directory_problem",
    "domain_of",
    "is_object_path",
    "is_scheme_less_url",
    "is_url",
    "is_wildcard_domain",
    "path_forms",
    "reported_forms",
]

_SCHEME_LESS = re.compile(
    r"^(?P<host>[A-Za-z0-9*_](?:[A-Za-z0-9*_.-]*[A-Za-z0-9_])?)(?::\d{1,5})?(?:/.*)?$", re.DOTALL
)


def domain_of(object_path: str) -> str:
    """The lower-cased host of a path, with or without a scheme; ``""`` when there is none."""
    if "://" not in object_path:
        if object_path.startswith("/"):
            return ""
        object_path = f"http://{object_path}"
    try:
        return (urlsplit(object_path).hostname or "").lower()
    except ValueError:
        return ""


def is_url(path: str) -> bool:
    """Whether ``path`` is an ``http://`` or ``https://`` URL with a host (and no tab or line break)."""
    if any(c in path for c in CONTROL_CHARACTERS):
        return False
    try:
        parts = urlsplit(path)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def is_scheme_less_url(path: str) -> bool:
    """Whether ``path`` is a URL without its scheme, the reference's own example form:
    ``example.com/image/1.png`` (a host with a dot, an optional port, then ``/...`` or nothing)."""
    if not path or any(c in path for c in CONTROL_CHARACTERS) or "://" in path:
        return False
    match = _SCHEME_LESS.match(path)
    return match is not None and "." in match.group("host")


def is_object_path(path: str) -> bool:
    """What RefreshObjectCaches and PushObjectCache take: an ``http(s)://`` URL, or one without its
    scheme (``example.com/a.png``, as in the reference's examples)."""
    return is_url(path) or is_scheme_less_url(path)


def is_wildcard_domain(path: str) -> bool:
    """Whether the path's host is a wildcard domain (``*.example.com``), which submits refuse."""
    return "*" in domain_of(path)


def path_forms(path: str) -> tuple[str, ...]:
    """The spellings under which the service may report a submitted path: as given, and with or
    without ``http://`` (a path submitted as ``example.com/a.png`` may be reported either way; the
    reference never says). ``https://`` URLs have one form."""
    if path[:7].lower() == "http://":
        rest = path[7:]
        return (path, rest) if is_scheme_less_url(rest) else (path,)
    if is_scheme_less_url(path):
        return (path, f"http://{path}")
    return (path,)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: undecodable bytes from a file name or argv
        return False
    return True


def reported_forms(path: str) -> tuple[str, ...]:
    """The spellings the service may report a path *submitted as* ``path`` under, as given first:
    a path without its scheme as given or with ``http://`` (the reference never says which); a URL
    with its scheme as given. A subset of :func:`path_forms`, which also names the spelling
    without ``http://`` so that rows match a path waited for in another spelling than submitted."""
    if is_scheme_less_url(path):
        return (path, f"http://{path}")
    return (path,)


def check_paths(
    values: Iterable[object] | str | None,
    *,
    parameter: str,
    single: bool = False,
    strip: bool = False,
    max_length: int | None = None,
    required: bool = False,
) -> list[str]:
    """Object paths, checked, duplicates dropped, order kept.

    ``single``: one string is taken as a list of one (else refused: a string is not a list of
    paths). ``strip``: surrounding spaces are removed (else refused). Every path must be a
    non-empty string without tabs or line breaks, at most ``max_length`` characters. ``required``:
    at least one path.
    """
    if values is None:
        items: Iterable[object] = []
    elif isinstance(values, (str, bytes)):
        if isinstance(values, bytes):
            raise InvalidQuery(parameter, "expected a list of paths (str), got bytes: decode them first")
        if not single:
            raise InvalidQuery(parameter, "expected a list of paths, not a single string")
        items = [values]
    elif isinstance(values, Iterable):
        items = values
    else:
        raise InvalidQuery(parameter, f"expected a list of paths, got {type(values).__name__}")
    out: dict[str, None] = {}
    for index, item in enumerate(items):
        where = f"path #{index + 1}"
        if not isinstance(item, str):
            raise InvalidQuery(parameter, f"{where} is {type(item).__name__}, expected a string")
        path = item.strip() if strip else item
        if not path.strip():
            raise InvalidQuery(parameter, f"{where} is empty; give a URL such as http://host/a.txt")
        if any(c in path for c in CONTROL_CHARACTERS):
            raise InvalidQuery(parameter, f"{where} contains a tab or line break (paths are sent one a line)")
        if not _encodable(path):
            raise InvalidQuery(parameter, f"{where} ({path!r}) is not valid text (bytes that are not UTF-8)")
        if path != path.strip():
            raise InvalidQuery(parameter, f"{where} ({path!r}) has leading or trailing spaces")
        if max_length is not None and len(path) > max_length:
            raise InvalidQuery(
                parameter, f"{where} is {len(path)} characters long; at most {max_length} allowed"
            )
        out.setdefault(path, None)
    if required and not out:
        raise InvalidQuery(parameter, "give at least one object path")
    return list(out)


def directory_problem(paths: Iterable[str]) -> str | None:
    """Why ``paths`` cannot be a ``Directory`` refresh's (RefreshObjectCaches' directories end with
    ``/``, as the service requires): the first path without it, named with its number; else None."""
    for index, path in enumerate(paths):
        if not path.endswith("/"):
            return (
                f"path #{index + 1} ({path!r}) is a directory without its trailing '/': "
                f"write {path + '/'!r} (or use the File type for a file)"
            )
    return None


def check_directories(paths: Iterable[str], *, parameter: str) -> None:
    """Refuse, as :class:`InvalidQuery` of ``parameter``, directory paths without their trailing ``/``."""
    problem = directory_problem(paths)
    if problem is not None:
        raise InvalidQuery(parameter, problem)


def check_task_ids(
    values: Iterable[object] | str | int | None, *, parameter: str, single: bool = False
) -> list[str]:
    """Task ids (digit strings or integers), checked, duplicates dropped, order kept.

    ``single``: one id (a string or an integer) is taken as a list of one; else refused.
    """
    if values is None:
        items: Iterable[object] = []
    elif isinstance(values, (str, bytes, int)):
        if not (single and isinstance(values, (str, int))) or isinstance(values, bool):
            raise InvalidQuery(parameter, "expected a list of task ids, not a single value")
        items = [values]
    elif isinstance(values, Iterable):
        items = values
    else:
        raise InvalidQuery(parameter, f"expected a list of task ids, got {type(values).__name__}")
    out: dict[str, None] = {}
    for index, raw in enumerate(items):
        value = text(parameter, raw)
        if not (value.isascii() and value.isdigit()):
            raise InvalidQuery(
                parameter, f"task id #{index + 1} ({raw!r}) is not a task id (digits only, such as 704225667)"
            )
        out.setdefault(value, None)
    return list(out)
