"""How failures leave the host: one plain message per gRPC error, details only in the log file.

grpcio answers an exception escaping a handler with "Exception calling application: ...", so every
RPC goes through :func:`unary` or :func:`streaming`, which abort the call with the message alone.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from typing import NoReturn, TypeVar

import grpc

log = logging.getLogger(__name__)

S = TypeVar("S")
Req = TypeVar("Req")
Resp = TypeVar("Resp")


class HostError(Exception):
    """A failure the user can act on: its message is shown as it is (it names the input and the fix)."""


def _abort(context: grpc.ServicerContext, name: str, exc: Exception) -> NoReturn:
    if isinstance(exc, HostError):
        log.info("%s failed: %s", name, exc)
        context.abort(grpc.StatusCode.UNKNOWN, str(exc))
    log.exception("%s failed unexpectedly", name)
    context.abort(grpc.StatusCode.INTERNAL,
                  f"the Python language host failed in {name}: {type(exc).__name__}: {exc} (details in its log file)")


def unary(method: Callable[[S, Req, grpc.ServicerContext], Resp]) -> Callable[[S, Req, grpc.ServicerContext], Resp]:
    """Wrap a unary RPC handler so that its exceptions become plain gRPC errors."""

    @functools.wraps(method)
    def handler(self: S, request: Req, context: grpc.ServicerContext) -> Resp:
        log.debug("%s called", method.__name__)
        try:
            return method(self, request, context)
        except Exception as exc:
            _abort(context, method.__name__, exc)

    return handler


def streaming(method: Callable[[S, Req, grpc.ServicerContext], Iterator[Resp]],
              ) -> Callable[[S, Req, grpc.ServicerContext], Iterator[Resp]]:
    """Wrap a server-streaming RPC handler so that its exceptions become plain gRPC errors."""

    @functools.wraps(method)
    def handler(self: S, request: Req, context: grpc.ServicerContext) -> Iterator[Resp]:
        log.debug("%s called", method.__name__)
        try:
            yield from method(self, request, context)
        except Exception as exc:
            _abort(context, method.__name__, exc)

    return handler
