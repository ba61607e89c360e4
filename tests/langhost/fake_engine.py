"""A stand-in for the engine and resource monitor that a program talks to: enough to run a program
through the host without the CLI, recording what the program logged and registered."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import resource_pb2, resource_pb2_grpc

from lm_langhost.proto import engine_pb2, engine_pb2_grpc


@dataclass
class Recorded:
    """What the program did: log messages (severity, text) and registered resource types."""

    logs: list[tuple[int, str]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    outputs: dict[str, object] = field(default_factory=dict)

    def errors(self) -> list[str]:
        """The error messages."""
        return [text for severity, text in self.logs if severity == engine_pb2.ERROR]


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self, recorded: Recorded) -> None:
        self.recorded = recorded
        self.root = ""

    def Log(self, request: engine_pb2.LogRequest, context: grpc.ServicerContext) -> empty_pb2.Empty:
        self.recorded.logs.append((request.severity, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request: engine_pb2.GetRootResourceRequest,
                        context: grpc.ServicerContext) -> engine_pb2.GetRootResourceResponse:
        return engine_pb2.GetRootResourceResponse(urn=self.root)

    def SetRootResource(self, request: engine_pb2.SetRootResourceRequest,
                        context: grpc.ServicerContext) -> engine_pb2.SetRootResourceResponse:
        self.root = request.urn
        return engine_pb2.SetRootResourceResponse()


class _Monitor(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, recorded: Recorded) -> None:
        self.recorded = recorded

    def GetDeploymentInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> resource_pb2.DeploymentInfo:
        return resource_pb2.DeploymentInfo()

    def RegisterResource(self, request: resource_pb2.RegisterResourceRequest,
                         context: grpc.ServicerContext) -> resource_pb2.RegisterResourceResponse:
        self.recorded.types.append(request.type)
        return resource_pb2.RegisterResourceResponse(urn=f"urn:pulumi:s::p::{request.type}::{request.name}")

    def RegisterResourceOutputs(self, request: resource_pb2.RegisterResourceOutputsRequest,
                                context: grpc.ServicerContext) -> empty_pb2.Empty:
        self.recorded.outputs.update({k: v for k, v in request.outputs.items()})
        return empty_pb2.Empty()


@contextmanager
def fake_engine() -> Iterator[tuple[str, Recorded]]:
    """Serve a fake engine and monitor on one port: its address and the record."""
    recorded = Recorded()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    engine_pb2_grpc.add_EngineServicer_to_server(_Engine(recorded), server)
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_Monitor(recorded), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", recorded
    finally:
        server.stop(grace=None)
