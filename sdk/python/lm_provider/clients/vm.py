"""The ``vm`` ops (the migration test's throwaway VM) and ``kerberos.purge``. Each is one script run.

Every VM op acts only on VMs whose Notes carry the probe marker: a user VM is never created,
moved or removed by lm-provider.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ops import host_op

PROBE_MEMORY_BYTES = 32 * 1024 * 1024
"""The smallest startup memory Hyper-V accepts for a generation 1 VM."""
PROBE_DISK_BYTES = 1024 * 1024 * 1024
"""A 1 GB dynamic VHDX: a few megabytes on disk, so the storage part of the move is short."""


@host_op("vm.new")
@dataclass(frozen=True)
class NewProbeParams:
    """``vm.new``: create and start the probe VM ``name`` (Notes = ``marker``) under ``storage_path``."""

    name: str
    marker: str
    storage_path: str
    memory_startup_bytes: int = PROBE_MEMORY_BYTES
    vhd_size_bytes: int = PROBE_DISK_BYTES


@host_op("vm.move")
@dataclass(frozen=True)
class MoveProbeParams:
    """``vm.move``: ``Move-VM -IncludeStorage`` of probe ``name`` to ``destination_host`` (its disk to
    ``storage_path`` there); answers the addresses of the TCP 6600 connection it used."""

    name: str
    marker: str
    destination_host: str
    storage_path: str


@host_op("vm.remove")
@dataclass(frozen=True)
class RemoveProbesParams:
    """``vm.remove``: remove the probe VMs (Notes = ``marker``; only ``name`` when given) and their disks."""

    marker: str
    name: str | None = None


@host_op("vm.list")
@dataclass(frozen=True)
class ListVmsParams:
    """``vm.list`` takes no parameters: every VM's Name, State and Notes."""


@host_op("kerberos.purge")
@dataclass(frozen=True)
class PurgeTicketsParams:
    """``kerberos.purge`` (``klist -li 0x3e7 purge``) takes no parameters."""
