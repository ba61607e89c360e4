"""The error records of the Hyper-V cmdlets the ``vm`` family answers for (Get-VM, Move-VM), with the texts
Windows prints (docs/lab.md, "Live migration (Move-VM) and Kerberos tickets", says which are
verbatim and which are the lab's paraphrase)."""

from __future__ import annotations

from .. import clixml
from ..model import Host, VirtualMachine
from ..osprofiles import os_profile
from .protocol import OpError

MVSMS = "Microsoft Virtual System Migration Service"
"""The migration service's SPN class."""
FIRST_2016_BUILD = 14393
_MOVE_VM_ID = "Microsoft.HyperV.PowerShell.Commands.MoveVM"
_GET_VM_ID = "Microsoft.HyperV.PowerShell.Commands.GetVM"
_VMMS_CONNECT = ("The Virtual Machine Management Service failed to establish a connection for a Virtual Machine "
                 "migration with host '{d}': ")


def _exception(host: Host) -> str:
    """2016+ writes VirtualizationException; the 2012-era module VirtualizationOperationFailedException."""
    modern = os_profile(host.os).build >= FIRST_2016_BUILD
    return "Microsoft.HyperV.PowerShell." + ("VirtualizationException" if modern
                                             else "VirtualizationOperationFailedException")


def vm_not_found(host: Host, name: str) -> OpError:
    """``Get-VM -Name V -ErrorAction Stop`` for a VM the host does not have."""
    return OpError(clixml.ErrorRecord(
        message=f'Hyper-V was unable to find a virtual machine with name "{name}".', category="InvalidArgument",
        target=name, error_id=f"InvalidParameter,{_GET_VM_ID}", exception=_exception(host),
        command_text="Get-VM", activity="Get-VM"))


def move_failed(host: Host, vm: VirtualMachine, causes: list[str]) -> OpError:
    """Move-VM's failure: the migration line naming VM, source and VM ID, then the cause lines."""
    head = (f"Virtual machine migration operation for '{vm.name}' failed at migration source '{host.name}'. "
            f"(Virtual machine ID {vm.id.upper()})")
    return OpError(clixml.ErrorRecord(
        message="\r\n".join([head, *causes]), category="NotSpecified", target="",
        error_id=f"Unspecified,{_MOVE_VM_ID}", exception=_exception(host), command_text="Move-VM",
        activity="Move-VM"))


def unknown_host(d: str) -> list[str]:
    """0x80072AF9 WSAHOST_NOT_FOUND (paraphrase)."""
    return [_VMMS_CONNECT.format(d=d) + "No such host is known. (0x80072AF9)"]


def same_host(d: str) -> list[str]:
    """The destination is the source (paraphrase)."""
    return [f"The destination host '{d}' is the source host of the migration."]


def migration_disabled(source: str) -> list[str]:
    """Live migration is off on the source (paraphrase)."""
    return [f"The Virtual Machine Management Service on '{source}' is not configured for live migration; "
            "enable it with Enable-VMMigration."]


def no_authority(d: str) -> list[str]:
    """0x80090311 SEC_E_NO_AUTHENTICATING_AUTHORITY: no DC reachable (the layout is a paraphrase)."""
    return [_VMMS_CONNECT.format(d=d) + "No authority could be contacted for authentication. (0x80090311)"]


def no_delegation(d: str) -> list[str]:
    """0x8009030E with Kerberos: the source may not delegate to the destination (verbatim capture)."""
    return [_VMMS_CONNECT.format(d=d) + "No credentials are available in the security package (0x8009030E).",
            "Failed to authenticate the connection at the source host: no suitable credentials available."]


def credssp_remote(d: str) -> list[str]:
    """0x8009030E with CredSSP, the move started from another computer (two verbatim lines joined)."""
    return [_VMMS_CONNECT.format(d=d) + "No credentials are available in the security package (0x8009030E).",
            "The Virtual Machine Management Service failed to authenticate the connection for a virtual machine "
            "migration at the source host: no suitable credentials available. Make sure the operation is initiated "
            "on the source host of the migration, or the source host is configured to use Kerberos for the "
            "authentication of migration connections and Constrained Delegation is enabled for the host in Active "
            "Directory."]


def wrong_principal(d: str) -> list[str]:
    """0x80090322: the destination's account lacks the SPN the move asks for (verbatim, KB 4558514)."""
    return [_VMMS_CONNECT.format(d=d) + "The target principal name is incorrect. (0x80090322)."]


def auth_mismatch(d: str) -> list[str]:
    """0x8009030D: the hosts use different authentication types (verbatim, KB 4558514)."""
    return [f"Failed to establish a connection with host '{d}': The credentials supplied to the package were not "
            "recognized (0x8009030D)."]


def refused(d: str) -> list[str]:
    """0x8007274D: no TCP 6600 listener (verbatim, KB 4558514)."""
    return [_VMMS_CONNECT.format(d=d) + "No connection could be made because the target machine actively refused "
            "it. (0x8007274D)"]


def timed_out(d: str) -> list[str]:
    """0x8007274C: no listener reachable over a migration network (verbatim, KB 4558514)."""
    return [f"Failed to establish a connection with host '{d}': A connection attempt failed because the connected "
            "party did not properly respond after a period of time, or established connection failed because "
            "connected host has failed to respond. (0x8007274C)"]


def connection_reset() -> list[str]:
    """0x80072746: jumbo frames dropped on the way (verbatim, KB 4558514)."""
    return ["Failed to send data for a Virtual Machine migration: An existing connection was forcibly closed by the "
            "remote host. (0x80072746)"]


def unsupported_version(version: str, d: str) -> list[str]:
    """The destination does not run the VM's configuration version (paraphrase: the wording Windows
    uses was not found)."""
    return [f"The virtual machine's configuration version {version} is not supported on host '{d}': Hyper-V "
            "migrates a virtual machine only to a host that supports its version."]


def name_taken(vm: str, d: str) -> list[str]:
    """The destination already has a VM of that name (paraphrase; the lab keeps VM names unique per host)."""
    return [f"The operation failed because a virtual machine named '{vm}' already exists on '{d}'."]
