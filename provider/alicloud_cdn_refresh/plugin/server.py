"""``pulumi-resource-alicloud-cdn-refresh``: the ResourceProvider gRPC service, as the engine starts it.

The engine runs the executable with its own address as the last argument (after optional
``--logtostderr``, ``-v=N``, ``--tracing URL``), reads the port from the first line of stdout and
calls the RPCs of ``pulumi/proto/pulumi/provider.proto``. This module translates them: property
structs to plain maps (``values.py``), the call to :class:`~.provider.Provider`, the result back,
and every failure to one clear message (``failures.py``).

It serves on ``grpc.aio``: Check, Diff, GetSchema and Cancel answer on the event loop at once, and
each call that may wait (Create, Update, Read, Invoke) runs on a thread of its own, so any number of
waits run together while other calls are answered. The SDK's own provider server
(``pulumi.provider.experimental``) is not used: it turns every error into its message plus a
traceback, gives its ``Provider`` methods no gRPC context to attach the partial state of a failed
create to, and sends DiffConfig's ``changes`` as a bool where the protocol wants its enum.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from alicloud_cdn_refresh.pulumi.diffs import DiffOutcome
from alicloud_cdn_refresh.pulumi.operations import Behaviour

from .configuration import from_variables
from .engine import EngineLog
from .failures import answer
from .provider import Provider, UnknownToken, behaviour_of
from .schema import plugin_version, schema_text
from .values import Decoded, decode, encode

__all__ = ["Servicer", "main", "serve"]

_T = TypeVar("_T")

_GRPC_OPTIONS: Final = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]
"""As the Pulumi SDK's own servers: large property maps (many paths) fit in one message."""


def _settle(future: asyncio.Future[_T], result: _T | None, error: BaseException | None) -> None:
    if future.done():  # the RPC was cancelled meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]


async def in_thread(work: Callable[[], _T], on_cancel: Callable[[], object] | None = None) -> _T:
    """Run blocking ``work`` on a new thread (none is capped); ``on_cancel`` runs when the engine
    cancels the RPC while it waits."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(_settle, future, None, error)
        else:
            loop.call_soon_threadsafe(_settle, future, result, None)

    threading.Thread(target=run, name="alicloud-cdn-refresh-operation", daemon=True).start()
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        if on_cancel is not None:
            on_cancel()
        raise


def _type_of(request: Any) -> str:
    """The resource's type token: the request's ``type``, else the last part of its URN's type."""
    given = getattr(request, "type", "")
    if given:
        return str(given)
    parts = str(request.urn).split("::")
    return parts[2].split("$")[-1] if len(parts) > 3 else ""


_REPLACE: Final = provider_pb2.PropertyDiff.UPDATE_REPLACE
_UPDATE: Final = provider_pb2.PropertyDiff.UPDATE


def _diff_response(outcome: DiffOutcome) -> provider_pb2.DiffResponse:
    changed = [*outcome.replaces, *outcome.updates]
    detailed = {
        key: provider_pb2.PropertyDiff(kind=_REPLACE if key in outcome.replaces else _UPDATE, inputDiff=True)
        for key in changed
    }
    some, none = provider_pb2.DiffResponse.DIFF_SOME, provider_pb2.DiffResponse.DIFF_NONE
    return provider_pb2.DiffResponse(
        changes=some if outcome.changes else none,
        replaces=list(outcome.replaces),
        diffs=changed,
        detailedDiff=detailed,
        hasDetailedDiff=True,
        deleteBeforeReplace=outcome.delete_before_replace,
    )


def _check_response(
    inputs: dict[str, Any], failures: Sequence[Any], secrets: Iterable[str]
) -> provider_pb2.CheckResponse:
    return provider_pb2.CheckResponse(
        inputs=encode(inputs, secrets),
        failures=[provider_pb2.CheckFailure(property=f.property, reason=f.reason) for f in failures],
    )


def _behaviour(type_token: str) -> Behaviour | None:
    try:
        return behaviour_of(type_token)
    except UnknownToken:
        return None  # answer() reports it when the call asks for it


