"""schema/schema.json must say what the code does: names, types, required inputs/outputs, enums.

Everything on the code side is read from the code itself: the resources' constructor signatures
and typed output properties, the data source's signature and ``@pulumi.output_type`` getters, the
enum values ``check()`` enforces. A mutation test proves the comparison can fail. The same file is
the provider plugin's schema (GetSchema serves it): its configuration, its language names, and the
properties the plugin's answers carry are checked against the plugin's code below.
"""

from __future__ import annotations

import collections.abc
import copy
import inspect
import json
import re
import typing
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import _types as pulumi_types

from alicloud_cdn_refresh import pulumi_resources
from alicloud_cdn_refresh.models import ObjectType, TaskStatus
from alicloud_cdn_refresh.pulumi import data_source as pulumi_functions
from alicloud_cdn_refresh.pulumi.inputs import PRODUCT_NAMES
from alicloud_cdn_refresh.pulumi.types import (
    AssumeRole,
    AssumeRoleArgs,
    AssumeRoleArgsDict,
    RefreshTaskResult,
    to_wire_name,
)
from alicloud_cdn_refresh.pulumi_resources import CacheRefresh, CacheRefreshProvider, RefreshWait

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "schema.json"
PKG = "alicloud-cdn-refresh"
TYPE_REFS = {
    RefreshTaskResult: f"#/types/{PKG}:index:RefreshTask",
    AssumeRole: f"#/types/{PKG}:index:AssumeRole",
    AssumeRoleArgs: f"#/types/{PKG}:index:AssumeRole",
    AssumeRoleArgsDict: f"#/types/{PKG}:index:AssumeRole",
}
RESOURCES = {f"{PKG}:index:RefreshWait": RefreshWait, f"{PKG}:index:CacheRefresh": CacheRefresh}
FUNCTION = f"{PKG}:index:getRefreshTasks"
LOCALNS = {"Output": pulumi.Output, "T": type(None)}  # pulumi.Input names "Output[T]" as a string


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- code -> schema types


def _strip(hint: Any) -> tuple[Any, bool]:
    """Unwrap Optional / pulumi.Input / pulumi.Output; return (inner type, optional)."""
    optional = False
    while True:
        origin = typing.get_origin(hint)
        if origin is pulumi.Output:
            hint = typing.get_args(hint)[0]
            continue
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = []
            for arg in typing.get_args(hint):
                if arg is type(None):
                    optional = True
                elif typing.get_origin(arg) in (pulumi.Output, collections.abc.Awaitable):
                    continue
                else:
                    args.append(arg)
            if len(args) > 1 and len({TYPE_REFS.get(arg) for arg in args} - {None}) == 1:
                args = args[:1]  # an input type and its TypedDict: one schema type
            if len(args) != 1:
                raise AssertionError(f"cannot map union {hint!r}")
            hint = args[0]
            continue
        return hint, optional


def schema_type(hint: Any) -> dict[str, Any]:
    """The schema type spec a Python hint stands for (without description/default)."""
    hint, _ = _strip(hint)
    if hint is Any:
        return {"$ref": "pulumi.json#/Any"}
    if hint in TYPE_REFS:
        return {"$ref": TYPE_REFS[hint]}
    origin = typing.get_origin(hint)
    if origin in (list, collections.abc.Sequence):
        (item,) = typing.get_args(hint)
        return {"type": "array", "items": schema_type(item)}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if hint in simple:
        return {"type": simple[hint]}
    raise AssertionError(f"no schema type for {hint!r}")


