"""The emulator's body faults (malformed, truncated) answer 200 as documented, also over an error."""

from __future__ import annotations

import json

import pytest

from alicloud_cdn_refresh.emulator import Emulator, FaultConfig
from alicloud_cdn_refresh.products import Action
from emulator_helpers import Caller


@pytest.mark.parametrize("kind", ["malformed", "truncated"])
@pytest.mark.parametrize("code", ["ServiceBusy", "Throttling.User"])
def test_body_faults_on_an_error_answer_are_200_not_a_garbled_4xx(kind, code):
    # a garbled 403/400 body hid the retryable code: the client saw 'HTTP403' and a wait ended on it
    emulator = Emulator(faults=FaultConfig(rate=1.0, kinds=(kind,), seed=1))
    emulator.fail_next(code)
    caller = Caller(emulator)
    response = caller.raw(Action.DESCRIBE_REFRESH_TASKS, {})
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert emulator.faults_injected[kind] == 1
