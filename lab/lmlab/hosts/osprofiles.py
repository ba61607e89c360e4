"""What differs between the Windows Server versions the lab simulates.

Sources (documentation, not observed on real hosts; see docs/lab.md "Fidelity"):
- Build numbers: Microsoft's Windows Server release information.
- `Set-VMHost -VirtualMachineMigrationPerformanceOption` (TCPIP / Compression / SMB) came with
  Windows Server 2012 R2; Server 2012 has no such option (Hyper-V PowerShell module docs).
- PowerShell: 3.0 ships with 2012, 4.0 with 2012 R2, 5.1 with 2016 and later.
- The adapter binding order (Advanced Settings) is gone from 2016 on; interface metric replaces it.
- Live migration with Kerberos from 2016 on needs protocol transition for remote-initiated moves.
- Microsoft LLDP Protocol Driver (ms_lldp) is present from 2012 on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OsProfile:
    """Facts of one Windows Server version that the simulated host reports and obeys."""

    key: str
    caption: str
    version: str
    build: int
    powershell_version: str
    has_migration_performance_option: bool
    default_performance_option: str | None
    has_binding_order: bool
    kerberos_needs_protocol_transition: bool
    vm_versions: tuple[str, ...]
    """VM configuration versions the host runs and accepts in a migration (Get-VMHostSupportedVersion
    from 2016 on); Hyper-V never migrates a VM to a host that does not list its version."""
    probe_vm_version: str
    """The version the migration probe gets there: New-VM's default on 2012/2012 R2 (no -Version),
    the lowest supported from 2016 on."""


OS_PROFILES: dict[str, OsProfile] = {
    p.key: p
    for p in (
        OsProfile("2012", "Microsoft Windows Server 2012 Datacenter", "6.2.9200", 9200, "3.0",
                  False, None, True, False, ("4.0",), "4.0"),
        OsProfile("2012r2", "Microsoft Windows Server 2012 R2 Datacenter", "6.3.9600", 9600, "4.0",
                  True, "Compression", True, False, ("4.0", "5.0"), "5.0"),
        OsProfile("2016", "Microsoft Windows Server 2016 Datacenter", "10.0.14393", 14393, "5.1",
                  True, "Compression", False, True, ("5.0", "6.2", "7.0", "7.1", "8.0"), "5.0"),
        OsProfile("2019", "Microsoft Windows Server 2019 Datacenter", "10.0.17763", 17763, "5.1",
                  True, "Compression", False, True, ("5.0", "6.2", "7.0", "7.1", "8.0", "9.0"), "5.0"),
        OsProfile("2022", "Microsoft Windows Server 2022 Datacenter", "10.0.20348", 20348, "5.1",
                  True, "Compression", False, True, ("5.0", "6.2", "7.0", "7.1", "8.0", "9.0", "10.0"), "5.0"),
    )
}


def os_profile(key: str) -> OsProfile:
    """Return the profile for an OS key such as ``2012r2``; raise ValueError naming the choices."""
    try:
        return OS_PROFILES[str(key).lower().replace(" ", "")]
    except KeyError:
        raise ValueError(f"unknown os {key!r}; choose one of {', '.join(OS_PROFILES)}") from None
