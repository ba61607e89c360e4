"""SSH to Cisco IOS / IOS-XE switches with netmiko: one CLI session per switch, reused, serialized.

- Host keys are verified (a known_hosts file or a pinned key) unless the configuration turns it off;
  an unknown or different key refuses the connection before the password is sent.
- Logins that fail for a network reason (refused, time-out, closed during the handshake) are
  retried with backoff, a bounded number of times; a refused login, a host-key mismatch or a
  refused enable secret is not retried.
- A session that breaks during a command (the switch closed it) is noticed at once, and the command
  is retried once on a fresh session: every command sent here is idempotent (``show``, the same
  configuration line again, ``write memory``) except ``reload``, which is never retried.
- ``configure`` sends lines with an error pattern, so IOS's ``% Invalid input`` (netmiko does not
  flag it by itself) raises RemoteCommandError naming the line.
- ``reload`` answers both dialogs (saving the running configuration, so the switch comes back
  running what it runs now), waits until the switch closes the session, closes the dead socket
  (netmiko's disconnect would try to log out of it for seconds), then logs in again with backoff
  until ``reload_timeout``.
- netmiko and paramiko errors end here, mapped to :mod:`lm_provider.errors`; no message carries
  the password or the enable secret.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import paramiko
from netmiko.cisco.cisco_ios import CiscoIosSSH
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
    ReadTimeout,
    WriteException,
)
from paramiko.hostkeys import HostKeyEntry
from paramiko.ssh_exception import NoValidConnectionsError

from ..errors import ConfigurationError, RemoteCommandError, TransientError, TransportError
from ..models.switch_settings import SwitchSettings

T = TypeVar("T")
logging.getLogger("paramiko").addHandler(logging.NullHandler())
"""paramiko logs each failed handshake (a rebooting switch resets a few) with a traceback; without a
handler of the program's own that would reach stderr. The errors are mapped here instead."""
ERROR_PATTERN = r"^%\s*(?:Invalid input|Incomplete command|Ambiguous command|Unknown command|Bad |Error|Invalid).*$"
"""IOS's answers to a command it refused (syslog lines look like ``%LINK-3-UPDOWN:`` and do not match)."""
_ERROR = re.compile(ERROR_PATTERN, re.M)
REFUSAL_LINES = 3
"""IOS refuses a command in at most this many lines (``Translating...``, the caret, the ``%`` line)."""
_CONFIG_ERROR = re.compile(r"at command: (?P<line>.*), matched error: (?P<error>.*)$", re.S)
_BROKEN = (ReadException, WriteException, OSError, EOFError, paramiko.SSHException)
"""What netmiko and paramiko raise when the session breaks under a command."""


@dataclass(frozen=True)
class Backoff:
    """Retry pacing: ``attempts`` tries of a login, waits doubling from ``first`` up to ``longest`` seconds."""

    attempts: int = 3
    first: float = 0.5
    longest: float = 15.0

    def delays(self) -> Iterator[float]:
        """The waits between tries, forever (callers bound them)."""
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.longest)


class _IosConnection(CiscoIosSSH):
    """netmiko's cisco_ios driver with lm-provider's host keys, noticing a closed session at once."""

    def __init__(self, host_keys: paramiko.HostKeys | None, **kwargs: Any) -> None:
        self.lm_host_keys = host_keys
        super().__init__(**kwargs)

    def _build_ssh_client(self) -> paramiko.SSHClient:
        """A client that knows exactly our keys and rejects others (accepts any when verification is off)."""
        client = paramiko.SSHClient()
        if self.lm_host_keys is None:
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            return client
        known = client.get_host_keys()
        for hostname in list(self.lm_host_keys):
            for key_type, key in self.lm_host_keys.lookup(hostname).items():
                known.add(hostname, key_type, key)
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        return client

    def command(self, command: str, **kwargs: Any) -> str:
        """``send_command``'s text (netmiko types its result as text or parsed data; we never parse there)."""
        return str(self.send_command(command, **kwargs))

    def read_channel(self) -> str:
        """netmiko's read, raising ReadException when the switch has closed the session (netmiko would
        wait for its read time-out instead)."""
        output: str = super().read_channel()
        channel = self.remote_conn
        if not output and isinstance(channel, paramiko.Channel) and (channel.closed or channel.eof_received):
            raise ReadException("the switch closed the session")
        return output


