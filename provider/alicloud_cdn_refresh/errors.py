"""One exception tree for the whole package (the API's codes are in :mod:`.error_codes`).

This module is the tree's public face; the classes live by what they are about:

- :mod:`.base_errors`: ``CdnError`` (the root), ``InvalidQuery``, ``CredentialsError``, ``ApiError``;
- :mod:`.submit_outcomes`: ``PartialSubmit`` (and ``AcceptedBatch``), ``InsufficientQuota``;
- :mod:`.wait_outcomes`: ``RefreshFailed``, ``WaitTimeout``, ``WaitCancelled`` (and
  ``PendingPath``, ``NOT_CHECKED``, ``NO_TASK``), ``TaskNotFound``.

Every class keeps this module as its ``__module__``: tracebacks and pickles name
``alicloud_cdn_refresh.errors.WaitTimeout`` wherever the class is written.
"""

from __future__ import annotations

from .base_errors import ApiError, CdnError, CredentialsError, InvalidQuery
from .submit_outcomes import AcceptedBatch, InsufficientQuota, PartialSubmit
from .wait_outcomes import (
    NO_TASK,
    NOT_CHECKED,
    PendingPath,
    RefreshFailed,
    TaskNotFound,
    WaitCancelled,
    WaitTimeout,
)

__all__ = [
    "NOT_CHECKED",
    "NO_TASK",
    "AcceptedBatch",
    "ApiError",
    "CdnError",
    "CredentialsError",
    "InsufficientQuota",
    "InvalidQuery",
    "PartialSubmit",
    "PendingPath",
    "RefreshFailed",
    "TaskNotFound",
    "WaitCancelled",
    "WaitTimeout",
]
