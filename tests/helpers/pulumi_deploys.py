"""Deployments of one resource, one ``pulumi up`` after another, as the engine steps them.

What the engine's step generator does for a custom resource on each ``pulumi up``, driven here over
the real provider protocol (``DynamicProviderHost``):

- no stored state: Check(news), then Create;
- stored state: Check(olds = stored inputs, news), then Diff(olds = stored outputs, news): a replace
  creates a new resource (and deletes the old one after); other changes Update; no change but
  stored initialization errors also Update (the engine "continues awaiting initialization");
  otherwise nothing runs;
- a Create or Update that fails with an ``ErrorResourceInitFailed`` detail stores the resource with
  the detail's outputs and its reasons as initialization errors; any other failure keeps the state
  as it was (none after a failed Create).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_engine import DynamicProviderHost, ProviderRpcError


@dataclass
class Stored:
    """What the stack keeps of the resource."""

    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    init_errors: list[str] = field(default_factory=list)


@dataclass
class Step:
    """What one ``pulumi up`` did to the resource: ``create``, ``replace``, ``update`` or ``same``."""

    op: str
    error: ProviderRpcError | None = None


class Stack:
    """One resource of one stack, deployed again and again (``up``)."""

    def __init__(self, host: DynamicProviderHost, urn: str, provider: str, timeout: float = 60.0) -> None:
        self.host = host
        self.urn = urn
        self.provider = provider
        self.timeout = timeout
        self.state: Stored | None = None
        self.deleted: list[str] = []

    def up(self, **values: Any) -> Step:
        """One ``pulumi up`` with these inputs (wire names)."""
        news = {"__provider": self.provider, **values}
        old = self.state
        checked, failures = self.host.check(self.urn, old.inputs if old else {}, news)
        assert failures == [], failures
        if old is None:
            return self._create(checked, "create", None)
        diff = self.host.diff(self.urn, old.id, old.outputs, checked)
        if list(diff.replaces):
            return self._create(checked, "replace", old)
        if diff.changes == diff.DIFF_SOME or old.init_errors:
            return self._update(old, checked)
        return Step("same")

    def _create(self, inputs: dict[str, Any], op: str, old: Stored | None) -> Step:
        try:
            id_, outputs = self.host.create(self.urn, inputs, timeout=self.timeout)
        except ProviderRpcError as error:
            if error.init_failed is not None:
                failed = error.init_failed
                self.state = Stored(failed.id, inputs, failed.properties, list(failed.reasons))
                self._retire(old)
            return Step(op, error)
        self.state = Stored(id_, inputs, outputs)
        self._retire(old)
        return Step(op)

    def _retire(self, old: Stored | None) -> None:
        if old is not None:
            self.host.delete(self.urn, old.id, old.outputs)
            self.deleted.append(old.id)

    def _update(self, old: Stored, inputs: dict[str, Any]) -> Step:
        try:
            outputs = self.host.update(self.urn, old.id, old.outputs, inputs, timeout=self.timeout)
        except ProviderRpcError as error:
            if error.init_failed is not None:
                self.state = Stored(
                    old.id, inputs, error.init_failed.properties, list(error.init_failed.reasons)
                )
            return Step("update", error)
        self.state = Stored(old.id, inputs, outputs)
        return Step("update")


def engine_outputs(
    outputs: dict[str, Any], secret_inputs: set[str], additional_secret_outputs: list[str]
) -> dict[str, Any]:
    """The outputs as the engine stores them for a provider that does not accept secrets: an output
    named like a secret input, or listed in the resource's ``additionalSecretOutputs``, becomes
    secret (here ``{"secret": value}``); everything else is kept in plain text."""
    secret = secret_inputs | set(additional_secret_outputs)
    return {key: {"secret": value} if key in secret else value for key, value in outputs.items()}


def plain_parts(outputs: dict[str, Any]) -> dict[str, Any]:
    """What the stored outputs show in plain text (secrets left out)."""
    return {
        key: value
        for key, value in outputs.items()
        if not (isinstance(value, dict) and set(value) == {"secret"})
    }
