"""``depends_on`` for the data source, as an output-form invoke honours it.

An invoke with ``depends_on`` waits until those resources (and, for a component, its
descendants) are registered, and while any custom resource among them has no known id (a preview
that creates or replaces it) its result is unknown. The data source runs in the program process
rather than through the engine, so :func:`after_dependencies` gives it the same order: its result
waits on every dependency's id (a component's URN and its children's ids), and ``Output`` carries
unknownness and the dependencies themselves to whatever uses the result.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pulumi

__all__ = ["after_dependencies"]

_T = TypeVar("_T")


async def _resources(depends_on: Any) -> list[pulumi.Resource]:
    """The resources ``depends_on`` names (a resource, or a list of them or of Outputs of them),
    with the descendants of components, as the SDK expands an invoke's dependencies."""
    value = await pulumi.Output.from_input(depends_on).future()
    items = value if isinstance(value, (list, tuple)) else [value]
    direct = [item for item in items if isinstance(item, pulumi.Resource)]
    try:
        from pulumi.runtime.rpc import _expand_dependencies
    except ImportError:  # pragma: no cover - an SDK without it: the direct resources only
        return direct
    expanded = await _expand_dependencies(direct, None)
    return list(dict.fromkeys([*direct, *expanded.values()]))


def _ready(resource: pulumi.Resource) -> pulumi.Output[Any]:
    """Known once the resource is created: its id (a custom resource), else its URN."""
    if isinstance(resource, pulumi.CustomResource) and "id" in vars(resource):
        return resource.id
    return resource.urn


def after_dependencies(depends_on: Any, value: pulumi.Output[_T]) -> pulumi.Output[_T]:
    """``value``, available only after every resource of ``depends_on`` is created, and unknown
    while any of them is (in preview); it also depends on them."""

    def ready(resources: list[pulumi.Resource]) -> pulumi.Output[list[Any]]:
        return pulumi.Output.all(*[_ready(resource) for resource in resources])

    found: pulumi.Output[list[pulumi.Resource]] = pulumi.Output.from_input(_resources(depends_on))
    gate: pulumi.Output[list[Any]] = found.apply(ready)
    return pulumi.Output.all(gate, value).apply(lambda pair: pair[1])
