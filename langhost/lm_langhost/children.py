"""The processes the host starts (programs, pip, probes), so that none outlives a cancel or a shutdown.

Children stay in the host's process group: the engine ends a plugin by signalling its whole group
(SIGINT, then SIGKILL after 5 s), which then reaches them too. The host interrupts a single child
itself on ``Cancel`` and when it shuts down.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0
"""How long an interrupted child may take to exit before it is killed (the engine allows the host 5 s)."""

POLL_SECONDS = 0.05

Cancelled = Callable[[], bool]
"""Asked while a child runs: once it returns True, the child is interrupted."""


class ChildFailed(Exception):
    """A child exited with a non-zero code (``returncode``; negative: killed by that signal)."""

    def __init__(self, argv: Sequence[str], returncode: int, output: bytes = b"") -> None:
        super().__init__(f"{' '.join(argv)} exited with code {returncode}")
        self.returncode = returncode
        self.output = output
        """What it wrote to its captured stdout."""


@dataclass(frozen=True)
class Streams:
    """Where children write: the host's original stdout and stderr (the engine shows both)."""

    stdout: int
    stderr: int


class Children:
    """Starts children, waits for them (interrupting them when cancelled), and stops them all at shutdown."""

    def __init__(self, streams: Streams) -> None:
        self.streams = streams
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def _start(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], stdin: int, stdout: int,
               stderr: int) -> subprocess.Popen[bytes]:
        with self._lock:  # so that stop_all sees every child started before it
            if self.stopping.is_set():
                raise ChildFailed(argv, -signal.SIGINT)
            log.debug("starting %s in %s", argv, cwd)
            child = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdin=stdin, stdout=stdout, stderr=stderr)
            self._live.add(child)
        return child

    def _reap(self, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.discard(child)

    def wait(self, child: subprocess.Popen[bytes], cancelled: Cancelled) -> int:
        """Wait for ``child``; once ``cancelled()`` or at shutdown, interrupt it (SIGINT, SIGKILL after the grace)."""
        try:
            while True:
                try:
                    return child.wait(timeout=POLL_SECONDS)
                except subprocess.TimeoutExpired:
                    if cancelled() or self.stopping.is_set():
                        return self.interrupt(child)
        finally:
            self._reap(child)

    @staticmethod
    def interrupt(child: subprocess.Popen[bytes]) -> int:
        """SIGINT ``child``, SIGKILL it if it has not exited after the grace; its exit code."""
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                return child.wait(timeout=GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                log.warning("pid %d ignored SIGINT for %.0f s: killing it", child.pid, GRACE_SECONDS)
                child.kill()
        return child.wait()

    def run(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cancelled: Cancelled,
            stdin: bytes = b"") -> int:
        """Run ``argv`` with its output going to the engine; ``stdin`` is written to it, then closed."""
        child = self._start(argv, cwd, env, stdin=subprocess.PIPE, stdout=self.streams.stdout,
                            stderr=self.streams.stderr)
        assert child.stdin is not None
        try:
            child.stdin.write(stdin)
            child.stdin.close()
        except BrokenPipeError:
            log.info("pid %d exited before reading its input", child.pid)
        return self.wait(child, cancelled)

    def capture(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cancelled: Cancelled,
                stderr: int | None = None) -> bytes:
        """Run ``argv`` and return its stdout; its stderr goes to the engine (or to ``stderr``, e.g.
        ``subprocess.STDOUT``). Raises ChildFailed."""
        child = self._start(argv, cwd, env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=self.streams.stderr if stderr is None else stderr)
        assert child.stdout is not None
        with child.stdout:
            output = child.stdout.read()
        code = self.wait(child, cancelled)
        if code != 0:
            raise ChildFailed(argv, code, output)
        return output

    def stream(self, argv: Sequence[str], cwd: str, env: Mapping[str, str],
               cancelled: Cancelled) -> Iterator[tuple[str, bytes]]:
        """Run ``argv`` and yield ``("stdout"|"stderr", chunk)`` as it writes. Raises ChildFailed at the end."""
        child = self._start(argv, cwd, env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
        chunks: queue.Queue[tuple[str, bytes]] = queue.Queue()
        assert child.stdout is not None and child.stderr is not None
        readers = [threading.Thread(target=_pump, args=(name, pipe, chunks), daemon=True)
                   for name, pipe in (("stdout", child.stdout), ("stderr", child.stderr))]
        for reader in readers:
            reader.start()
        open_pipes = len(readers)
        try:
            while open_pipes:
                try:
                    name, chunk = chunks.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    if cancelled() or self.stopping.is_set():
                        self.interrupt(child)
                    continue
                if chunk:
                    yield name, chunk
                else:
                    open_pipes -= 1
            code = self.wait(child, cancelled)
        finally:
            if child.poll() is None:  # the consumer went away (the call was cancelled)
                self.interrupt(child)
            self._reap(child)
        if code != 0:
            raise ChildFailed(argv, code)

    def stop_all(self) -> None:
        """Interrupt every live child (in parallel) and wait until all are gone; no new child starts after this."""
        with self._lock:
            self.stopping.set()
            live = list(self._live)
        stoppers = [threading.Thread(target=self.interrupt, args=(child,)) for child in live]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()


def _pump(name: str, pipe: IO[bytes], chunks: queue.Queue[tuple[str, bytes]]) -> None:
    """Forward what ``pipe`` delivers as it comes; an empty chunk marks its end."""
    with pipe:
        while True:
            chunk = os.read(pipe.fileno(), 65536)
            chunks.put((name, chunk))
            if not chunk:
                return
