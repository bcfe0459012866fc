"""The credentials value: an access key pair, optionally with an STS token, kept out of reprs and pickles.

:func:`temporary_credentials` reads one from the four fields STS, the metadata service and
credentials URIs all answer with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NoReturn

from alicloud_cdn_refresh.errors import CredentialsError
from alicloud_cdn_refresh.models import parse_api_time

__all__ = ["Credentials", "mask_access_key_id", "temporary_credentials"]


def mask_access_key_id(access_key_id: str) -> str:
    """An access key id with its middle hidden (``LTAI****wxyz``), for messages and ``whoami``."""
    if len(access_key_id) >= 12:
        return f"{access_key_id[:4]}****{access_key_id[-4:]}"
    if len(access_key_id) >= 4:
        return f"{access_key_id[:2]}****{access_key_id[-1:]}"
    return "****"


class Credentials:
    """An access key pair, optionally with an STS security token.

    The secret and the token are readable by the signers but never shown: ``repr`` masks them and
    pickling is refused, so they cannot reach Pulumi state, logs or exception texts by accident.
    """

    __slots__ = ("_access_key_secret", "_security_token", "access_key_id", "expiration", "source")

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        security_token: str | None = None,
        *,
        source: str = "explicit",
        expiration: datetime | None = None,
    ) -> None:
        for name, value in (("access_key_id", access_key_id), ("access_key_secret", access_key_secret)):
            if not isinstance(value, str):
                raise TypeError(f"Credentials: {name} must be a str, not {type(value).__name__}")
        if security_token is not None and not isinstance(security_token, str):
            raise TypeError(
                f"Credentials: security_token must be a str or None, not {type(security_token).__name__}"
            )
        if expiration is not None and not isinstance(expiration, datetime):
            raise TypeError(
                f"Credentials: expiration must be an aware datetime or None, not {type(expiration).__name__}"
            )
        if not access_key_id:
            raise ValueError("access_key_id must not be empty")
        if not access_key_secret:
            raise ValueError("access_key_secret must not be empty")
        self.access_key_id = access_key_id
        self._access_key_secret = access_key_secret
        self._security_token = security_token or None
        self.source = source
        """Where these credentials were found (for messages; never secret)."""
        if expiration is not None and expiration.utcoffset() is None:
            raise ValueError("expiration must be timezone-aware")
        self.expiration = expiration
        """When temporary credentials expire (aware UTC), ``None`` for long-term keys."""

    @property
    def access_key_secret(self) -> str:
        """The secret, for signing only."""
        return self._access_key_secret

    @property
    def security_token(self) -> str | None:
        """The STS token, for signing only."""
        return self._security_token

    def __repr__(self) -> str:
        token = "'***'" if self._security_token else "None"
        return (
            f"Credentials(access_key_id={self.access_key_id!r}, access_key_secret='***', "
            f"security_token={token}, source={self.source!r}"
            + (f", expiration={self.expiration.isoformat()!r})" if self.expiration else ")")
        )

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credentials):
            return NotImplemented
        return (
            self.access_key_id == other.access_key_id
            and self._access_key_secret == other._access_key_secret
            and self._security_token == other._security_token
        )

    def __hash__(self) -> int:
        return hash(self.access_key_id)

    def __reduce__(self) -> NoReturn:
        raise TypeError("Credentials cannot be pickled: the secret must not leave this process")

    def __getstate__(self) -> NoReturn:
        raise TypeError("Credentials cannot be pickled: the secret must not leave this process")


def temporary_credentials(
    answer: Mapping[str, object], *, what: str, source: str, lacking: str
) -> Credentials:
    """Credentials from an answer's ``AccessKeyId``, ``AccessKeySecret``, ``SecurityToken`` and
    ``Expiration``; a ``MalformedResponse`` error (``"{what}: {lacking} X, Y"``) when any is missing or
    not a string, never quoting the answer (it holds the secret and the token)."""
    fields = {
        name: answer.get(name) for name in ("AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration")
    }
    missing = [name for name, value in fields.items() if not isinstance(value, str) or not value]
    if missing:
        raise CredentialsError(f"{what}: {lacking} {', '.join(missing)}", code="MalformedResponse")
    try:
        expiration = parse_api_time(str(fields["Expiration"]))
    except ValueError:
        raise CredentialsError(
            f"{what}: the answer's Expiration is not yyyy-MM-ddTHH:mm:ssZ", code="MalformedResponse"
        ) from None
    return Credentials(
        str(fields["AccessKeyId"]),
        str(fields["AccessKeySecret"]),
        str(fields["SecurityToken"]),
        source=source,
        expiration=expiration,
    )