class Servicer(provider_pb2_grpc.ResourceProviderServicer):
    """The RPCs of one plugin process (one provider instance: the engine starts one per provider)."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    # ---------------------------------------------------------------- plugin and package

    async def Handshake(self, request: Any, context: Any) -> provider_pb2.ProviderHandshakeResponse:
        return provider_pb2.ProviderHandshakeResponse(accept_secrets=True, accept_resources=False)

    async def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=plugin_version())

    async def GetSchema(self, request: Any, context: Any) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=schema_text())

    async def Cancel(self, request: Any, context: Any) -> empty_pb2.Empty:
        self.provider.cancel()
        return empty_pb2.Empty()

    # ---------------------------------------------------------------- configuration

    async def CheckConfig(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        news = decode(request.news)
        inputs, failures = self.provider.check_config(news.values)
        return _check_response(inputs, failures, news.secrets)

    async def DiffConfig(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        changed = self.provider.diff_config(decode(request.olds).values, decode(request.news).values)
        return _diff_response(DiffOutcome(changes=bool(changed), replaces=[], updates=changed))

    async def Configure(self, request: Any, context: Any) -> provider_pb2.ConfigureResponse:
        values = decode(request.args).values if request.args.fields else from_variables(request.variables)
        self.provider.configure(values)
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=True, acceptResources=False)

    # ---------------------------------------------------------------- resources

    async def Check(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        kind = _type_of(request)
        news = decode(request.news)

        async def work() -> provider_pb2.CheckResponse:
            outcome = self.provider.check(kind, news.values)
            return _check_response(outcome.inputs, outcome.failures, news.secrets)

        return await answer(context, f"{kind} check", work)

    async def Diff(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        kind = _type_of(request)

        async def work() -> provider_pb2.DiffResponse:
            return _diff_response(
                self.provider.diff(kind, decode(request.olds).values, decode(request.news).values)
            )

        return await answer(context, f"{kind} diff", work)

    @staticmethod
    def _secrets(behaviour: Behaviour | None, *maps: Decoded) -> set[str]:
        """Keys to keep secret in an answer: the secret ones given, and the outputs repeating them."""
        secret: set[str] = set().union(*(decoded.secrets for decoded in maps))
        if behaviour is None:
            return secret
        return secret | set(behaviour.secret_outputs(sorted(secret)))

    async def Create(self, request: Any, context: Any) -> provider_pb2.CreateResponse:
        kind, props = _type_of(request), decode(request.properties)
        behaviour = _behaviour(kind)
        secrets = self._secrets(behaviour, props)

        async def work() -> provider_pb2.CreateResponse:
            cancel = threading.Event()
            created = await in_thread(
                lambda: self.provider.create(
                    kind,
                    request.urn,
                    props.values,
                    timeout=request.timeout,
                    preview=request.preview,
                    cancel=cancel,
                ),
                cancel.set,
            )
            return provider_pb2.CreateResponse(id=created.id, properties=encode(created.outs, secrets))

        return await answer(
            context, f"{kind} create", work, behaviour=behaviour, operation="create", secrets=secrets
        )

    async def Update(self, request: Any, context: Any) -> provider_pb2.UpdateResponse:
        kind, olds, news = _type_of(request), decode(request.olds), decode(request.news)
        behaviour = _behaviour(kind)
        secrets = self._secrets(behaviour, olds, news)

        async def work() -> provider_pb2.UpdateResponse:
            cancel = threading.Event()
            outs = await in_thread(
                lambda: self.provider.update(
                    kind,
                    request.urn,
                    request.id,
                    olds.values,
                    news.values,
                    timeout=request.timeout,
                    preview=request.preview,
                    cancel=cancel,
                ),
                cancel.set,
            )
            return provider_pb2.UpdateResponse(properties=encode(outs, secrets))

        return await answer(
            context, f"{kind} update", work, behaviour=behaviour, operation="update", secrets=secrets
        )

    async def Read(self, request: Any, context: Any) -> provider_pb2.ReadResponse:
        kind, props, inputs = _type_of(request), decode(request.properties), decode(request.inputs)
        behaviour = _behaviour(kind)
        secrets = self._secrets(behaviour, props, inputs)

        async def work() -> provider_pb2.ReadResponse:
            outcome = await in_thread(lambda: self.provider.read(kind, request.urn, request.id, props.values))
            return provider_pb2.ReadResponse(
                id=outcome.id,
                properties=encode(outcome.outs, secrets),
                inputs=encode(outcome.inputs, secrets),
            )

        return await answer(context, f"{kind} read", work, behaviour=behaviour, operation="read")

    async def Delete(self, request: Any, context: Any) -> empty_pb2.Empty:
        kind = _type_of(request)

        async def work() -> empty_pb2.Empty:
            self.provider.delete(kind, request.id, decode(request.properties).values)
            return empty_pb2.Empty()

        return await answer(context, f"{kind} delete", work)

    # ---------------------------------------------------------------- the data source

    async def Invoke(self, request: Any, context: Any) -> provider_pb2.InvokeResponse:
        args = decode(request.args)

        async def work() -> provider_pb2.InvokeResponse:
            result, failures = await in_thread(lambda: self.provider.invoke(request.tok, args.values))
            response = provider_pb2.InvokeResponse(
                failures=[provider_pb2.CheckFailure(property=f.property, reason=f.reason) for f in failures]
            )
            if result is not None:
                secrets = set(result) if args.secrets else set()  # secret arguments keep the result secret
                getattr(response, "return").CopyFrom(encode(result, secrets))
            return response

        return await answer(context, "getRefreshTasks", work)


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="pulumi-resource-alicloud-cdn-refresh",
        description="The alicloud-cdn-refresh Pulumi provider plugin (started by the Pulumi engine).",
    )
    parser.add_argument("engine", nargs="?", help="the engine's gRPC address (the engine passes it)")
    parser.add_argument("--logtostderr", action="store_true", help="accepted, as the engine may pass it")
    parser.add_argument("-v", type=int, default=0, help="accepted, as the engine may pass it")
    parser.add_argument("--tracing", default=None, help="accepted, as the engine may pass it")
    parser.add_argument("--logflow", action="store_true", help="accepted, as the engine may pass it")
    return parser.parse_known_args(list(argv))[0]


async def serve(engine_address: str | None, *, ready: Callable[[int], None] | None = None) -> None:
    """Serve on a free loopback port until the process ends; ``ready`` gets the port."""
    log = EngineLog(engine_address)
    server = grpc.aio.server(options=_GRPC_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(Servicer(Provider(log)), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    (ready or _print_port)(port)
    try:
        await server.wait_for_termination()
    finally:
        log.close()


def _print_port(port: int) -> None:
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: serve for the engine whose address is the argument."""
    arguments = _arguments(sys.argv[1:] if argv is None else argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(arguments.engine))
