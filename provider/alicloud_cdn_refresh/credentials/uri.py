"""A credentials URI: a sidecar answering ``GET`` with the metadata service's JSON (mode CredentialsURI).

``{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}``, as the
Terraform provider and ``alibabacloud-credentials`` read it.
"""

from __future__ import annotations

import json

from alicloud_cdn_refresh.errors import CredentialsError

from .http import HttpSettings, public_url, send
from .specs import UriSpec
from .value import Credentials, temporary_credentials

__all__ = ["credentials_from_document", "fetch_credentials_uri"]


def credentials_from_document(body: bytes, what: str, source: str) -> Credentials:
    """Credentials from the metadata service's JSON document; a clear error for anything else.

    The error never quotes the document (it holds the secret and the token).
    """
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise CredentialsError(f"{what}: the answer is not a JSON object", code="MalformedResponse")
    if data.get("Code") != "Success":
        code = str(data.get("Code") or "missing")
        raise CredentialsError(f"{what}: the answer's Code is {code!r}, not 'Success'", code=code)
    return temporary_credentials(data, what=what, source=source, lacking="the answer lacks")


def fetch_credentials_uri(spec: UriSpec, *, http: HttpSettings) -> Credentials:
    """The credentials the URI hands out now."""
    what = f"credentials URI {public_url(spec.uri)}"
    answer = send("GET", spec.uri, settings=http, what=what)
    if answer.status != 200:
        raise CredentialsError(
            f"{what}: answered HTTP {answer.status}", code=f"HTTP{answer.status}", http_status=answer.status
        )
    return credentials_from_document(
        answer.body, what, f"credentials URI {public_url(spec.uri)} ({spec.source})"
    )
