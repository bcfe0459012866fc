"""The package schema the plugin serves (GetSchema) and the version it reports (GetPluginInfo).

The schema is ``schema/schema.json`` of the repository. An installed wheel carries a copy inside
this package (``pyproject.toml`` puts it there); a checkout, an editable install and a source plugin
read the repository's file itself.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Final

__all__ = ["DISTRIBUTION", "plugin_version", "schema", "schema_text"]

DISTRIBUTION: Final = "pulumi-alicloud-cdn-refresh"
_REPOSITORY_SCHEMA: Final = Path(__file__).resolve().parents[3] / "schema" / "schema.json"


@cache
def schema_text() -> str:
    """The schema as JSON text, exactly as the file holds it."""
    packaged = resources.files(__package__).joinpath("schema.json")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return _REPOSITORY_SCHEMA.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The schema, parsed."""
    value: dict[str, Any] = json.loads(schema_text())
    return value


def plugin_version() -> str:
    """The installed distribution's version (the schema's ``version`` says the same)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return str(schema()["version"])