class IosSession:
    """One switch's SSH CLI session, shared by every resource of that switch in a process.

    Every method takes the session's lock; :meth:`exclusive` holds it across a read-modify-write.
    """

    def __init__(self, settings: SwitchSettings, backoff: Backoff | None = None, reload_backoff: Backoff | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.backoff = backoff or Backoff()
        self.reload_backoff = reload_backoff or Backoff(attempts=0, first=0.25, longest=15.0)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.RLock()
        self._connection: _IosConnection | None = None

    @property
    def name(self) -> str:
        """The switch's name."""
        return self.settings.name

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the session for a sequence of commands (other threads wait)."""
        with self._lock:
            yield

    def _scrub(self, text: str) -> str:
        for secret in (self.settings.password, self.settings.enable_secret):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _error(self, kind: type[TransportError] | type[RemoteCommandError], operation: str,
               detail: str) -> TransportError | RemoteCommandError:
        return kind(self.name, self._scrub(operation), self._scrub(detail))

    def _host_keys(self) -> paramiko.HostKeys | None:
        s = self.settings
        if not s.verify_host_key:
            return None
        keys = paramiko.HostKeys()
        if s.known_hosts:
            try:
                keys.load(s.known_hosts)
            except (OSError, paramiko.SSHException) as exc:
                raise ConfigurationError(f"known_hosts file {s.known_hosts} for switch {s.name}: cannot be read "
                                         f"({type(exc).__name__}: {exc})") from None
        if s.host_key:
            entry_name = s.host if s.port == 22 else f"[{s.host}]:{s.port}"
            entry = HostKeyEntry.from_line(f"{entry_name} {s.host_key}")
            if entry is None or entry.key is None:
                raise ConfigurationError(f"hostKey of switch {s.name}: not a key paramiko can read")
            keys.add(entry_name, entry.key.get_name(), entry.key)
        return keys

    def _key_source(self) -> str:
        return "its pinned hostKey" if self.settings.host_key else f"known_hosts file {self.settings.known_hosts}"

    def _login_error(self, exc: Exception) -> TransportError:
        """A failed login as an lm-provider error; TransientError when another try may work."""
        s, cause = self.settings, exc.__context__
        if isinstance(exc, NetmikoAuthenticationException):
            return TransportError(self.name, "login", f"{s.address} refused the login of {s.username}: wrong user "
                                  "name or password, or the switch's AAA refused it")
        if isinstance(exc, ValueError):
            return TransportError(self.name, "enable", f"{s.address} refused the enable secret of {s.username}")
        if isinstance(cause, paramiko.BadHostKeyException):
            return TransportError(self.name, "verify host key", f"the host key of {s.address} does not match "
                                  f"{self._key_source()}: another device answers there, or the switch got a new key "
                                  "(then update the key); refusing to log in")
        if isinstance(cause, paramiko.SSHException) and "not found in known_hosts" in str(cause):
            return TransportError(self.name, "verify host key", f"{s.address} has no entry in {self._key_source()}; "
                                  "add its key (ssh-keyscan) or pin it with hostKey; refusing to log in")
        if isinstance(cause, socket.gaierror):
            return TransportError(self.name, "connect", f"{s.host} cannot be resolved ({cause.strerror})")
        if isinstance(cause, (ConnectionRefusedError, NoValidConnectionsError)):
            return TransientError(self.name, "connect", f"{s.address} refused the connection")
        if isinstance(cause, (TimeoutError, socket.timeout)):
            return TransientError(self.name, "connect", f"{s.address} did not answer within {s.connect_timeout:g} s")
        if isinstance(exc, (NetmikoTimeoutException, ReadTimeout, *_BROKEN)):
            return TransientError(self.name, "connect", f"{s.address} closed the session or did not show a prompt "
                                  f"while logging in ({type(cause or exc).__name__})")
        return TransportError(self.name, "connect", f"{s.address}: {type(exc).__name__}")

    def _login_once(self) -> _IosConnection:
        s = self.settings
        connection: _IosConnection | None = None
        try:
            connection = _IosConnection(
                self._host_keys(), device_type="cisco_ios", host=s.host, port=s.port, username=s.username,
                password=s.password, secret=s.enable_secret or "", conn_timeout=s.connect_timeout,
                auth_timeout=s.connect_timeout, banner_timeout=s.connect_timeout, allow_agent=False, use_keys=False,
                system_host_keys=False, alt_host_keys=False, ssh_config_file=None, fast_cli=True)
            if s.enable_secret:
                connection.enable()
            elif not connection.check_enable_mode():
                connection.disconnect()
                raise TransportError(self.name, "enable", f"{s.username} lands in user EXEC mode (>) and no enable "
                                     "secret is configured (lm:switchEnableSecret)")
            return connection
        except (NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout, ValueError, *_BROKEN) as exc:
            if connection is not None:
                with contextlib.suppress(*_BROKEN):
                    connection.paramiko_cleanup()
            raise self._login_error(exc) from None

    def _login(self, attempts: int, delays: Iterator[float], deadline: float | None = None) -> _IosConnection:
        """Log in, retrying what is transient: ``attempts`` tries (0: until ``deadline``)."""
        tries = 0
        while True:
            tries += 1
            try:
                return self._login_once()
            except TransientError as exc:
                delay = next(delays)
                out_of_tries = attempts and tries >= attempts
                out_of_time = deadline is not None and self._clock() + delay > deadline
                if out_of_tries or out_of_time:
                    raise TransientError(self.name, exc.operation, f"{exc.detail} ({tries} attempts)") from None
                self._sleep(delay)

    def _alive(self, connection: _IosConnection) -> bool:
        channel = connection.remote_conn
        return (isinstance(channel, paramiko.Channel) and not channel.closed and not channel.eof_received
                and channel.get_transport() is not None and bool(channel.get_transport().is_active()))

    def _connected(self) -> _IosConnection:
        if self._connection is not None and self._alive(self._connection):
            return self._connection
        self._drop()
        self._connection = self._login(self.backoff.attempts, self.backoff.delays())
        return self._connection

    def _drop(self) -> None:
        """Forget the session; close its socket without logging out (it may be dead)."""
        if self._connection is not None:
            with contextlib.suppress(*_BROKEN):
                self._connection.paramiko_cleanup()
        self._connection = None

    def _run(self, operation: str, action: Callable[[_IosConnection], T]) -> T:
        """``action`` on the session; once more on a fresh session if the session broke under it."""
        with self._lock:
            for attempt in (1, 2):
                connection = self._connected()
                try:
                    return action(connection)
                except _BROKEN as exc:
                    self._drop()
                    if attempt == 2:
                        raise self._error(TransientError, operation, f"the session broke ({type(exc).__name__}), "
                                          "also on a fresh session") from None
                except ReadTimeout:
                    self._drop()
                    raise self._error(TransportError, operation, f"no answer within {self.settings.command_timeout:g} "
                                      "s") from None
            raise AssertionError("unreachable")

    def show(self, command: str) -> str:
        """Run an exec command; its output. IOS's ``% ...`` answer raises RemoteCommandError."""
        timeout = self.settings.command_timeout
        output: str = self._run(command, lambda c: c.command(command, read_timeout=timeout))
        refused = refusal(output)
        if refused:
            raise self._error(RemoteCommandError, command, refused)
        return output

    def configure(self, lines: Sequence[str]) -> str:
        """Send configuration lines (config mode entered and left); a refused line raises
        RemoteCommandError naming it, with IOS's answer."""
        timeout = self.settings.command_timeout

        def action(connection: _IosConnection) -> str:
            try:
                output: str = connection.send_config_set(list(lines), error_pattern=ERROR_PATTERN,
                                                         read_timeout=timeout)
            except ConfigInvalidException as exc:
                with contextlib.suppress(*_BROKEN, ReadTimeout):
                    connection.exit_config_mode()
                match = _CONFIG_ERROR.search(str(exc))
                line, error = (match["line"], match["error"]) if match else (" / ".join(lines), str(exc))
                raise self._error(RemoteCommandError, f"configure: {line.strip()}", error.strip()) from None
            return output

        return self._run("configure terminal", action)

    def save(self) -> str:
        """``write memory``; RemoteCommandError unless the switch says ``[OK]``."""
        output: str = self._run("write memory", lambda c: c.save_config(cmd="write memory"))
        if "[OK]" not in output:
            raise self._error(RemoteCommandError, "write memory", _error_lines(output) or "no [OK] from the switch")
        return output

    def reload(self) -> None:
        """Reload (saving the running configuration when asked), wait for the switch to go down and to
        take logins again (backoff, bounded by ``reload_timeout``). Never retried."""
        s = self.settings
        with self._lock:
            connection = self._connected()
            prompt = re.escape(connection.base_prompt)
            try:
                output = connection.command("reload", expect_string=rf"\[yes/no\]|\[confirm\]|{prompt}[>#]",
                                            read_timeout=s.command_timeout)
                if "[yes/no]" in output:
                    output = connection.command("yes", expect_string=rf"\[confirm\]|{prompt}[>#]",
                                                read_timeout=s.command_timeout)
                if "[confirm]" not in output:
                    raise self._error(RemoteCommandError, "reload", _error_lines(output) or output.strip())
                connection.write_channel("\n")
                self._await_close(connection)
            except (ReadTimeout, *_BROKEN) as exc:
                raise self._error(TransportError, "reload", f"the reload dialog failed ({type(exc).__name__}); "
                                  "the switch may or may not be reloading") from None
            finally:
                self._drop()
            deadline = self._clock() + s.reload_timeout
            try:
                self._connection = self._login(0, self.reload_backoff.delays(), deadline)
            except TransientError as exc:
                raise self._error(TransportError, "reload", f"the switch did not take logins again within "
                                  f"{s.reload_timeout:g} s: {exc.detail}") from None

    def _await_close(self, connection: _IosConnection) -> None:
        """Read until the switch closes the session (it goes down for the reload)."""
        channel = connection.remote_conn
        assert isinstance(channel, paramiko.Channel)
        channel.settimeout(self.settings.command_timeout)
        try:
            while channel.recv(4096):
                pass
        except TimeoutError:
            raise self._error(TransportError, "reload", f"the switch confirmed the reload but did not go down within "
                              f"{self.settings.command_timeout:g} s") from None
        except (EOFError, OSError):  # paramiko saw the TCP close before the channel's EOF
            pass

    def close(self) -> None:
        """Log out (best effort) and close."""
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(*_BROKEN, ReadTimeout):
                    self._connection.disconnect()
            self._connection = None


def _error_lines(output: str) -> str:
    """IOS's ``% ...`` lines of ``output``, joined."""
    return " ".join(match.group(0).strip() for match in _ERROR.finditer(output))


def refusal(output: str) -> str | None:
    """IOS's refusal of an exec command (``% Invalid input ...``), None when ``output`` is an answer.
    A refusal is short: a ``%`` line deep in a long output (a banner in a configuration) is not one."""
    if len([line for line in output.splitlines() if line.strip()]) > REFUSAL_LINES:
        return None
    return _error_lines(output) or None
