"""Reading a request's business parameters the way the service does (shared by every handler)."""

from __future__ import annotations

from .request import EmulatorError

__all__ = ["Params", "get", "invalid", "parse_bool", "parse_int", "split_paths"]

Params = dict[str, str]


def invalid(name: str, allowed: str) -> EmulatorError:
    """The gateway's ``InvalidParameter`` for ``name``, saying what is ``allowed``."""
    return EmulatorError("InvalidParameter", f"The parameter {name} is not valid: {allowed}.")


def get(params: Params, name: str) -> str | None:
    """A parameter's value; an empty value counts as absent.

    The DescribeRefreshTasks reference's own example sends ``ObjectPath=``.
    """
    value = params.get(name)
    return value if value else None


def parse_bool(params: Params, name: str, default: bool = False) -> bool:
    """``true`` / ``false`` in any case (the SDK sends Python's ``True``)."""
    value = get(params, name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in ("true", "false"):
        return folded == "true"
    raise invalid(name, "use true or false")


def parse_int(params: Params, name: str, default: int, low: int, high: int, code: str) -> int:
    """An integer in ``low..high``, else ``code``."""
    value = get(params, name)
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


def split_paths(value: str) -> list[str]:
    """``ObjectPath``'s lines (``\\n`` or ``\\r\\n``), blank ones dropped."""
    return [line.strip() for line in value.replace("\r", "\n").split("\n") if line.strip()]
