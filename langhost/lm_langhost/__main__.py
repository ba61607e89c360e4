"""``pulumi-language-python [--logtostderr] [-v=N] [--tracing URL] [ENGINE_ADDRESS]``: serve until told to stop.

Prints the gRPC port as the first stdout line; after that the host itself never writes to stdout or
stderr (the CLI shows every line there to the user): its own file descriptors 1 and 2 point at the
log file, and the programs it runs get the original ones. SIGINT/SIGTERM (the engine stopping the
plugin), or the CLI going away, interrupt the children and end the host.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from types import FrameType

ORIGINAL_ENV = dict(os.environ)
os.environ.setdefault("GRPC_VERBOSITY", "NONE")  # before grpc loads: gRPC core must not write to stderr

import grpc

from lm_langhost import __version__
from lm_langhost.children import Children, Streams
from lm_langhost.logfile import log_path, start_logging
from lm_langhost.proto import language_pb2_grpc
from lm_langhost.service import LanguageHost

log = logging.getLogger("lm_langhost")

PARENT_POLL_SECONDS = 1.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The flags the Pulumi CLI passes to language plugins (``--logtostderr`` is accepted and ignored)."""
    parser = argparse.ArgumentParser(prog="pulumi-language-python", description=__doc__.splitlines()[0])
    parser.add_argument("--logtostderr", action="store_true", help="ignored: the host logs to its log file only")
    parser.add_argument("-v", type=int, default=0, help="log verbosity (5 and up: debug)")
    parser.add_argument("--tracing", help="ignored: no tracing")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("engine_address", nargs="?", default="", help="the engine's gRPC address")
    return parser.parse_args(argv)


def redirect_own_stdio() -> None:
    """Point the host's own stdout and stderr at the log file (the children keep the originals)."""
    log_fd = os.open(log_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for fd in (1, 2):
        os.dup2(log_fd, fd)
    os.close(log_fd)


def watch_parent(stop: threading.Event) -> None:
    """Set ``stop`` when the CLI that started the host is gone (the host would be orphaned)."""
    parent = os.getppid()
    while not stop.wait(PARENT_POLL_SECONDS):
        if os.getppid() != parent:
            log.warning("the CLI (pid %d) is gone: stopping", parent)
            stop.set()


def main(argv: list[str] | None = None) -> int:
    """Serve the language runtime until SIGINT/SIGTERM or the parent's exit; 0 on a clean stop."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    start_logging(debug=args.v >= 5)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("received %s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    streams = Streams(stdout=os.dup(1), stderr=os.dup(2))
    children = Children(streams)
    host = LanguageHost(args.engine_address, children, ORIGINAL_ENV)
    server = grpc.server(ThreadPoolExecutor(max_workers=16, thread_name_prefix="rpc"),
                         options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(host, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    redirect_own_stdio()
    log.info("v%s serving on port %d for engine %s (pid %d)", __version__, port, args.engine_address or "-",
             os.getpid())
    threading.Thread(target=watch_parent, args=(stop,), daemon=True, name="parent").start()
    stop.wait()
    host.cancel.set()
    children.stop_all()
    server.stop(grace=1).wait()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
