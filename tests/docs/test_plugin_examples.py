"""The plugin's example programs (YAML, TypeScript) and the README's Go and C# snippets name only what
schema/schema.json has: every type and function token, every input, output and argument.

They cannot run here (no Pulumi CLI, no SDK generator): each is read the way its language names
things (YAML keys and ``${resource.output}``; TypeScript object literals, ``new sdk.X(...)`` and
``.output`` accesses; Go ``&pkg.XArgs{Field: ...}``; C# ``new() { Field = ... }``) and every name
is looked up in the schema. A mutation test proves a wrong name is caught.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA: dict[str, Any] = json.loads((ROOT / "schema" / "schema.json").read_text(encoding="utf-8"))
PKG = SCHEMA["name"]
FUNCTION = f"{PKG}:index:getRefreshTasks"
TASK = SCHEMA["types"][f"{PKG}:index:RefreshTask"]["properties"]


def _token(token: str) -> str:
    """``alicloud-cdn-refresh:CacheRefresh`` (YAML may leave ``index`` out) -> the full token."""
    package, _, rest = token.partition(":")
    return f"{package}:{rest if ':' in rest else 'index:' + rest}"


def resource_spec(kind: str) -> dict[str, Any] | None:
    """A resource's (or, for ``Provider``, the provider's) schema entry."""
    if kind == "Provider":
        return {"inputProperties": SCHEMA["provider"]["inputProperties"], "properties": {}}
    spec: dict[str, Any] | None = SCHEMA["resources"].get(_token(f"{PKG}:{kind}"))
    return spec


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _block(text: str, start: int) -> str:
    """The text of the brace block opening at ``text[start]`` (strings and nesting respected)."""
    depth, index, quote = 0, start, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index]
        index += 1
    raise AssertionError(f"unbalanced block at {start}")


def _top_level(block: str) -> list[str]:
    """The comma-separated parts of a block at its own level."""
    parts, depth, current, quote = [], 0, "", ""
    for index, char in enumerate(block):
        if quote:
            quote = "" if char == quote and block[index - 1] != "\\" else quote
        elif char in "\"'`":
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        if char == "," and depth == 0 and not quote:
            parts.append(current)
            current = ""
        else:
            current += char
    return [part for part in (*parts, current) if part.strip()]


def object_keys(block: str, separator: str) -> list[str]:
    """Keys of an object literal: ``key: value`` (TypeScript, Go) or ``Key = value`` (C#)."""
    keys = []
    for part in _top_level(block):
        match = re.match(rf"\s*(?://[^\n]*\n\s*)*([A-Za-z_]\w*)\s*(?:{re.escape(separator)}|$)", part)
        assert match, f"cannot read {part!r}"
        keys.append(match.group(1))
    return keys


# --------------------------------------------------------------------------- the languages


def yaml_names(text: str) -> list[str]:
    """Every name the YAML program uses that the schema must have, each as ``where: problem`` if not."""
    program = yaml.safe_load(text)
    problems: list[str] = []
    kinds: dict[str, str] = {}
    for name, resource in program["resources"].items():
        token = resource["type"]
        kind = "Provider" if token == f"pulumi:providers:{PKG}" else _token(token).rsplit(":", 1)[-1]
        spec = resource_spec(kind)
        if spec is None or not (token.startswith(f"{PKG}:") or kind == "Provider"):
            problems.append(f"{name}: no resource {token}")
            continue
        kinds[name] = kind
        problems += [
            f"{name}.{key}: no input"
            for key in resource.get("properties", {})
            if key not in spec["inputProperties"]
        ]
    for name, variable in program.get("variables", {}).items():
        invoke = variable.get("fn::invoke", {})
        if _token(invoke.get("function", "")) != FUNCTION:
            problems.append(f"{name}: no function {invoke.get('function')}")
            continue
        arguments = SCHEMA["functions"][FUNCTION]["inputs"]["properties"]
        problems += [
            f"{name}.{key}: no argument" for key in invoke.get("arguments", {}) if key not in arguments
        ]
        if invoke.get("return") not in SCHEMA["functions"][FUNCTION]["outputs"]["properties"]:
            problems.append(f"{name}: no output {invoke.get('return')}")
    for resource, output in re.findall(r"\$\{(\w+)\.(\w+)\}", text):
        kind = kinds.get(resource)
        if kind is not None and output not in resource_spec(kind)["properties"]:  # type: ignore[index]
            problems.append(f"${{{resource}.{output}}}: no output")
    return problems


def typescript_names(text: str) -> list[str]:
    problems: list[str] = []
    alias = re.search(r'import \* as (\w+) from "([^"]+)"', text.split("@pulumi/pulumi")[-1])
    assert alias, "the SDK import"
    sdk, package = alias.groups()
    if package != SCHEMA["language"]["nodejs"]["packageName"]:
        problems.append(f"imports {package}, the schema's Node.js package is another")
    variables: dict[str, str] = {}
    for match in re.finditer(rf"const (\w+) = new {sdk}\.(\w+)\(\"[^\"]+\", \{{", text):
        variable, kind = match.groups()
        spec = resource_spec(kind)
        if spec is None:
            problems.append(f"{variable}: no resource {kind}")
            continue
        variables[variable] = kind
        keys = object_keys(_block(text, match.end() - 1), ":")
        problems += [f"{variable}.{key}: no input" for key in keys if key not in spec["inputProperties"]]
    function_outputs = SCHEMA["functions"][FUNCTION]["outputs"]["properties"]
    for match in re.finditer(rf"const (\w+) = {sdk}\.(\w+)\(\{{", text):
        variable, function = match.groups()
        if function not in ("getRefreshTasks", "getRefreshTasksOutput"):
            problems.append(f"{variable}: no function {function}")
            continue
        arguments = SCHEMA["functions"][FUNCTION]["inputs"]["properties"]
        keys = object_keys(_block(text, match.end() - 1), ":")
        problems += [f"{variable}.{key}: no argument" for key in keys if key not in arguments]
        variables[variable] = "function"
    for variable, output in re.findall(r"\b(\w+)\.(\w+)\b", text):
        kind = variables.get(variable)
        if (kind == "function" and output not in function_outputs and output != "apply") or (
            kind not in (None, "function", "Provider") and output not in resource_spec(kind)["properties"]
        ):
            problems.append(f"{variable}.{output}: no output")
    for item, field in re.findall(r"\.map\((\w+) => \1\.(\w+)\)", text):
        if field not in TASK:
            problems.append(f"{item}.{field}: no field of RefreshTask")
    return problems


def go_names(text: str) -> list[str]:
    problems: list[str] = []
    go = SCHEMA["language"]["go"]
    if f'"{go["importBasePath"]}"' not in text:
        problems.append("does not import the schema's Go package")
    package = go["rootPackageName"]
    for match in re.finditer(rf"&?{package}\.(\w+)Args\{{", text):
        kind = match.group(1)
        keys = [_camel(key) for key in object_keys(_block(text, match.end() - 1), ":")]
        if kind == "GetRefreshTasksOutput":
            known = SCHEMA["functions"][FUNCTION]["inputs"]["properties"]
        else:
            spec = resource_spec(kind)
            if spec is None:
                problems.append(f"no resource {kind}")
                continue
            known = spec["inputProperties"]
        problems += [f"{kind}.{key}: not in the schema" for key in keys if key not in known]
    for output in re.findall(r"\brefresh\.(\w+)", text):
        if _camel(output) not in SCHEMA["resources"][f"{PKG}:index:CacheRefresh"]["properties"]:
            problems.append(f"refresh.{output}: no output")
    for output in re.findall(r"\bfound\.(\w+)\(\)", text):
        if _camel(output) not in SCHEMA["functions"][FUNCTION]["outputs"]["properties"]:
            problems.append(f"found.{output}: no output")
    return problems


def csharp_names(text: str) -> list[str]:
    problems: list[str] = []
    csharp = SCHEMA["language"]["csharp"]
    namespace = f"{csharp['rootNamespace']}.{csharp['namespaces'][PKG]}"
    if f"= {namespace};" not in text:
        problems.append(f"does not use {namespace}")
    alias = csharp["namespaces"][PKG]
    for match in re.finditer(rf"new {alias}\.(\w+)\(\"[^\"]+\", new\(\)\s*\{{", text):
        kind = match.group(1)
        spec = resource_spec(kind)
        if spec is None:
            problems.append(f"no resource {kind}")
            continue
        keys = [_camel(key) for key in object_keys(_block(text, match.end() - 1), "=")]
        problems += [f"{kind}.{key}: no input" for key in keys if key not in spec["inputProperties"]]
    for match in re.finditer(rf"{alias}\.GetRefreshTasks\.Invoke\(new\(\)\s*\{{", text):
        keys = [_camel(key) for key in object_keys(_block(text, match.end() - 1), "=")]
        arguments = SCHEMA["functions"][FUNCTION]["inputs"]["properties"]
        problems += [f"GetRefreshTasks.{key}: no argument" for key in keys if key not in arguments]
    for output in re.findall(r"\brefresh\.(\w+)", text):
        if _camel(output) not in SCHEMA["resources"][f"{PKG}:index:CacheRefresh"]["properties"]:
            problems.append(f"refresh.{output}: no output")
    for output in re.findall(r"\bresult\.(\w+)", text):
        if _camel(output) not in SCHEMA["functions"][FUNCTION]["outputs"]["properties"]:
            problems.append(f"result.{output}: no output")
    return problems


def readme_block(language: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", readme, re.DOTALL)
    (block,) = [block for block in blocks if "alicloudcdnrefresh" in block.lower()]
    return block


YAML_PROGRAM = ROOT / "examples" / "yaml" / "Pulumi.yaml"
TS_PROGRAM = ROOT / "examples" / "typescript" / "index.ts"


# --------------------------------------------------------------------------- the tests


def test_the_yaml_program_uses_only_schema_names() -> None:
    text = YAML_PROGRAM.read_text(encoding="utf-8")
    assert yaml_names(text) == []
    program = yaml.safe_load(text)
    assert program["packages"] == {PKG: "../.."}  # this repository, as a source plugin
    assert {resource["type"] for resource in program["resources"].values()} >= {
        f"{PKG}:CacheRefresh",
        f"{PKG}:RefreshWait",
        f"pulumi:providers:{PKG}",
    }


def test_the_typescript_program_uses_only_schema_names() -> None:
    assert typescript_names(TS_PROGRAM.read_text(encoding="utf-8")) == []
    package = json.loads((TS_PROGRAM.parent / "package.json").read_text(encoding="utf-8"))
    assert SCHEMA["language"]["nodejs"]["packageName"] in package["dependencies"]
    project = yaml.safe_load((TS_PROGRAM.parent / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert (project["runtime"], project["packages"]) == ("nodejs", {PKG: "../.."})


def test_the_readmes_go_and_csharp_snippets_use_only_schema_names() -> None:
    assert go_names(readme_block("go")) == []
    assert csharp_names(readme_block("csharp")) == []


@pytest.mark.parametrize(
    ("reader", "text", "old", "new"),
    [
        (yaml_names, YAML_PROGRAM, "timeoutSeconds: 900", "timeoutSecs: 900"),
        (yaml_names, YAML_PROGRAM, "${siteRefresh.completedAt}", "${siteRefresh.finishedAt}"),
        (yaml_names, YAML_PROGRAM, "return: tasks", "return: results"),
        (yaml_names, YAML_PROGRAM, "profile: account-b", "profil: account-b"),
        (typescript_names, TS_PROGRAM, 'product: "dcdn"', 'products: "dcdn"'),
        (typescript_names, TS_PROGRAM, "refresh.completedAt", "refresh.doneAt"),
        (typescript_names, TS_PROGRAM, "task.objectPath", "task.path"),
        (typescript_names, TS_PROGRAM, 'status: "Failed",', 'state: "Failed",'),
        (go_names, "go", "Since:", "Sinse:"),
        (csharp_names, "csharp", "Profile =", "Profiel ="),
    ],
)
def test_a_name_the_schema_lacks_is_caught(reader: Any, text: Path | str, old: str, new: str) -> None:
    source = text.read_text(encoding="utf-8") if isinstance(text, Path) else readme_block(text)
    assert old in source
    assert reader(source.replace(old, new, 1)) != []
