"""Providers: cached until shortly before expiry, renewed on the injected clock, thread-safe, secret."""

from __future__ import annotations

import pickle
import threading
from datetime import timedelta

import pytest

from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import (
    Credentials,
    RenewingProvider,
    StaticProvider,
    as_provider,
    mask_access_key_id,
)
from alicloud_cdn_refresh.errors import CredentialsError
from waiter_helpers import START


class Fetcher:
    def __init__(self, clock: ManualClock, lifetime: float = 900.0) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.calls = 0
        self.fail = False

    def __call__(self) -> Credentials:
        if self.fail:
            raise CredentialsError("STS is down", code="ServiceUnavailable")
        self.calls += 1
        return Credentials(
            f"STS.key{self.calls}",
            f"secret{self.calls}",
            f"token{self.calls}",
            source="test",
            expiration=self.clock.now() + timedelta(seconds=self.lifetime),
        )


def test_cached_until_three_minutes_before_expiry_then_renewed():
    clock = ManualClock(START)
    fetch = Fetcher(clock, 900)
    provider = RenewingProvider(fetch, mode="RamRoleArn", source="t", clock=clock)
    first = provider.get()
    clock.advance(700)
    assert provider.get() is first
    assert fetch.calls == 1
    clock.advance(21)  # 721 s: within 180 s of expiry
    second = provider.get()
    assert second.access_key_id == "STS.key2"
    assert fetch.calls == 2
    assert provider.renew_at == second.expiration - timedelta(minutes=3)


def test_short_sessions_renew_at_half_their_lifetime():
    clock = ManualClock(START)
    fetch = Fetcher(clock, 60)
    provider = RenewingProvider(fetch, mode="X", source="t", clock=clock)
    provider.get()
    clock.advance(29)
    provider.get()
    assert fetch.calls == 1
    clock.advance(2)
    provider.get()
    assert fetch.calls == 2


def test_long_term_values_are_fetched_once():
    clock = ManualClock(START)
    calls = []

    def fetch():
        calls.append(1)
        return Credentials("LTAIxxxx", "s")

    provider = RenewingProvider(fetch, mode="AK", source="t", clock=clock)
    provider.get()
    clock.advance(10**6)
    provider.get()
    assert len(calls) == 1


def test_a_failed_renewal_uses_the_still_valid_value_then_raises_once_expired():
    clock = ManualClock(START)
    fetch = Fetcher(clock, 900)
    provider = RenewingProvider(fetch, mode="RamRoleArn", source="t", clock=clock)
    first = provider.get()
    fetch.fail = True
    clock.advance(800)  # due, 100 s left
    assert provider.get() is first
    clock.advance(95)  # 5 s left: too close
    with pytest.raises(CredentialsError, match="STS is down"):
        provider.get()
    fetch.fail = False
    assert provider.get().access_key_id == "STS.key2"


def test_one_thread_renews_the_others_wait_for_it():
    clock = ManualClock(START)
    gate = threading.Event()
    calls = []

    def fetch():
        calls.append(1)
        gate.wait(5)
        return Credentials("STS.k", "s", "t", expiration=clock.now() + timedelta(hours=1))

    provider = RenewingProvider(fetch, mode="X", source="t", clock=clock)
    results: list[Credentials] = []
    threads = [threading.Thread(target=lambda: results.append(provider.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1
    assert len(results) == 8
    assert len({id(r) for r in results}) == 1


def test_listeners_see_every_new_value_and_the_current_one():
    clock = ManualClock(START)
    provider = RenewingProvider(Fetcher(clock, 900), mode="X", source="t", clock=clock)
    seen: list[str] = []
    provider.add_listener(lambda c: seen.append(c.access_key_id))
    provider.get()
    provider.get()
    clock.advance(800)
    provider.get()
    assert seen == ["STS.key1", "STS.key2"]
    late: list[str] = []
    provider.add_listener(lambda c: late.append(c.access_key_id))
    assert late == ["STS.key2"]


def test_providers_refuse_pickling_and_hide_secrets_in_repr():
    clock = ManualClock(START)
    renewing = RenewingProvider(Fetcher(clock), mode="X", source="t", clock=clock)
    renewing.get()
    static = StaticProvider(Credentials("LTAIxxxx", "very-secret", "very-token"))
    for provider in (renewing, static):
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(provider)
        assert "secret" not in repr(provider)
        assert "token1" not in repr(provider)
        assert "very-token" not in repr(provider)


def test_as_provider_wraps_values_and_passes_providers_through():
    value = Credentials("a", "b", "c")
    wrapped = as_provider(value)
    assert wrapped.get() is value
    assert wrapped.mode == "StsToken"
    clock = ManualClock(START)
    renewing = RenewingProvider(Fetcher(clock), mode="X", source="t", clock=clock)
    assert as_provider(renewing) is renewing
    with pytest.raises(TypeError):
        as_provider("LTAI-key")  # type: ignore[arg-type]


def test_credentials_keep_an_aware_expiration_out_of_equality():
    expiration = START + timedelta(hours=1)
    a = Credentials("a", "b", "c", expiration=expiration)
    assert a == Credentials("a", "b", "c")
    assert "2026-11-28T13:00:00+00:00" in repr(a)
    with pytest.raises(ValueError, match="aware"):
        Credentials("a", "b", expiration=expiration.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("key", "masked"),
    [("LTAI5tAbCdEfGh1234", "LTAI****1234"), ("testid", "te****d"), ("ab", "****")],
)
def test_access_key_ids_are_masked(key, masked):
    assert mask_access_key_id(key) == masked
