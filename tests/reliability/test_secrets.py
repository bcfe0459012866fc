"""Secrets sweep: plant a recognisable secret and STS token, drive every surface, search everything.

Surfaces: every log record at DEBUG (all loggers: the package's, httpx, httpcore, the emulator's
server), exception texts (str, repr, args, the chain, formatted tracebacks, pickled form) from auth
failures, API errors and transport errors, reprs of client/signer/credentials (and of a client
built from the stored Pulumi config), the emulator's answers (bodies and headers) and the server's
stderr, CLI output (with and without
``--debug``, both signature versions, STS, a wrong secret), the serialized Pulumi provider
(``__provider``) and the outputs/errors/stderr of both resources over the real provider protocol.
Zero hits of the planted values, raw or percent-encoded.
"""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.retry import RetryPolicy
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.credentials.chain import describe_credentials, resolve_credentials, resolve_provider
from alicloud_cdn_refresh.emulator import Emulator, FaultConfig
from alicloud_cdn_refresh.errors import CdnError
from alicloud_cdn_refresh.pulumi import config as _pulumi_config
from alicloud_cdn_refresh.settings import ENVIRONMENT_VARIABLES
from alicloud_cdn_refresh.signatures import percent_encode
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from pulumi_protocol_rig import SECRET as RIG_SECRET
from pulumi_protocol_rig import Rig, decoded_provider, start_rig, urn
from waiter_helpers import START

SECRET = "PLANTED-SECRET-7f3a/+="
TOKEN = "PLANTED-TOKEN-91c2/+="
OIDC_TOKEN = "PLANTED-OIDC-3b7e.jwt"
OIDC_EXPIRED = "PLANTED-OIDC-EXPIRED-c4d0"
EXTERNAL_ID = "PLANTED-EXTID-8e21"
PLANTED = ("PLANTED-SECRET-7f3a", "PLANTED-TOKEN-91c2", RIG_SECRET, "PLANTED-OIDC", "PLANTED-EXTID")
A = "http://www.example.com"


def hits(text: str | bytes) -> list[str]:
    """Planted values found in ``text`` (raw, percent-encoded or form-encoded)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    found = [p for p in PLANTED if p in text]
    for value in (SECRET, TOKEN):
        for encoded in (percent_encode(value), value.replace("/", "%2F").replace("+", "%2B")):
            if encoded in text:
                found.append(encoded)
    return found


class Collector:
    """Everything seen during the sweep, searched at the end (for ``PLANTED`` and ``extra``)."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str | bytes]] = []
        self.extra: list[str] = []
        """More secret values to look for (those the emulator minted for temporary credentials)."""

    def add(self, where: str, value: Any) -> None:
        self.texts.append((where, value if isinstance(value, (str, bytes)) else repr(value)))

    def error(self, where: str, error: BaseException) -> None:
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            self.add(f"{where}: str", str(current))
            self.add(f"{where}: repr", repr(current))
            self.add(f"{where}: args", repr(current.args))
            self.add(f"{where}: vars", repr(vars(current)))
            try:
                self.add(f"{where}: pickle", pickle.dumps(current))
            except Exception as refused:  # refusing to pickle is fine, if the refusal is clean
                self.add(f"{where}: pickle refusal", repr(refused))
            current = current.__cause__ or current.__context__
        self.add(f"{where}: traceback", "".join(traceback.format_exception(error)))

    def leaks(self) -> list[str]:
        found = [f"{where}: {found}" for where, text in self.texts for found in hits(text)]
        for secret in self.extra:
            forms = {secret, percent_encode(secret), secret.replace("/", "%2F").replace("+", "%2B")}
            for where, text in self.texts:
                decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
                found += [f"{where}: minted secret {secret[:6]}..." for form in forms if form in decoded]
        return found


class Recording(httpx.BaseTransport):
    """The emulator's transport, recording every answer (status, headers, body)."""

    def __init__(self, inner: httpx.BaseTransport, sink: Collector) -> None:
        self.inner = inner
        self.sink = sink

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.sink.add("emulator answer headers", repr(response.headers.multi_items()))
        self.sink.add("emulator answer body", response.read())
        return response


