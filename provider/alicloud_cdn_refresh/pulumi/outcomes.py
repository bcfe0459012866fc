"""What the operations hand back to a face: results, and the failure that leaves a resource behind.

Plain values with no host type in them, so the dynamic providers (``dynamic_providers.py``) and a
provider plugin translate them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alicloud_cdn_refresh.errors import CdnError

__all__ = ["Created", "Incomplete", "ReadOutcome"]


@dataclass(frozen=True)
class Created:
    """The result of a create: the new resource's id and its outputs."""

    id: str
    outs: dict[str, Any]


@dataclass(frozen=True)
class ReadOutcome:
    """The result of a read (``pulumi refresh``, or an import): id, current outputs, the inputs to keep."""

    id: str
    outs: dict[str, Any]
    inputs: dict[str, Any]


class Incomplete(Exception):
    """A create or update failed after something was done remotely: the resource exists as ``outs``.

    ``CacheRefresh`` raises it when its wait fails or times out after a submit, and when a submit
    fails part-way (some calls accepted): ``outs`` holds the task ids already accepted and the paths
    not confirmed. A host that can keep partial state stores ``outs`` under ``id`` with the error as
    its initialization failure (the engine's ``ErrorResourceInitFailed`` detail, which the dynamic
    provider host can send too, see ``failures.py``); the engine then calls update on the next
    ``pulumi up`` even when no input changed, and update resumes from ``outs`` instead of
    submitting again. ``error`` says why it stopped; ``str()`` is its message.
    """

    def __init__(self, id_: str, outs: dict[str, Any], error: CdnError) -> None:
        super().__init__(str(error))
        self.id = id_
        self.outs = outs
        self.error = error
