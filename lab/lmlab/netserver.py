"""One accept loop for every listening socket of the lab, one thread per connection.

A 64-host site has 128 WinRM listeners; one selector thread accepting on all of them (instead
of a server thread each) keeps start-up fast and idle CPU at zero. Connections get TCP_NODELAY:
without it every WinRM round trip stalls ~40 ms on Nagle's algorithm and delayed ACKs.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from collections.abc import Callable

ConnectionHandler = Callable[[socket.socket, tuple[str, int]], None]


class Acceptor:
    """Accepts on many loopback ports; hands each connection to its handler in a new thread."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._listeners: list[socket.socket] = []
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def listen(self, port: int, handler: ConnectionHandler, address: str = "127.0.0.1") -> int:
        """Bind ``address:port`` (0 = any free port) and return the bound port."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address, port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.setblocking(False)
        self._listeners.append(sock)
        self._selector.register(sock, selectors.EVENT_READ, handler)
        bound: int = sock.getsockname()[1]
        return bound

    def start(self) -> None:
        """Start the accept loop in a daemon thread."""
        self._thread = threading.Thread(target=self._loop, name="lmlab-acceptor", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stopping:
            for key, _ in self._selector.select():
                if key.data is None:
                    return
                try:
                    conn, peer = key.fileobj.accept()  # type: ignore[union-attr]
                except BlockingIOError:
                    continue
                conn.setblocking(True)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with self._lock:
                    self._connections.add(conn)
                threading.Thread(target=self._serve, args=(key.data, conn, peer), daemon=True).start()

    def _serve(self, handler: ConnectionHandler, conn: socket.socket, peer: tuple[str, int]) -> None:
        try:
            handler(conn, peer)
        except (OSError, ValueError):
            pass  # the client went away or the lab is stopping; nothing to answer
        finally:
            with self._lock:
                self._connections.discard(conn)
            conn.close()

    def stop(self) -> None:
        """Stop accepting and cut every open connection (their threads then end)."""
        self._stopping = True
        self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join()
        for sock in self._listeners:
            self._selector.unregister(sock)
            sock.close()
        with self._lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()
