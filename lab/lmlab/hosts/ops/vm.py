"""Family ``vm``: the throwaway VMs of a test migration (lm-provider marks them with its marker in
Notes; a VM with other Notes is a user VM and is never changed).

- ``vm.new``: New-VM (generation 1) with a new dynamic VHDX under ``StoragePath``, Notes = marker,
  started; refuses a name the host already has;
- ``vm.move``: Move-VM -IncludeStorage to ``DestinationHost`` (rules in vmmove.py); the VM leaves
  this host and arrives on the destination only when the move succeeds;
- ``vm.remove``: every VM carrying the marker (and the name, if given) is turned off, removed and
  its VHDs deleted; nothing found is no error;
- ``vm.list``: every VM of the host.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..model import Host, VirtualMachine
from ..osprofiles import os_profile
from ..values import VM_MEMORY_MINIMUM, VM_MEMORY_STEP, VM_NAME_LENGTH
from .context import OpContext, Peers
from .params import value_range
from .registry import op
from .thrown import thrown
from .vmmove import plan_move

INT32_MAX = 2**31 - 1
VHD_MINIMUM = 3 * 1024 * 1024
"""New-VHD's smallest dynamic VHDX."""


@dataclass(frozen=True)
class NewParams:
    """vm.new: a marked throwaway VM."""

    name: str
    marker: str
    storage_path: str
    memory_startup_bytes: int = field(default=33_554_432, metadata=value_range(VM_MEMORY_MINIMUM, INT32_MAX))
    vhd_size_bytes: int = field(default=1_073_741_824, metadata=value_range(VHD_MINIMUM, INT32_MAX))


@dataclass(frozen=True)
class MoveParams:
    """vm.move: move a marked VM with its storage to another host."""

    name: str
    marker: str
    destination_host: str
    storage_path: str


@dataclass(frozen=True)
class RemoveParams:
    """vm.remove: remove the VMs carrying the marker (only the one named ``Name`` when given)."""

    marker: str
    name: str | None = None


@dataclass(frozen=True)
class ListParams:
    """vm.list takes no parameters."""


def _checked_marker(marker: str) -> str:
    """A blank marker would match every user VM (their Notes are empty): refused."""
    if not marker.strip():
        raise thrown("marker: must not be empty (an empty marker would match user VMs, whose Notes are empty)")
    return marker


def _vhd_path(storage_path: str, file_name: str) -> str:
    return storage_path.rstrip("\\") + "\\" + file_name


@op("vm.new", params=NewParams, changes=True)
def new(host: Host, params: NewParams) -> dict[str, Any]:
    """Create, mark and start a generation 1 VM with a new VHDX under ``StoragePath``."""
    marker = _checked_marker(params.marker)
    if not params.name.strip() or len(params.name) > VM_NAME_LENGTH:
        raise thrown(f"name: {params.name!r} is not a VM name (1-{VM_NAME_LENGTH} characters)")
    if not params.storage_path.strip():
        raise thrown("storage_path: must not be empty")
    if params.memory_startup_bytes % VM_MEMORY_STEP:
        raise thrown(f"memory_startup_bytes: {params.memory_startup_bytes} is not a multiple of {VM_MEMORY_STEP} "
                     "(2 MB)")
    if host.vm(params.name) is not None:
        raise thrown(f"A virtual machine named '{params.name}' already exists on {host.name}; the probe needs a "
                     "fresh name.")
    vm = VirtualMachine(params.name, str(uuid.uuid4()), notes=marker, state="Running",
                        memory_startup_bytes=params.memory_startup_bytes,
                        vhd_paths=[_vhd_path(params.storage_path, f"{params.name}.vhdx")], generation=1,
                        version=os_profile(host.os).probe_vm_version)
    host.vms.append(vm)
    return {"Name": vm.name, "Id": vm.id, "State": vm.state, "Version": vm.version}


def _arrive(peers: Peers | None, destination: str, vm: VirtualMachine) -> None:
    if peers is None:
        raise LookupError(f"no peers to deliver {vm.name} to {destination}")
    peers.receive(destination, vm)


@op("vm.move", params=MoveParams, changes=True, context=True, cross_host=True)
def move(host: Host, params: MoveParams, context: OpContext) -> dict[str, Any]:
    """Move-VM -IncludeStorage: on success the VM leaves this host and arrives on the destination, its
    VHDs under ``StoragePath``."""
    plan = plan_move(host, params.name, _checked_marker(params.marker), params.destination_host,
                     context.network, context.directory, context.peers)
    host.vms = [vm for vm in host.vms if vm is not plan.vm]
    moved = dataclasses.replace(plan.vm, vhd_paths=[_vhd_path(params.storage_path, path.rsplit("\\", 1)[-1])
                                                    for path in plan.vm.vhd_paths])
    context.on_commit(lambda: _arrive(context.peers, plan.destination.name, moved))
    return {"Name": plan.vm.name, "DestinationHost": params.destination_host,
            "SourceAddress": plan.source_address, "DestinationAddress": plan.destination_address}


@op("vm.remove", params=RemoveParams, changes=True)
def remove(host: Host, params: RemoveParams) -> dict[str, Any]:
    """Stop-VM -TurnOff, Remove-VM and delete the VHDs of every marked VM (the named one only)."""
    marker = _checked_marker(params.marker)
    gone = [vm for vm in host.vms
            if vm.notes == marker and (params.name is None or vm.name.lower() == params.name.lower())]
    host.vms = [vm for vm in host.vms if all(vm is not g for g in gone)]
    return {"Removed": [vm.name for vm in gone]}


@op("vm.list", params=ListParams, changes=False)
def list_vms(host: Host, params: ListParams) -> list[dict[str, Any]]:
    """Every VM of the host: Name, State, Notes."""
    return [{"Name": vm.name, "State": vm.state, "Notes": vm.notes} for vm in host.vms]