def _spec_type(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema property's type, enums reduced to their underlying type (values checked apart)."""
    if "$ref" in spec and spec["$ref"].startswith("#/types/"):
        target = schema["types"][spec["$ref"][len("#/types/") :]]
        if "enum" in target:
            return {"type": target["type"]}
        return {"$ref": spec["$ref"]}
    if "$ref" in spec:
        return {"$ref": spec["$ref"]}
    result: dict[str, Any] = {"type": spec["type"]}
    if spec["type"] == "array":
        result["items"] = _spec_type(spec["items"], schema)
    return result


def _getters(cls: type) -> dict[str, tuple[Any, bool]]:
    """Wire name -> (schema type, required) from the class's ``@pulumi.getter`` properties."""
    result = {}
    for _python_name, wire_name, prop in pulumi_types._py_properties(cls):
        hint = typing.get_type_hints(prop.fget, localns=LOCALNS)["return"]
        inner, optional = _strip(hint)
        result[wire_name] = (schema_type(hint), not optional and inner is not Any)
    return result


def _python_to_wire(cls: type) -> dict[str, str]:
    return {python: wire for python, wire, _ in pulumi_types._py_properties(cls)}


def _signature_inputs(fn: Any, names: dict[str, str]) -> dict[str, tuple[Any, bool]]:
    hints = typing.get_type_hints(fn, localns=LOCALNS)
    result = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in ("self", "resource_name", "opts"):
            continue
        wire = names.get(name, to_wire_name(name))
        result[wire] = (schema_type(hints[name]), param.default is inspect.Parameter.empty)
    return result


def _compare(
    where: str,
    code: dict[str, tuple[Any, bool]],
    spec: dict[str, Any],
    required: list[str],
    schema: dict[str, Any],
) -> list[str]:
    problems = []
    if set(code) != set(spec):
        problems.append(
            f"{where}: names differ: code-only {sorted(set(code) - set(spec))}, "
            f"schema-only {sorted(set(spec) - set(code))}"
        )
    for name in sorted(set(code) & set(spec)):
        code_type, code_required = code[name]
        if code_type != _spec_type(spec[name], schema):
            problems.append(
                f"{where}.{name}: code type {code_type} != schema {_spec_type(spec[name], schema)}"
            )
        if code_required != (name in required):
            problems.append(f"{where}.{name}: required in code={code_required}, in schema={name in required}")
    return problems


def _enum_values(schema: dict[str, Any], spec: dict[str, Any]) -> tuple[str, ...] | None:
    ref = spec.get("$ref", "")
    if not ref.startswith("#/types/"):
        return None
    target = schema["types"][ref[len("#/types/") :]]
    if "enum" not in target:
        return None
    return tuple(item["value"] for item in target["enum"])


def schema_mismatches(schema: dict[str, Any]) -> list[str]:
    """Every disagreement between the code and ``schema``; empty when they agree."""
    problems: list[str] = []
    task_type = schema["types"].get(f"{PKG}:index:RefreshTask", {})
    problems += _compare(
        "RefreshTask",
        _getters(RefreshTaskResult),
        task_type.get("properties", {}),
        task_type.get("required", []),
        schema,
    )

    role_type = schema["types"].get(f"{PKG}:index:AssumeRole", {})
    problems += _compare(
        "AssumeRole (input)",
        _getters(AssumeRoleArgs),
        role_type.get("properties", {}),
        role_type.get("required", []),
        schema,
    )
    role_outputs = {name: (spec, name == "roleArn") for name, (spec, _) in _getters(AssumeRole).items()}
    problems += _compare(
        "AssumeRole (output)",
        role_outputs,
        role_type.get("properties", {}),
        role_type.get("required", []),
        schema,
    )

    for token, cls in RESOURCES.items():
        spec = schema["resources"].get(token)
        if spec is None:
            problems.append(f"{token}: missing from the schema")
            continue
        dynamic_type = f"pulumi-python:{cls._resource_type_name}"
        if spec.get("language", {}).get("python", {}).get("dynamicType") != dynamic_type:
            problems.append(f"{token}: dynamicType is not {dynamic_type}")
        names = _python_to_wire(cls)
        inputs = _signature_inputs(cls.__init__, names)
        problems += _compare(
            f"{token} inputs", inputs, spec["inputProperties"], spec.get("requiredInputs", []), schema
        )
        outputs = _getters(cls)
        problems += _compare(
            f"{token} outputs", outputs, spec["properties"], spec.get("required", []), schema
        )
    if set(schema["resources"]) != set(RESOURCES):
        problems.append(f"resources: schema has {sorted(schema['resources'])}")

    cache_inputs = schema["resources"].get(f"{PKG}:index:CacheRefresh", {}).get("inputProperties", {})
    for name, allowed in pulumi_resources.CACHE_REFRESH_ENUMS.items():
        values = _enum_values(schema, cache_inputs.get(name, {}))
        if values != allowed:
            problems.append(f"CacheRefresh.{name}: schema enum {values} != code {allowed}")
    enum_inputs = {name for name, spec in cache_inputs.items() if _enum_values(schema, spec) is not None}
    if enum_inputs != set(pulumi_resources.CACHE_REFRESH_ENUMS):
        problems.append(f"CacheRefresh: schema enums on {sorted(enum_inputs)}")

    function = schema["functions"].get(FUNCTION)
    if function is None:
        return [*problems, f"{FUNCTION}: missing from the schema"]
    names = _python_to_wire(pulumi_functions.GetRefreshTasksResult)
    fn_inputs = _signature_inputs(pulumi_functions.get_refresh_tasks, names)
    fn_inputs = {name: (spec, False) for name, (spec, _) in fn_inputs.items()}  # every filter is optional
    problems += _compare(
        f"{FUNCTION} inputs",
        fn_inputs,
        function["inputs"]["properties"],
        function["inputs"].get("required", []),
        schema,
    )
    problems += _compare(
        f"{FUNCTION} outputs",
        _getters(pulumi_functions.GetRefreshTasksResult),
        function["outputs"]["properties"],
        function["outputs"].get("required", []),
        schema,
    )
    function_enums = {
        "objectType": tuple(member.value for member in ObjectType),
        "status": tuple(member.value for member in TaskStatus.queryable()),
        "product": PRODUCT_NAMES,
    }
    wait_product = _enum_values(
        schema,
        schema["resources"].get(f"{PKG}:index:RefreshWait", {}).get("inputProperties", {}).get("product", {}),
    )
    if wait_product != PRODUCT_NAMES:
        problems.append(f"RefreshWait.product: schema enum {wait_product} != code {PRODUCT_NAMES}")
    for name, allowed in function_enums.items():
        values = _enum_values(schema, function["inputs"]["properties"].get(name, {}))
        if values != allowed:
            problems.append(f"{FUNCTION}.{name}: schema enum {values} != code {allowed}")
    return problems


# --------------------------------------------------------------------------- the tests


def test_schema_is_valid_json_with_the_package_name() -> None:
    schema = load_schema()
    assert schema["name"] == PKG
    # issue 13: the plugin's generated Python SDK must not collide with the hand-written package,
    # neither as a module (alicloud_cdn_refresh) nor as a distribution (pip normalizes
    # pulumi_alicloud_cdn_refresh to pulumi-alicloud-cdn-refresh, this package's name)
    python_name = schema["language"]["python"]["packageName"]
    assert python_name != "alicloud_cdn_refresh"
    assert re.sub(r"[-_.]+", "-", python_name).lower() != "pulumi-alicloud-cdn-refresh"
    assert python_name.isidentifier()


def test_schema_agrees_with_the_code() -> None:
    assert schema_mismatches(load_schema()) == []


def test_output_function_takes_the_same_parameters() -> None:
    plain = list(inspect.signature(pulumi_functions.get_refresh_tasks).parameters)
    output = list(inspect.signature(pulumi_functions.get_refresh_tasks_output).parameters)
    assert plain == output
    assert plain[-1] == "opts"


def _drop_input(schema: dict[str, Any]) -> None:
    del schema["resources"][f"{PKG}:index:RefreshWait"]["inputProperties"]["since"]


def _retype(schema: dict[str, Any]) -> None:
    schema["resources"][f"{PKG}:index:CacheRefresh"]["inputProperties"]["wait"]["type"] = "string"


def _require(schema: dict[str, Any]) -> None:
    schema["resources"][f"{PKG}:index:RefreshWait"]["requiredInputs"] = ["objectPaths"]


def _enum(schema: dict[str, Any]) -> None:
    schema["types"][f"{PKG}:index:CacheOperation"]["enum"].append({"value": "purge"})


def _task_field(schema: dict[str, Any]) -> None:
    schema["types"][f"{PKG}:index:RefreshTask"]["properties"]["process"]["type"] = "string"


def _fn_output(schema: dict[str, Any]) -> None:
    schema["functions"][FUNCTION]["outputs"]["required"].remove("totalCount")


def _fn_enum(schema: dict[str, Any]) -> None:
    schema["types"][f"{PKG}:index:TaskStatusFilter"]["enum"].pop()


def _dynamic_type(schema: dict[str, Any]) -> None:
    schema["resources"][f"{PKG}:index:CacheRefresh"]["language"]["python"]["dynamicType"] = "x"


@pytest.mark.parametrize(
    "mutate", [_drop_input, _retype, _require, _enum, _task_field, _fn_output, _fn_enum, _dynamic_type]
)
def test_a_schema_that_disagrees_is_caught(mutate: Any) -> None:
    schema = copy.deepcopy(load_schema())
    mutate(schema)
    assert schema_mismatches(schema) != []


@pytest.mark.parametrize(("name", "allowed"), sorted(pulumi_resources.CACHE_REFRESH_ENUMS.items()))
def test_check_enforces_exactly_the_schema_enums(name: str, allowed: tuple[str, ...]) -> None:
    provider = CacheRefreshProvider()
    base: dict[str, object] = {"objectPaths": ["http://www.example.com/docs/"]}  # a Directory's too
    if name == "area":
        base["operation"] = "preload"
    tag_base = {"cacheTags": ["product-1"], "domainName": "www.example.com"}
    for value in allowed:
        given = tag_base if value == "refreshByCacheTag" else base
        result = provider.check({}, {**given, name: value})
        assert result.failures == [], (name, value, [f.reason for f in result.failures])
    result = provider.check({}, {**base, name: "NotAValue"})
    reasons = [f.reason for f in result.failures]
    assert any(", ".join(allowed) in reason for reason in reasons), reasons
