"""Property values as the engine sends them (``google.protobuf.Struct``) and as the operations take them.

The operations (``pulumi/operations.py``) work on plain wire-shaped maps; the engine's property
values carry two things more, which this module keeps beside the plain map:

- secrets (a provider that says ``acceptSecrets`` receives them wrapped in the secret signature):
  unwrapped here, and the top-level keys that held one are remembered, so that the answer marks
  the same keys (and the outputs repeating them) secret again;
- unknowns (a preview's values not known yet): the engine's unknown sentinel string
  (``pulumi.runtime.rpc.UNKNOWN``), kept as is, which is what the operations' ``is_unknown`` and
  the engine both understand.

``pulumi.provider.experimental.property_value.PropertyValue`` is not used: it cannot marshal an
unknown (its ``Computed`` has no wire form) and fails on an output value without a ``value``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from google.protobuf import struct_pb2
from pulumi.runtime import rpc

__all__ = ["UNKNOWN", "Decoded", "decode", "encode"]

UNKNOWN: Final = rpc.UNKNOWN
"""The engine's unknown value (a string) in a property map."""
_SIG: Final = rpc._special_sig_key
_SECRET: Final = rpc._special_secret_sig
_OUTPUT: Final = rpc._special_output_value_sig
_RESOURCE: Final = rpc._special_resource_sig


@dataclass(frozen=True)
class Decoded:
    """A property map as plain values, and the top-level keys whose value is or holds a secret."""

    values: dict[str, Any]
    secrets: frozenset[str] = field(default_factory=frozenset)


def _plain(value: struct_pb2.Value) -> tuple[Any, bool]:
    """The plain value and whether it is or holds a secret."""
    kind = value.WhichOneof("kind")
    if kind in (None, "null_value"):
        return None, False
    if kind == "bool_value":
        return value.bool_value, False
    if kind == "number_value":
        return value.number_value, False
    if kind == "string_value":
        return value.string_value, False
    if kind == "list_value":
        items = [_plain(item) for item in value.list_value.values]
        return [item for item, _ in items], any(secret for _, secret in items)
    fields = value.struct_value.fields
    signature = fields[_SIG].string_value if _SIG in fields else None
    if signature == _SECRET:
        inner, _ = _plain(fields["value"])
        return inner, True
    if signature == _OUTPUT:
        inner, inner_secret = _plain(fields["value"]) if "value" in fields else (UNKNOWN, False)
        secret = "secret" in fields and fields["secret"].bool_value
        return inner, inner_secret or secret
    if signature == _RESOURCE:
        ref = _plain(fields["id"])[0] if "id" in fields else None
        return (ref if ref not in (None, "") else fields["urn"].string_value), False
    if signature is not None:
        raise ValueError("assets and archives are not properties of alicloud-cdn-refresh")
    items_map = {key: _plain(item) for key, item in fields.items()}
    return {key: item for key, (item, _) in items_map.items()}, any(s for _, s in items_map.values())


def decode(struct: struct_pb2.Struct) -> Decoded:
    """The plain map of a property struct, and which of its keys were secret."""
    values: dict[str, Any] = {}
    secrets: set[str] = set()
    for key, item in struct.fields.items():
        values[key], secret = _plain(item)
        if secret:
            secrets.add(key)
    return Decoded(values, frozenset(secrets))


def _value(value: Any) -> struct_pb2.Value:
    if value is None:
        return struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value)
    if isinstance(value, (int, float)):
        return struct_pb2.Value(number_value=float(value))
    if isinstance(value, str):
        return struct_pb2.Value(string_value=value)
    if isinstance(value, Mapping):
        return struct_pb2.Value(struct_value=_struct(value))
    if isinstance(value, (list, tuple)):
        return struct_pb2.Value(list_value=struct_pb2.ListValue(values=[_value(item) for item in value]))
    raise TypeError(f"no property value for {type(value).__name__}")


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    return struct_pb2.Struct(fields={str(key): _value(item) for key, item in values.items()})


def _secret(value: struct_pb2.Value) -> struct_pb2.Value:
    wrapper = struct_pb2.Struct(fields={_SIG: struct_pb2.Value(string_value=_SECRET), "value": value})
    return struct_pb2.Value(struct_value=wrapper)


def encode(values: Mapping[str, Any], secrets: Iterable[str] = ()) -> struct_pb2.Struct:
    """A property struct of plain ``values``; the keys named in ``secrets`` wrapped as secrets (an
    unknown stays unknown: the engine keeps an unknown output unknown, secret or not)."""
    secret_keys = set(secrets)
    fields: dict[str, struct_pb2.Value] = {}
    for key, item in values.items():
        encoded = _value(item)
        fields[key] = _secret(encoded) if key in secret_keys and item != UNKNOWN else encoded
    return struct_pb2.Struct(fields=fields)
