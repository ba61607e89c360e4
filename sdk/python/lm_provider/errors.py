"""The exception tree of lm-provider. Imports nothing from the package.

::

    LmError                      anything lm-provider raises on purpose
    ├── ConfigurationError       provider configuration missing or invalid (names the key)
    │   └── FabricConfigError    a LiveMigrationFabric's description is invalid (every problem, with its path)
    ├── UnsafeActionRefused      a dangerous change not explicitly allowed (names the setting)
    ├── InvalidInput             an input only the target can judge is not allowed there (names it)
    ├── PathCheckFailed          the migration network does not carry jumbo frames (every broken pair, and why)
    ├── MigrationTestFailed      the test migration ring failed (every failed move, Windows' error, its meaning)
    └── RemoteError              a remote system failed or refused (names target and operation)
        ├── TransportError       could not talk to it: network, TLS, authentication
        │   └── TransientError   worth retrying: reset, HTTP 5xx, WS-Man time-out
        └── RemoteCommandError   it answered and refused: a script's error, an LDAP result, IOS "% ..."

Library exceptions (pywinrm, requests, ldap3, netmiko) are mapped at the transport boundary and
never escape ``lm_provider.transports``. No message ever carries a password.
"""

from __future__ import annotations


class LmError(Exception):
    """Base of every error lm-provider raises on purpose."""


class ConfigurationError(LmError):
    """Provider configuration is missing or invalid; the message names the key and the fix."""


class FabricConfigError(ConfigurationError):
    """A LiveMigrationFabric's description is invalid. Raised by its constructor, before any resource
    is registered; ``problems`` lists each problem as ``<path>: <reason>`` (``hosts[1].address: ...``)."""

    def __init__(self, problems: list[str]) -> None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"LiveMigrationFabric: {count}: " + "; ".join(problems))
        self.problems = problems


class UnsafeActionRefused(LmError):
    """A dangerous action (e.g. touching the connection's own interface) was not explicitly allowed."""


class InvalidInput(LmError):
    """An input that only the target can judge is not allowed there (an MTU outside the range of the
    switch's platform found by ``show version``); the message names the input, the reason and what is
    allowed. Raised before anything is changed."""


class PathCheckFailed(LmError):
    """Don't-fragment pings between the hosts' migration addresses did not all get through (or a switch
    reload is pending). ``failures`` lists every broken pair (``HOST SOURCE -> TARGET: why``) and
    every pending reload."""

    def __init__(self, failures: list[str], pairs: int) -> None:
        super().__init__(f"jumbo path check failed ({len(failures)} problem{'s' if len(failures) != 1 else ''}, "
                         f"{pairs} pairs checked): " + "; ".join(failures))
        self.failures = failures


class MigrationTestFailed(LmError):
    """The test migration ring did not pass. ``failures`` lists every failed pair
    (``SOURCE -> DESTINATION: Windows' error [what it means]``)."""

    def __init__(self, failures: list[str], pairs: int) -> None:
        super().__init__(f"test migration failed ({len(failures)} of {pairs} moves): " + "; ".join(failures))
        self.failures = failures


class RemoteError(LmError):
    """A remote system failed or refused.

    Attributes: ``target`` (host, DC or switch), ``operation`` (op, LDAP operation or command),
    ``detail`` (the remote system's own words, secrets removed).
    """

    def __init__(self, target: str, operation: str, detail: str) -> None:
        super().__init__(f"{target}: {operation}: {detail}")
        self.target = target
        self.operation = operation
        self.detail = detail


class TransportError(RemoteError):
    """Could not talk to the remote system (network, TLS, authentication)."""


class TransientError(TransportError):
    """A transport fault worth retrying (connection reset, HTTP 5xx, WS-Management time-out)."""


class RemoteCommandError(RemoteError):
    """The remote system answered and refused (script error record, LDAP result, IOS error line)."""
