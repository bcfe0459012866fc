"""Fixtures of the emulator tests that speak to it with the official SDKs: the module's ``emulator``
fixture served on 127.0.0.1 (``server``), and each test run once per signature version
(``signature``). Every module using ``server`` defines ``emulator``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alicloud_cdn_refresh.emulator import Emulator, EmulatorServer


@pytest.fixture
def server(emulator: Emulator) -> Iterator[EmulatorServer]:
    """The module's ``emulator``, served for the test."""
    with emulator.serve() as running:
        yield running


@pytest.fixture(params=["v3", "v1"])
def signature(request: pytest.FixtureRequest) -> str:
    """The signature version (V3, then V1) the test's SDK client uses."""
    return str(request.param)
