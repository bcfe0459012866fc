"""The package's root: every name of ``__all__`` is importable from it and ``dir()`` lists them,
though importing the package loads none of its modules (each name is loaded on first use)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import alicloud_cdn_refresh
from alicloud_cdn_refresh import errors, models

HOMES = {
    "Credentials": "alicloud_cdn_refresh.credentials",
    "CdnClient": "alicloud_cdn_refresh.client",
    "wait_for_refresh": "alicloud_cdn_refresh.waiter",
    "WaitProgress": "alicloud_cdn_refresh.waiter",
    "get_refresh_tasks": "alicloud_cdn_refresh.pulumi",
    "get_refresh_tasks_output": "alicloud_cdn_refresh.pulumi",
    "GetRefreshTasksResult": "alicloud_cdn_refresh.pulumi",
    "RefreshWait": "alicloud_cdn_refresh.pulumi",
    "CacheRefresh": "alicloud_cdn_refresh.pulumi",
}
"""The names that are neither errors nor models, and the part each comes from."""


def _fresh(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_every_name_of_all_is_exported_and_is_its_home_modules_object():
    for name in alicloud_cdn_refresh.__all__:
        value = getattr(alicloud_cdn_refresh, name)
        if name in errors.__all__:
            assert value is getattr(errors, name), name
        elif name in models.__all__:
            assert value is getattr(models, name), name
        else:
            home = sys.modules[HOMES[name]]
            assert value is getattr(home, name), name
    assert len(set(alicloud_cdn_refresh.__all__)) == len(alicloud_cdn_refresh.__all__)


def test_dir_lists_all_and_star_import_brings_every_name():
    assert dir(alicloud_cdn_refresh) == sorted(alicloud_cdn_refresh.__all__)
    namespace: dict[str, object] = {}
    exec("from alicloud_cdn_refresh import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(alicloud_cdn_refresh.__all__)


def test_each_name_imports_by_name_in_a_fresh_process():
    names = ", ".join(alicloud_cdn_refresh.__all__)
    assert _fresh(f"from alicloud_cdn_refresh import {names}\nprint('OK')") == "OK"


def test_importing_the_package_loads_none_of_its_modules():
    code = (
        "import sys, alicloud_cdn_refresh\n"
        "print(sorted(m for m in sys.modules if m.startswith('alicloud_cdn_refresh.')))\n"
    )
    assert _fresh(code) == "[]"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NoSuchName"):
        alicloud_cdn_refresh.NoSuchName  # type: ignore[attr-defined]


def test_the_modules_the_package_once_imported_are_still_its_attributes():
    # ``import alicloud_cdn_refresh`` used to import the errors and the models, so that
    # ``alicloud_cdn_refresh.errors`` worked without importing it; it still does.
    code = (
        "import alicloud_cdn_refresh as package\n"
        "print(package.errors.ApiError.__name__, package.models.RefreshTask.__name__, "
        "package.error_codes.is_retryable('Throttling', 503))\n"
    )
    assert _fresh(code) == "ApiError RefreshTask True"
