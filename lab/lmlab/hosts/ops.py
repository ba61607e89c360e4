"""The lab's operation protocol: how a simulated host answers a PowerShell script.

The lab does not interpret PowerShell. Every script lm-provider sends carries, anywhere in its
text, one marker line and its parameters as a JSON here-string (see docs/op-protocol.md)::

    # lm-provider-op: host.facts
    $LmParams = @'
    {"example": 1}
    '@ | ConvertFrom-Json

The host dispatches on the op name, mutates its model, and answers like powershell.exe: JSON on
stdout (UTF-8, CRLF-terminated), exit code 0; or CLIXML error records on stderr and exit code 1.
A script without a marker, or with an op the lab does not know, fails like CommandNotFound.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import clixml
from .model import POWER_PLANS, Host
from .osprofiles import os_profile

OP_MARKER = re.compile(r"^# lm-provider-op: (?P<op>[A-Za-z][\w.-]*)[ \t]*\r?$", re.MULTILINE)
PARAMS_BLOCK = re.compile(r"^\$LmParams = @'\r?\n(?P<json>.*?)\r?\n'@", re.MULTILINE | re.DOTALL)
STDIN_OP = "stdin"
"""The bootstrap op: the real script arrives on stdin (for scripts past cmd.exe's line limit)."""


class OpError(Exception):
    """An op failed the way a cmdlet would; rendered as a CLIXML error record."""

    def __init__(self, record: clixml.ErrorRecord) -> None:
        super().__init__(record.message)
        self.record = record


@dataclass(frozen=True)
class ScriptResult:
    """What powershell.exe produced: stdout, stderr (bytes) and its exit code."""

    stdout: bytes
    stderr: bytes
    exit_code: int


@dataclass(frozen=True)
class ParsedScript:
    """A script's op name (None without a marker) and decoded parameters."""

    op: str | None
    params: dict[str, Any]
    first_word: str


def parse_script(script: str) -> ParsedScript:
    """Find the op marker and the JSON parameters; a bad JSON block is an OpError."""
    marker = OP_MARKER.search(script)
    stripped = [ln.strip() for ln in script.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    first_word = stripped[0].split()[0] if stripped else ""
    if not marker:
        return ParsedScript(None, {}, first_word)
    block = PARAMS_BLOCK.search(script)
    params: dict[str, Any] = {}
    if block:
        try:
            params = json.loads(block.group("json"))
        except json.JSONDecodeError as exc:
            raise OpError(clixml.ErrorRecord(
                f"Conversion from JSON failed with error: {exc.msg}", "NotSpecified", "$LmParams",
                "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
                "System.ArgumentException", "ConvertFrom-Json")) from None
        if not isinstance(params, dict):
            raise OpError(_invalid_argument("$LmParams", "the parameters must be a JSON object"))
    return ParsedScript(marker.group("op"), params, first_word)


def wants_stdin(script: str) -> bool:
    """True for the stdin bootstrap: the real script follows on stdin."""
    marker = OP_MARKER.search(script)
    return bool(marker and marker.group("op") == STDIN_OP)


def _invalid_argument(target: str, message: str) -> clixml.ErrorRecord:
    return clixml.ErrorRecord(message, "InvalidArgument", target, "LmInvalidArgument")


def op_facts(host: Host, params: dict[str, Any]) -> dict[str, Any]:
    """Everything the resources read, in one round trip, named as the cmdlets name it."""
    profile = os_profile(host.os)
    vmhost: dict[str, Any] = {
        "VirtualMachineMigrationEnabled": host.migration.enabled,
        "VirtualMachineMigrationAuthenticationType": host.migration.authentication_type,
        "UseAnyNetworkForMigration": host.migration.use_any_network,
        "MaximumVirtualMachineMigrations": host.migration.max_vm_migrations,
        "MaximumStorageMigrations": host.migration.max_storage_migrations,
    }
    if profile.has_migration_performance_option:
        vmhost["VirtualMachineMigrationPerformanceOption"] = host.migration.performance_option
    return {
        "ComputerName": host.name,
        "Domain": host.domain,
        "PartOfDomain": True,
        "OsCaption": profile.caption,
        "OsVersion": profile.version,
        "PowerShellVersion": profile.powershell_version,
        "Adapters": [_adapter_facts(a) for a in host.adapters],
        "VMHost": vmhost,
        "MigrationNetworks": [{"Subnet": n.subnet, "Priority": n.priority} for n in host.migration.networks],
        "MigrationServiceListenerIPAddressList": list(host.listener_addresses),
        "PowerPlan": {"ElementName": host.power_plan, "InstanceID": POWER_PLANS[host.power_plan]},
        "HostsFile": host.hosts_file,
    }


def _adapter_facts(a: Any) -> dict[str, Any]:
    def enabled(flag: bool) -> str:
        return "Enabled" if flag else "Disabled"

    return {
        "Name": a.name,
        "InterfaceDescription": a.interface_description,
        "MacAddress": a.mac_address,
        "ifIndex": a.if_index,
        "LinkSpeed": a.link_speed,
        "Status": a.status,
        "JumboPacket": {"RegistryValue": [str(a.jumbo_packet)],
                        "ValidRegistryValues": [str(v) for v in a.jumbo_valid_values]},
        "Bindings": [{"ComponentID": c, "Enabled": on} for c, on in a.bindings.items()],
        "Dhcp": enabled(a.dhcp),
        "IPv4Addresses": [{"IPAddress": ip.ip_address, "PrefixLength": ip.prefix_length,
                           "PrefixOrigin": ip.prefix_origin} for ip in a.ipv4_addresses],
        "Routes": [{"DestinationPrefix": r.destination_prefix, "NextHop": r.next_hop,
                    "RouteMetric": r.route_metric} for r in a.routes],
        "DnsServers": list(a.dns_servers),
        "RegisterThisConnectionsAddress": a.register_this_connections_address,
        "InterfaceMetric": a.interface_metric,
        "AutomaticMetric": enabled(a.automatic_metric),
        "Forwarding": enabled(a.forwarding),
        "TcpipNetbiosOptions": {"Default": 0, "Enabled": 1, "Disabled": 2}[a.netbios_setting],
    }


def op_echo(host: Host, params: dict[str, Any]) -> dict[str, Any]:
    """Diagnostic op for transport tests: returns its parameters (``repeat`` multiplies ``text``)."""
    text = params.get("text", "")
    repeat = params.get("repeat", 1)
    if not isinstance(text, str) or not isinstance(repeat, int) or not 0 <= repeat <= 1_000_000:
        raise OpError(_invalid_argument("text", "text must be a string and repeat an integer 0..1000000"))
    return {"ComputerName": host.name, "text": text * repeat}


OPS: dict[str, Callable[[Host, dict[str, Any]], Any]] = {
    "host.facts": op_facts,
    "diag.echo": op_echo,
}
"""Op name -> handler. Handlers mutate the host in place and return what goes to stdout as JSON."""


def run_script(host: Host, script: str, progress_noise: bool = False) -> ScriptResult:
    """Run one script against ``host`` as powershell.exe -EncodedCommand would."""
    try:
        parsed = parse_script(script)
        if parsed.op is None or parsed.op not in OPS:
            raise OpError(clixml.command_not_found(parsed.op or parsed.first_word))
        result = OPS[parsed.op](host, parsed.params)
    except OpError as exc:
        return ScriptResult(b"", clixml.render([exc.record], progress_noise), 1)
    stdout = (json.dumps(result, separators=(",", ":")) + "\r\n").encode("utf-8")
    return ScriptResult(stdout, clixml.render([], True) if progress_noise else b"", 0)
