"""The values a host model field may take, as the cmdlets report them (constants only).

Sources: the cmdlets' documented enumerations (Get-NetAdapter Status, Get-NetIPAddress
PrefixOrigin, Win32_NetworkAdapterConfiguration TcpipNetbiosOptions, Set-VMHost), and
SetIPConnectionMetric's range for metrics (1-9999). The lab refuses anything else.
"""

from __future__ import annotations

ADAPTER_STATUSES = ("Up", "Disconnected", "Disabled", "Not Present")
PREFIX_ORIGINS = ("Manual", "WellKnown", "Dhcp", "RouterAdvertisement", "Other")
NETBIOS_SETTINGS = ("Default", "Enabled", "Disabled")
AUTHENTICATION_TYPES = ("CredSSP", "Kerberos")
PERFORMANCE_OPTIONS = ("TCPIP", "Compression", "SMB")
VM_STATES = ("Running", "Off", "Saved", "Paused")
"""Get-VM's State values the lab models (the transitional states are not)."""
VM_GENERATIONS = (1, 2)
VM_NAME_LENGTH = 100
"""Hyper-V refuses longer VM names."""
VM_MEMORY_MINIMUM = 32 * 1024 * 1024
VM_MEMORY_STEP = 2 * 1024 * 1024
"""Startup memory: at least 32 MB, a multiple of 2 MB (Hyper-V's rules)."""
VM_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
"""A VM's Id as ConvertTo-Json writes a [Guid]: lower-case hex groups."""
UAC_TRUSTED_TO_AUTH = 0x1000000
"""userAccountControl TRUSTED_TO_AUTH_FOR_DELEGATION: KCD with "Use any authentication protocol"."""
LISTENER_REFRESH = ("immediate", "on-vmms-restart")
"""``immediate``: the listener list follows every change; ``on-vmms-restart``: the field guide's failure."""

POWER_PLANS = {
    "Balanced": "381b4222-f694-41f0-9685-ff5bb260df2e",
    "High performance": "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c",
    "Power saver": "a1841308-3541-4fab-bc81-f71556f20b4a",
}
"""Power plan ElementName -> InstanceID GUID (the built-in plans)."""

BINDING_COMPONENTS = (
    "ms_msclient", "ms_pacer", "ms_server", "ms_tcpip", "ms_tcpip6",
    "ms_lltdio", "ms_rspndr", "ms_lldp", "ms_implat",
)
"""ComponentIDs of Get-NetAdapterBinding that the lab models."""

INTERFACE_METRIC = (1, 9999)
ROUTE_METRIC = (0, 9999)
PREFIX_LENGTH = (1, 32)
MAC_ADDRESS = r"^[0-9A-F]{2}(-[0-9A-F]{2}){5}$"
"""Get-NetAdapter's MacAddress: upper-case hex pairs joined by dashes."""
COMPUTER_NAME = r"^[A-Za-z0-9][A-Za-z0-9-]{0,14}$"
"""NetBIOS computer name rules: 1-15 letters, digits and dashes."""
