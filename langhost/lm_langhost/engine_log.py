"""Messages to the engine's log (what ``pulumi`` shows while it works), e.g. the output of a venv creation."""

from __future__ import annotations

import random

import grpc

from lm_langhost.proto import engine_pb2, engine_pb2_grpc


class EngineLog:
    """Ephemeral messages on one stream of the engine's diagnostics (shown during the operation only)."""

    def __init__(self, address: str) -> None:
        self._channel = grpc.insecure_channel(address)
        self._engine = engine_pb2_grpc.EngineStub(self._channel)
        self._stream = random.randint(1, 2**31 - 1)

    def write(self, text: str, error: bool = False) -> None:
        """Show ``text`` (info, or error when ``error``)."""
        severity = engine_pb2.ERROR if error else engine_pb2.INFO
        self._engine.Log(engine_pb2.LogRequest(severity=severity, message=text, ephemeral=True, streamId=self._stream))

    def close(self) -> None:
        """Close the connection."""
        self._channel.close()