def _emulator(clock: ManualClock | None = None, **kwargs: Any) -> Emulator:
    emulator = Emulator(
        access_keys={"testid": SECRET},
        complete_after=5,
        fail_paths=r"/broken",
        qps_limits=False,
        seed=3,
        **({"clock": clock} if clock else {}),
        **kwargs,
    )
    emulator.add_sts_token("stsid", SECRET, TOKEN)
    return emulator


def _drive_client(sink: Collector, version: str, key_id: str, secret: str, token: str | None) -> None:
    clock = ManualClock(START)
    emulator = _emulator(clock, faults=FaultConfig(rate=0.2, seed=5))
    client = CdnClient(
        credentials=Credentials(key_id, secret, token),
        transport=Recording(emulator.transport(), sink),
        signature_version=version,
        clock=clock,
        timeout=1.0,
        retry=RetryPolicy(attempts=3, timeout=5, initial=0.1, max=0.5),
    )
    sink.add("client repr", repr(client))
    sink.add("client str", str(client))
    sink.add("signer repr", repr(client._signer))
    sink.add("credentials repr", repr(client.credentials_provider))
    sink.add("credentials value repr", repr(client.credentials_provider.get()))
    sink.add("emulator repr", repr(emulator))
    label = f"{version}/{key_id}/{'sts' if token else 'ak'}/{'good' if secret == SECRET else 'bad'}"
    calls = [
        lambda: client.describe_refresh_tasks(domain_name="www.example.com", object_type="file"),
        lambda: client.refresh_object_caches([f"{A}/a.txt", f"{A}/broken.txt"]),
        lambda: client.push_object_cache([f"{A}/p.txt"]),
        lambda: client.describe_refresh_quota(),
        lambda: client.describe_refresh_task_by_id(["1", "2"]),
        lambda: wait_for_refresh([f"{A}/a.txt", f"{A}/broken.txt"], client=client, timeout=60, since=START),
        lambda: client.describe_refresh_tasks(start_time="yesterday", end_time="now"),  # InvalidQuery
    ]
    for index, call in enumerate(calls):
        try:
            sink.add(f"{label} result {index}", call())
        except (CdnError, ValueError) as error:
            sink.error(f"{label} call {index}", error)
    emulator.fail_next("InvalidAccessKeyId.NotFound")
    try:
        client.describe_refresh_quota()
    except CdnError as error:
        sink.error(f"{label} fail_next", error)
    client.close()


@pytest.fixture
def sink(caplog: pytest.LogCaptureFixture) -> Iterator[Collector]:
    caplog.set_level(logging.DEBUG)
    for name in ("alicloud_cdn_refresh", "httpx", "httpcore", "alicloud_cdn_refresh.emulator"):
        caplog.set_level(logging.DEBUG, logger=name)
    collector = Collector()
    yield collector
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    records = caplog.get_records("call")
    for record in records:
        collector.add(f"log {record.name}", formatter.format(record))
        collector.add(f"log args {record.name}", repr(record.args))
    assert len(records) > 0
    assert collector.leaks() == []


def test_client_waiter_and_emulator_in_process_both_signatures_sts_and_wrong_keys(sink, capsys):
    for version in ("v3", "v1"):
        _drive_client(sink, version, "testid", SECRET, None)
        _drive_client(sink, version, "stsid", SECRET, TOKEN)
        _drive_client(sink, version, "testid", SECRET + "x", None)  # SignatureDoesNotMatch
        _drive_client(sink, version, "stsid", SECRET, TOKEN + "x")  # wrong STS token
    out = capsys.readouterr()
    sink.add("stdout", out.out)
    sink.add("stderr", out.err)
    # the sweep really saw the failures it claims to cover
    joined = "\n".join(str(text) for _, text in sink.texts)
    for expected in ("SignatureDoesNotMatch", "InvalidSecurityToken", "RefreshFailed", "InvalidQuery"):
        assert expected in joined, expected


