"""What the dynamic resources and the data source do with the options a program gives them.

- A provider of another package (``alicloud.Provider`` ...) in ``provider=`` / ``providers=`` can
  never reach a dynamic resource or this data source: one clear error at construction says what to
  use instead (:func:`refuse_foreign_providers`).
- ``import_``: ``python -m pulumi.dynamic`` cannot import (its Read looks for the pickled provider
  in the state an import does not have), so it is refused at construction with what to do instead.
- Secret inputs stay secret in the outputs that repeat them (``tasks[].objectPath``): the engine
  marks a provider's outputs secret only under the names of secret inputs, and the dynamic provider
  host never sees which inputs are secret, so the resource asks the engine itself, through
  ``additional_secret_outputs`` (:func:`keep_secrets_secret`).
- More waits declared than the host runs at once: one warning (:func:`note_wait`).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Mapping
from typing import Any, Final

import pulumi

from .host import host_workers
from .operations import Behaviour
from .types import to_python_name

__all__ = [
    "ResourceOptionsError",
    "keep_secrets_secret",
    "note_wait",
    "refuse_foreign_providers",
    "refuse_import",
]

_IDENTITY_HINT: Final = (
    "give it its own `profile=` or `assume_role=` (or set the stack's alicloud:* config or the "
    "ALIBABA_CLOUD_* environment variables); the alicloud-cdn-refresh provider plugin takes an explicit "
    "provider of its own"
)


class ResourceOptionsError(pulumi.RunError, TypeError):
    """An option this resource (or the data source) cannot honour; Pulumi shows the message alone."""


def _providers_of(opts: pulumi.ResourceOptions | pulumi.InvokeOptions) -> list[pulumi.ProviderResource]:
    found: list[pulumi.ProviderResource] = []
    provider = getattr(opts, "provider", None)
    if provider is not None:
        found.append(provider)
    providers = getattr(opts, "providers", None)
    if isinstance(providers, Mapping):
        found.extend(providers.values())
    elif providers:
        found.extend(providers)
    return found


def refuse_foreign_providers(kind: str, opts: pulumi.ResourceOptions | pulumi.InvokeOptions | None) -> None:
    """Raise when ``opts`` names a provider: none of another package ever reaches this resource."""
    if opts is None:
        return
    for provider in _providers_of(opts):
        package = getattr(provider, "package", "?")
        raise ResourceOptionsError(
            f"{kind}: the {package!r} provider passed in opts would be ignored: {kind} runs in Pulumi's "
            f"Python dynamic provider host, which never receives another package's provider settings. "
            f"To use another identity for it, {_IDENTITY_HINT}."
        )


def refuse_import(kind: str, opts: pulumi.ResourceOptions | None) -> None:
    """Raise when ``opts.import_`` is set: the dynamic provider host cannot import."""
    if opts is None or not getattr(opts, "import_", None):
        return
    raise ResourceOptionsError(
        f"{kind}: import_={opts.import_!r} cannot work: Pulumi's Python dynamic provider host reads an "
        f"imported resource without the state it keeps its provider in. Declare the tasks instead: "
        f"RefreshWait(..., task_ids=[...]) adopts existing tasks (it completes at once when they are "
        f"Complete); the alicloud-cdn-refresh provider plugin imports from task ids."
    )


async def _mark_secret_outputs(
    behaviour: Behaviour, inputs: Mapping[str, Any], secret_outputs: list[str]
) -> None:
    for wire_name, value in inputs.items():
        if await pulumi.Output.from_input(value).is_secret():
            for output in behaviour.secret_outputs([wire_name]):
                name = to_python_name(output)
                if name not in secret_outputs:
                    secret_outputs.append(name)


def keep_secrets_secret(
    behaviour: Behaviour, props: dict[str, Any], opts: pulumi.ResourceOptions | None
) -> pulumi.ResourceOptions:
    """Options whose ``additional_secret_outputs`` gain every output repeating a secret input.

    Secretness is known only once the inputs resolve, so the check is an awaitable put in the place
    of the ``tasks`` output in ``props``: the SDK awaits every input before it reads
    ``additional_secret_outputs`` to register the resource, and an input that resolves to ``None``
    is not sent. The list is the one the returned options hold (the SDK copies options shallowly).
    """
    merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions())
    secret_outputs: list[str] = list(merged.additional_secret_outputs or [])
    merged.additional_secret_outputs = secret_outputs
    inputs = {
        wire: props[to_python_name(wire)]
        for wire in behaviour.carries
        if props.get(to_python_name(wire)) is not None
    }
    if inputs:
        probe: Awaitable[None] = _mark_secret_outputs(behaviour, inputs, secret_outputs)
        props["tasks"] = probe
    return merged


_DECLARED: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
"""Waits declared per program run (keyed by its root stack resource)."""


def note_wait(kind: str) -> None:
    """Count one wait declared by this program; warn once when they outnumber the host's workers."""
    from pulumi.runtime.settings import get_root_resource

    root = get_root_resource()
    if root is None:
        return
    count = _DECLARED.get(root, 0) + 1
    _DECLARED[root] = count
    limit = host_workers()
    if count == limit + 1:
        pulumi.log.warn(
            f"{count} RefreshWait/CacheRefresh waits are declared ({kind} the last): the dynamic provider "
            f"process runs at most {limit} at once, and the others (with every other dynamic resource's "
            "check and diff) queue behind them. One resource waits for any number of paths in one "
            "polling loop: declare fewer resources with more paths each, or use the provider plugin."
        )
