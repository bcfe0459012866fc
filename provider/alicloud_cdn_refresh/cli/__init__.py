"""The ``cdn-refresh`` command line. Public face: :func:`main` (the console script) and :data:`cli`."""

from __future__ import annotations

from .app import cli, main

__all__ = ["cli", "main"]
