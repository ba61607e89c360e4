"""How RPC failures leave the host: the plain message for HostError, a short INTERNAL error otherwise."""

from __future__ import annotations

from typing import NoReturn

import grpc
import pytest

from lm_langhost.errors import HostError, streaming, unary


class Aborted(Exception):
    pass


class FakeContext:
    """Records what ``abort`` was called with (grpcio's raises, too)."""

    code: grpc.StatusCode
    details: str

    def abort(self, code: grpc.StatusCode, details: str) -> NoReturn:
        self.code, self.details = code, details
        raise Aborted


class Service:
    @unary
    def Refuse(self, request: str, context: grpc.ServicerContext) -> str:
        raise HostError(f"bad {request}")

    @unary
    def Crash(self, request: str, context: grpc.ServicerContext) -> str:
        raise KeyError(request)

    @streaming
    def Stream(self, request: str, context: grpc.ServicerContext):  # type: ignore[no-untyped-def]
        yield "first"
        raise HostError("stopped half way")


def test_a_host_error_is_the_message_alone() -> None:
    context = FakeContext()
    with pytest.raises(Aborted):
        Service().Refuse("input", context)  # type: ignore[arg-type]
    assert (context.code, context.details) == (grpc.StatusCode.UNKNOWN, "bad input")


def test_an_unexpected_exception_is_internal_and_names_the_rpc() -> None:
    context = FakeContext()
    with pytest.raises(Aborted):
        Service().Crash("k", context)  # type: ignore[arg-type]
    assert context.code == grpc.StatusCode.INTERNAL
    assert context.details == "the Python language host failed in Crash: KeyError: 'k' (details in its log file)"


def test_a_stream_fails_after_what_it_sent() -> None:
    context = FakeContext()
    stream = Service().Stream("x", context)  # type: ignore[arg-type]
    assert next(stream) == "first"
    with pytest.raises(Aborted):
        next(stream)
    assert context.details == "stopped half way"