def test_real_server_transport_errors_credentials_and_config_store(sink, capfd):
    emulator = _emulator()
    with emulator.serve() as server:
        for version in ("v3", "v1"):
            for key_id, token in (("testid", None), ("stsid", TOKEN), ("testid", "bogus")):
                with CdnClient(
                    endpoint=server.url,
                    credentials=Credentials(key_id, SECRET, token),
                    signature_version=version,
                    retry=RetryPolicy.never(),
                ) as client:
                    try:
                        sink.add("server result", client.refresh_object_caches([f"{A}/s.txt"]))
                        sink.add("server result", client.describe_refresh_tasks(object_path=f"{A}/s.txt"))
                    except CdnError as error:
                        sink.error(f"server {version} {key_id}", error)
        port = int(server.url.rsplit(":", 1)[1])
    # the server is closed now: connection refused is a transport error
    with CdnClient(
        endpoint=f"http://127.0.0.1:{port}",
        credentials=Credentials("stsid", SECRET, TOKEN),
        retry=RetryPolicy.never(),
    ) as client:
        with pytest.raises(CdnError) as info:
            client.describe_refresh_quota()
        sink.error("connection refused", info.value)
    # credentials resolution from Pulumi config and the environment, and the config store
    config = {"alicloud:accessKey": "testid", "alicloud:secretKey": SECRET, "alicloud:securityToken": TOKEN}
    _pulumi_config.store_config(config)
    try:
        # the store is a plain dict that must hold the secret; what is built from it must not show it
        assert _pulumi_config.provider_config()["alicloud:secretKey"] == SECRET
        sink.add("config module", repr(_pulumi_config))
        sink.add("resolved creds", repr(resolve_credentials(pulumi_config=config, environ={})))
        sink.add("client from config", repr(_pulumi_config.make_client(_pulumi_config.provider_config())))
    finally:
        _pulumi_config.clear_config()
    try:
        resolve_credentials(environ={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET}, profile_path="/nonexistent")
    except CdnError as error:
        sink.error("half credentials", error)
    with pytest.raises(TypeError) as refused:
        pickle.dumps(Credentials("testid", SECRET, TOKEN))
    sink.error("credentials pickle", refused.value)
    out = capfd.readouterr()
    sink.add("server stdout", out.out)
    sink.add("server stderr", out.err)


ROLE = "acs:ram::123456789012:role/sweep"
OIDC_ARN = "acs:ram::123456789012:oidc-provider/sweep"


def _temporary_sources(url: str, tmp_path: Any) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    token_file = tmp_path / "oidc-token"
    token_file.write_text(OIDC_TOKEN, encoding="utf-8")
    keys = {"alicloud:accessKey": "testid", "alicloud:secretKey": SECRET}
    oidc_env = {
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": OIDC_ARN,
        "ALIBABA_CLOUD_ROLE_ARN": ROLE,
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token_file),
    }
    expired = {"oidcProviderArn": OIDC_ARN, "roleArn": ROLE, "oidcToken": OIDC_EXPIRED}
    return [
        ("assumed role", {**keys, "alicloud:assumeRole": {"roleArn": ROLE, "externalId": EXTERNAL_ID}}, {}),
        (
            "wrong external id",
            {**keys, "alicloud:assumeRole": {"roleArn": ROLE, "externalId": "wrong-1"}},
            {},
        ),
        ("oidc token file", {}, oidc_env),
        ("expired oidc token", {"alicloud:assumeRoleWithOidc": json.dumps(expired)}, {}),
        ("ecs role", {"alicloud:ecsRoleName": "web"}, {}),
        ("missing ecs role", {"alicloud:ecsRoleName": "nope"}, {}),
        ("credentials uri", {"alicloud:credentialsUri": url + "/sweep-credentials"}, {}),
        ("oidc then role", {"alicloud:assumeRole": {"roleArn": ROLE, "externalId": EXTERNAL_ID}}, oidc_env),
    ]


