"""The credentials value: an access key pair, optionally with an STS token, kept out of reprs and pickles."""

from __future__ import annotations

from typing import NoReturn

__all__ = ["Credentials"]


class Credentials:
    """An access key pair, optionally with an STS security token.

    The secret and the token are readable by the signers but never shown: ``repr`` masks them and
    pickling is refused, so they cannot reach Pulumi state, logs or exception texts by accident.
    """

    __slots__ = ("_access_key_secret", "_security_token", "access_key_id", "source")

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        security_token: str | None = None,
        *,
        source: str = "explicit",
    ) -> None:
        if not access_key_id:
            raise ValueError("access_key_id must not be empty")
        if not access_key_secret:
            raise ValueError("access_key_secret must not be empty")
        self.access_key_id = access_key_id
        self._access_key_secret = access_key_secret
        self._security_token = security_token or None
        self.source = source
        """Where these credentials were found (for messages; never secret)."""

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
            f"security_token={token}, source={self.source!r})"
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
