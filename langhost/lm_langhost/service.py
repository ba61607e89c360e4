"""The ``LanguageRuntime`` gRPC service: what the Pulumi CLI asks a Python language host."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format

from lm_langhost import __version__
from lm_langhost.children import Cancelled, ChildFailed, Children
from lm_langhost.engine_log import EngineLog
from lm_langhost.errors import HostError, streaming, unary
from lm_langhost.installer import Step, install_steps
from lm_langhost.interpreter import Interpreter, is_virtualenv
from lm_langhost.options import parse_options
from lm_langhost.packages import required_packages
from lm_langhost.probe import inspect
from lm_langhost.proto import language_pb2, language_pb2_grpc, plugin_pb2
from lm_langhost.runner import run_program

log = logging.getLogger(__name__)

Prompt = language_pb2.RuntimeOptionPrompt


def _choice(value: str) -> language_pb2.RuntimeOptionPrompt.RuntimeOptionValue:
    return Prompt.RuntimeOptionValue(promptType=Prompt.STRING, stringValue=value, displayName=value)


def runtime_option_prompts(options: Mapping[str, Any], environ: Mapping[str, str]) -> list[Prompt]:
    """What ``pulumi new`` must ask (its defaults answer ``--yes``): the toolchain, then pip's virtualenv."""
    if "toolchain" not in options:
        choices = [_choice("pip")] + ([_choice("uv")] if shutil.which("uv", path=environ.get("PATH")) else [])
        return [Prompt(key="toolchain", description="The toolchain to use for installing dependencies and running "
                       "the program", promptType=Prompt.STRING, choices=choices, default=choices[0])]
    if options["toolchain"] == "pip" and "virtualenv" not in options:
        return [Prompt(key="virtualenv", description="The virtualenv to use", promptType=Prompt.STRING,
                       choices=[_choice("venv")], default=_choice("venv"))]
    return []


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    """Serves one CLI process: runs programs and manages their interpreters' environments."""

    def __init__(self, engine_address: str, children: Children, environ: Mapping[str, str]) -> None:
        self.engine_address = engine_address
        self.children = children
        self.environ = dict(environ)
        self.cancel = threading.Event()

    def _interpreter(self, info: language_pb2.ProgramInfo, is_plugin: bool = False) -> Interpreter:
        options = parse_options(info.root_directory, info.program_directory, info.entry_point,
                                json_format.MessageToDict(info.options), is_plugin)
        return Interpreter(options, self.environ)

    def _engine(self) -> str:
        if not self.engine_address:
            raise HostError("the engine's address is unknown: the CLI passes it on the command line or in Handshake")
        return self.engine_address

    @unary
    def Handshake(self, request: language_pb2.LanguageHandshakeRequest,
                  context: grpc.ServicerContext) -> language_pb2.LanguageHandshakeResponse:
        """Learn the engine's address (when the CLI attaches to a running host)."""
        self.engine_address = request.engine_address
        return language_pb2.LanguageHandshakeResponse()

    @unary
    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:
        """This host's version."""
        return plugin_pb2.PluginInfo(version=__version__)

    @unary
    def GetRequiredPackages(self, request: language_pb2.GetRequiredPackagesRequest,
                            context: grpc.ServicerContext) -> language_pb2.GetRequiredPackagesResponse:
        """The resource plugins of the Pulumi packages installed for the program (creating a missing virtualenv)."""
        interpreter = self._interpreter(request.info)
        venv = interpreter.options.venv_path
        if venv is not None and not is_virtualenv(venv):
            self._install_with_engine_log(interpreter, context)
        installed = inspect(interpreter, self.children, "packages", self._cancelled(context))
        return language_pb2.GetRequiredPackagesResponse(packages=required_packages(installed))

    @unary
    def Run(self, request: language_pb2.RunRequest, context: grpc.ServicerContext) -> language_pb2.RunResponse:
        """Run the program in the project's interpreter until it ends or the engine cancels."""
        if request.attach_debugger:
            return language_pb2.RunResponse(error="this Python language host cannot attach a debugger")
        return run_program(request, self._interpreter(request.info), self._engine(), self.children,
                           self._cancelled(context))

    @streaming
    def InstallDependencies(self, request: language_pb2.InstallDependenciesRequest,
                            context: grpc.ServicerContext) -> Iterator[language_pb2.InstallDependenciesResponse]:
        """Create the virtualenv and install the requirements, streaming the tools' output."""
        interpreter = self._interpreter(request.info, request.is_plugin)
        steps = install_steps(interpreter)
        yield language_pb2.InstallDependenciesResponse(stdout=b"Installing dependencies...\n\n")
        for step in steps:
            yield language_pb2.InstallDependenciesResponse(stdout=f"{step.title}\n".encode())
            for name, chunk in self._step(step, context):
                yield language_pb2.InstallDependenciesResponse(**{name: chunk})
        yield language_pb2.InstallDependenciesResponse(stdout=b"Finished installing dependencies\n\n")

    @unary
    def RuntimeOptionsPrompts(self, request: language_pb2.RuntimeOptionsRequest,
                              context: grpc.ServicerContext) -> language_pb2.RuntimeOptionsResponse:
        """The runtime options ``pulumi new`` should ask for."""
        options = json_format.MessageToDict(request.info.options)
        return language_pb2.RuntimeOptionsResponse(prompts=runtime_option_prompts(options, self.environ))

    @unary
    def Template(self, request: language_pb2.TemplateRequest,
                 context: grpc.ServicerContext) -> language_pb2.TemplateResponse:
        """Prepare a new project from a template: requirements.txt needs nothing, only the options are checked."""
        self._interpreter(request.info)
        return language_pb2.TemplateResponse()

    @unary
    def About(self, request: language_pb2.AboutRequest, context: grpc.ServicerContext) -> language_pb2.AboutResponse:
        """The program's interpreter and toolchain (``pulumi about``; the CLI also records it with updates)."""
        info = request.info if request.HasField("info") else language_pb2.ProgramInfo(root_directory=os.getcwd())
        interpreter = self._interpreter(info)
        about = inspect(interpreter, self.children, "about", self._cancelled(context))
        toolchain = interpreter.options.toolchain
        version = about["pip"] if toolchain == "pip" else self._uv_version(interpreter, context)
        return language_pb2.AboutResponse(
            executable=about["executable"], version=about["version"],
            metadata={"toolchain": toolchain, "toolchainVersion": version,
                      "typechecker": interpreter.options.typechecker or "None"})

    def _uv_version(self, interpreter: Interpreter, context: grpc.ServicerContext) -> str:
        uv = shutil.which("uv", path=interpreter.environ.get("PATH"))
        if uv is None:
            return ""
        try:
            output = self.children.capture([uv, "--version"], str(interpreter.options.root), interpreter.env(),
                                           self._cancelled(context))
        except (ChildFailed, OSError):
            return ""
        words = output.decode(errors="replace").split()  # "uv 0.9.1 (hash date)"
        return words[1] if len(words) > 1 else ""

    @unary
    def GetProgramDependencies(self, request: language_pb2.GetProgramDependenciesRequest,
                               context: grpc.ServicerContext) -> language_pb2.GetProgramDependenciesResponse:
        """The distributions installed for the program (only those nothing else requires, unless transitive)."""
        installed = inspect(self._interpreter(request.info), self.children, "packages", self._cancelled(context))
        return language_pb2.GetProgramDependenciesResponse(dependencies=[
            language_pb2.DependencyInfo(name=package["name"], version=package["version"])
            for package in installed if request.transitiveDependencies or package["top_level"]])

    @unary
    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:
        """Interrupt the running program and installations: the engine is shutting this host down."""
        log.info("cancel requested")
        self.cancel.set()
        return empty_pb2.Empty()

    def _cancelled(self, context: grpc.ServicerContext) -> Cancelled:
        return lambda: self.cancel.is_set() or not context.is_active()

    def _step(self, step: Step, context: grpc.ServicerContext) -> Iterator[tuple[str, bytes]]:
        try:
            yield from self.children.stream(step.argv, step.cwd, step.env, self._cancelled(context))
        except ChildFailed as exc:
            raise HostError(f"{step.title.rstrip('.')} failed: `{' '.join(step.argv)}` exited with code "
                            f"{exc.returncode}") from exc
        except OSError as exc:
            raise HostError(f"{step.title.rstrip('.')} failed: could not run {step.argv[0]}: {exc.strerror}") from exc

    def _install_with_engine_log(self, interpreter: Interpreter, context: grpc.ServicerContext) -> None:
        engine = EngineLog(self._engine())
        try:
            for step in install_steps(interpreter):
                engine.write(step.title)
                for name, chunk in self._step(step, context):
                    engine.write(chunk.decode(errors="replace"), error=name == "stderr")
        finally:
            engine.close()