def test_temporary_credentials_sts_oidc_and_metadata_answers_leak_nothing(sink, capfd, tmp_path):
    clock = ManualClock(START)
    emulator = Emulator(
        clock=clock, access_keys={"testid": SECRET}, complete_after=5, fail_paths=r"/broken", qps_limits=False
    )
    emulator.add_role(ROLE, external_id=EXTERNAL_ID)
    emulator.add_oidc_provider(OIDC_ARN, {OIDC_TOKEN: None, OIDC_EXPIRED: START - timedelta(minutes=1)})
    emulator.add_credentials_uri("/sweep-credentials", session_seconds=900)
    emulator.set_ecs_role("web", session_seconds=900, require_token=True)
    seen_codes: set[str] = set()
    with emulator.serve() as server:
        services = {
            "ALIBABA_CLOUD_STS_ENDPOINT": server.url,
            "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": server.url,
        }
        for version in ("v3", "v1"):
            for label, config, env in _temporary_sources(server.url, tmp_path):
                config = {**config, "alicloud:endpoints": json.dumps([{"cdn": server.url}])}
                environ = {**services, **env}
                where = f"{version} {label}"
                try:
                    report = describe_credentials(
                        pulumi_config=config, environ=environ, fetch=True, clock=clock
                    )
                    sink.add(f"{where} report", repr(report))
                    sink.add(f"{where} report text", str(report))
                    sink.add(f"{where} report json", json.dumps(report.as_dict()))
                    provider = resolve_provider(pulumi_config=config, environ=environ, clock=clock)
                    with CdnClient(
                        credentials=provider,
                        pulumi_config=config,
                        clock=clock,
                        signature_version=version,
                        retry=RetryPolicy.never(),
                    ) as client:
                        sink.add(
                            f"{where} result", client.refresh_object_caches([f"{A}/t.txt", f"{A}/broken.t"])
                        )
                        clock.advance(1000)  # past every session: renewed on the next call
                        sink.add(f"{where} wait", wait_for_refresh([f"{A}/t.txt"], client=client, timeout=60))
                        sink.add(f"{where} client", repr(client))
                        sink.add(f"{where} signer", repr(client._signer))
                        sink.add(f"{where} provider", repr(provider))
                        sink.add(f"{where} value", repr(provider.get()))
                    with pytest.raises(TypeError) as refused:
                        pickle.dumps(provider)
                    sink.error(f"{where} provider pickle", refused.value)
                    snapshot = provider.get()
                    clock.advance(1000)
                    with CdnClient(
                        credentials=snapshot, pulumi_config=config, clock=clock, retry=RetryPolicy.never()
                    ) as stale:
                        stale.describe_refresh_quota()
                except CdnError as error:
                    seen_codes.add(str(getattr(error, "code", None)))
                    sink.error(where, error)
        cli_env: dict[str, str | None] = dict.fromkeys(ENVIRONMENT_VARIABLES)
        cli_env.update(_temporary_sources(server.url, tmp_path)[2][2])
        cli_env.update({"HOME": str(tmp_path), "ALIBABA_CLOUD_CDN_ENDPOINT": server.url, **services})
        for args in (["quota"], ["quota", "--debug"], ["tasks", "--json", "--debug"]):
            result = CliRunner().invoke(cli, args, env=cli_env)
            sink.add(f"cli {args} stdout", result.stdout)
            sink.add(f"cli {args} stderr", result.stderr)
            assert result.exit_code == 0, result.stdout + result.stderr
    out = capfd.readouterr()
    sink.add("stdout", out.out)
    sink.add("stderr", out.err)
    # the sweep covered what it claims: refusals of each kind, and minted secrets to look for
    assert {
        "NoPermission",
        "AuthenticationFail.OIDCToken.Expired",
        "HTTP404",
        "InvalidSecurityToken.Expired",
    } <= (seen_codes)
    vias = {session.via for session in emulator.sts_sessions}
    assert vias == {"AssumeRole", "AssumeRoleWithOIDC", "EcsRamRole", "CredentialsURI"}
    for session in emulator.sts_sessions:
        key = emulator.keys.get(session.access_key_id)
        assert key is not None
        assert key.token is not None
        sink.extra += [key.secret, key.token]


def _cli_env(url: str, key_id: str, secret: str, token: str | None, tmp_path: Any) -> dict[str, str | None]:
    env: dict[str, str | None] = dict.fromkeys(ENVIRONMENT_VARIABLES)
    env.update(
        {
            "HOME": str(tmp_path),
            "ALIBABA_CLOUD_CDN_ENDPOINT": url,
            "ALIBABA_CLOUD_ACCESS_KEY_ID": key_id,
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": secret,
            "ALIBABA_CLOUD_SECURITY_TOKEN": token,
        }
    )
    return env


def test_cli_output_with_and_without_debug(sink, tmp_path):
    emulator = Emulator(
        access_keys={"testid": SECRET},
        complete_after_polls=2,
        fail_paths=r"/broken",
        qps_limits=False,
        seed=7,
    )
    emulator.add_sts_token("stsid", SECRET, TOKEN)
    fast = ["--poll-initial", "0.02", "--poll-max", "0.05", "--timeout", "20s"]
    commands = [
        ["tasks"],
        ["tasks", "--json"],
        ["quota"],
        ["refresh", f"{A}/c.txt", "--wait", *fast],
        ["refresh", f"{A}/broken.txt", "--wait", "--json", *fast],
        ["preload", f"{A}/p.txt"],
        ["wait", f"{A}/c.txt", *fast],
        ["tasks", "--start", "not-a-time"],
    ]
    codes = set()
    with emulator.serve() as server:
        for version in ("v3", "v1"):
            for key_id, secret, token in (
                ("testid", SECRET, None),
                ("stsid", SECRET, TOKEN),
                ("testid", SECRET + "x", None),
            ):
                env = _cli_env(server.url, key_id, secret, token, tmp_path)
                for command in commands:
                    for debug in ([], ["--debug"]):
                        args = [*command, *debug, "--signature-version", version]
                        result = CliRunner().invoke(cli, args, env=env)
                        codes.add(result.exit_code)
                        where = f"cli {' '.join(args)} [{key_id}]"
                        sink.add(f"{where} stdout", result.stdout)
                        sink.add(f"{where} stderr", result.stderr)
                        if result.exception is not None and not isinstance(result.exception, SystemExit):
                            sink.error(where, result.exception)
                        if not debug:
                            assert "Traceback" not in result.stdout + result.stderr, where
    assert {0, 1, 2, 4} <= codes


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def test_pulumi_provider_outputs_errors_and_stderr(sink, rig):
    for name, provider in (("wait", rig.wait_provider), ("cache", rig.cache_provider)):
        sink.add(f"__provider {name}", provider)
        sink.add(f"__provider {name} decoded", decoded_provider(provider))
    wait_urn, cache_urn = urn("RefreshWait", "wait"), urn("CacheRefresh", "refresh")
    since = "2000-01-01T00:00:00Z"
    cache_inputs, failures = rig.host.check(
        cache_urn, {}, {"__provider": rig.cache_provider, "objectPaths": [f"{A}/sweep.txt"], "wait": True}
    )
    assert failures == []
    id_, outs = rig.host.create(cache_urn, cache_inputs)
    sink.add("CacheRefresh outputs", outs)
    sink.add("CacheRefresh read", rig.host.read(cache_urn, id_, outs, cache_inputs))
    wait_inputs, _ = rig.host.check(
        wait_urn, {}, {"__provider": rig.wait_provider, "objectPaths": [f"{A}/sweep.txt"], "since": since}
    )
    id_, outs = rig.host.create(wait_urn, wait_inputs)
    sink.add("RefreshWait outputs", outs)
    broken, _ = rig.host.check(
        cache_urn,
        {},
        {"__provider": rig.cache_provider, "objectPaths": [f"{A}/broken.txt"], "wait": True},
    )
    with pytest.raises(Exception) as info:  # noqa: PT011 - the rig raises its RPC error type
        rig.host.create(cache_urn, broken)
    sink.error("CacheRefresh failed", info.value)
    assert "broken.txt" in str(info.value)
    assert rig.host.stderr_has("CacheRefresh")
    sink.add("provider stderr", "\n".join(rig.host.stderr_lines))
    logging.getLogger("alicloud_cdn_refresh").debug("pulumi sweep done")  # the fixture wants a record


def test_the_sweep_finds_what_it_looks_for():
    collector = Collector()
    collector.add("clean", "nothing here")
    assert collector.leaks() == []
    for leaked in (
        SECRET,
        TOKEN,
        percent_encode(SECRET),
        f"x={TOKEN.replace('/', '%2F')}".encode(),
        RIG_SECRET,
    ):
        collector = Collector()
        collector.add("leak", leaked)
        assert collector.leaks(), leaked
    for leaked in (OIDC_TOKEN, EXTERNAL_ID):
        collector = Collector()
        collector.add("leak", f"token={leaked}")
        assert collector.leaks(), leaked
    collector = Collector()
    collector.extra.append("minted/secret+1")
    collector.add("leak", b"SecurityToken=minted%2Fsecret%2B1")
    assert collector.leaks()
    collector = Collector()
    collector.error("chained", RuntimeError("outer").with_traceback(None))
    try:
        try:
            raise ValueError(SECRET)
        except ValueError as inner:
            raise RuntimeError("outer") from inner
    except RuntimeError as outer:
        collector.error("chained", outer)
    assert collector.leaks()
