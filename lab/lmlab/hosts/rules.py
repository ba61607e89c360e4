"""The rules a host model must satisfy, whoever changed it (drift, reset, an op).

Types first (strict: a model built in code gets no conversions), then values: enumerations,
IPv4 addresses and prefixes, the adapter's jumbo value among its valid values, metric ranges,
uniqueness of names and addresses, the virtual machines (state, Id, generation, memory, unique
names and Ids), the ticket cache's delegation entries, and the OS rules (the migration performance option exists
from Windows Server 2012 R2 on, and is then always set). Every problem names its path.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import values as v
from .convert import ModelError, check_types, item_path, show
from .osprofiles import OS_PROFILES

if TYPE_CHECKING:
    from .model import Host, NetAdapter, VirtualMachine


def validate_host(host: Host) -> None:
    """Raise ModelError listing every problem of ``host`` ("; "-separated), or return."""
    check_types(host)
    problems = [*_host_problems(host), *_migration_problems(host)]
    for index, adapter in enumerate(host.adapters):
        problems += _adapter_problems(adapter, item_path("adapters", index, adapter))
    problems += _unique_problems(host)
    for index, vm in enumerate(host.vms):
        problems += _vm_problems(vm, item_path("vms", index, vm))
    problems += _unique_vm_problems(host)
    for index, spn in enumerate(host.ticket_cache.allowed_to_delegate_to):
        if not re.match(r"^[^/\s][^/]*/[^/\s]+$", spn):
            problems.append(f"ticket_cache.allowed_to_delegate_to[{index}]: {show(spn)} is not a service principal "
                            "name like cifs/host.domain")
    if problems:
        raise ModelError("; ".join(problems))


def _one_of(path: str, value: Any, valid: Iterable[Any]) -> list[str]:
    valid = list(valid)
    if value in valid:
        return []
    return [f"{path}: {show(value)} is not a valid value; valid: {', '.join(map(str, valid))}"]


def _within(path: str, value: int, low: int, high: int | None = None) -> list[str]:
    if value >= low and (high is None or value <= high):
        return []
    return [f"{path}: {value} is out of range; valid: {low}..{high}" if high is not None
            else f"{path}: {value} is out of range; valid: {low} or more"]


def _ipv4(path: str, value: str) -> list[str]:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return [f"{path}: {show(value)} is not an IPv4 address"]
    return []


def _network(path: str, value: str, strict: bool) -> list[str]:
    try:
        ipaddress.IPv4Network(value, strict=strict)
    except ValueError:
        return [f"{path}: {show(value)} is not an IPv4 prefix (address/length{', host bits zero' if strict else ''})"]
    if "/" not in value:
        return [f"{path}: {show(value)} needs a prefix length (address/length)"]
    return []


def _host_problems(host: Host) -> list[str]:
    problems = []
    if not re.match(v.COMPUTER_NAME, host.name):
        problems.append(f"name: {show(host.name)} is not a computer name (1-15 letters, digits, '-')")
    if not host.domain:
        problems.append("domain: must not be empty")
    problems += _one_of("os", host.os, OS_PROFILES)
    problems += _one_of("listener_refresh", host.listener_refresh, v.LISTENER_REFRESH)
    problems += _one_of("power_plan", host.power_plan, v.POWER_PLANS)
    problems += _within("vmms_restarts", host.vmms_restarts, 0)
    for index, address in enumerate(host.listener_addresses):
        problems += _ipv4(f"listener_addresses[{index}]", address)
    return problems


def _migration_problems(host: Host) -> list[str]:
    m = host.migration
    problems = _one_of("migration.authentication_type", m.authentication_type, v.AUTHENTICATION_TYPES)
    problems += _within("migration.max_vm_migrations", m.max_vm_migrations, 1)
    problems += _within("migration.max_storage_migrations", m.max_storage_migrations, 1)
    profile = OS_PROFILES.get(host.os)
    if profile is not None and not profile.has_migration_performance_option:
        if m.performance_option is not None:
            problems.append(f"migration.performance_option: Windows Server {profile.key} has no migration "
                            "performance option (use null)")
    elif profile is not None:
        problems += _one_of("migration.performance_option", m.performance_option, v.PERFORMANCE_OPTIONS)
    for index, network in enumerate(m.networks):
        path = f"migration.networks[{index}]"
        problems += _network(f"{path}.subnet", network.subnet, strict=False)
        problems += _within(f"{path}.priority", network.priority, 0)
    return problems


def _adapter_problems(a: NetAdapter, path: str) -> list[str]:
    problems = _one_of(f"{path}.status", a.status, v.ADAPTER_STATUSES)
    problems += _one_of(f"{path}.netbios_setting", a.netbios_setting, v.NETBIOS_SETTINGS)
    if not re.match(v.MAC_ADDRESS, a.mac_address):
        problems.append(f"{path}.mac_address: {show(a.mac_address)} is not a MAC address like 00-1A-4B-00-00-01")
    problems += _within(f"{path}.if_index", a.if_index, 1)
    if not a.jumbo_valid_values:
        problems.append(f"{path}.jumbo_valid_values: must not be empty")
    problems += _one_of(f"{path}.jumbo_packet", a.jumbo_packet, a.jumbo_valid_values or [1514])
    problems += _within(f"{path}.interface_metric", a.interface_metric, *v.INTERFACE_METRIC)
    for component in a.bindings:
        problems += _one_of(f"{path}.bindings", component, v.BINDING_COMPONENTS)
    for index, ip in enumerate(a.ipv4_addresses):
        ip_path = f"{path}.ipv4_addresses[{index}]"
        problems += _ipv4(f"{ip_path}.ip_address", ip.ip_address)
        problems += _within(f"{ip_path}.prefix_length", ip.prefix_length, *v.PREFIX_LENGTH)
        problems += _one_of(f"{ip_path}.prefix_origin", ip.prefix_origin, v.PREFIX_ORIGINS)
    for index, route in enumerate(a.routes):
        route_path = f"{path}.routes[{index}]"
        problems += _network(f"{route_path}.destination_prefix", route.destination_prefix, strict=True)
        problems += _ipv4(f"{route_path}.next_hop", route.next_hop)
        problems += _within(f"{route_path}.route_metric", route.route_metric, *v.ROUTE_METRIC)
    for index, server in enumerate(a.dns_servers):
        problems += _ipv4(f"{path}.dns_servers[{index}]", server)
    return problems


def _unique_problems(host: Host) -> list[str]:
    """Adapter names (any case), ifIndexes, MACs and IPv4 addresses are unique on a host."""
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for index, a in enumerate(host.adapters):
        path = item_path("adapters", index, a)
        keys = [(f"adapters[{index}].name", "name", a.name, a.name.lower()),
                (f"{path}.if_index", "if_index", a.if_index, str(a.if_index)),
                (f"{path}.mac_address", "mac", a.mac_address, a.mac_address.upper())]
        keys += [(f"{path}.ipv4_addresses[{i}].ip_address", "ip", ip.ip_address, ip.ip_address)
                 for i, ip in enumerate(a.ipv4_addresses)]
        for where, kind, shown, normal in keys:
            if (kind, normal) in seen:
                problems.append(f"{where}: {show(shown)} is already used by {seen[kind, normal]}")
            else:
                seen[kind, normal] = where.rsplit(".", 1)[0] if kind != "ip" else where
    return problems


def _vm_problems(vm: VirtualMachine, path: str) -> list[str]:
    problems = []
    if not vm.name or len(vm.name) > v.VM_NAME_LENGTH:
        problems.append(f"{path}.name: {show(vm.name)} is not a VM name (1-{v.VM_NAME_LENGTH} characters)")
    if not re.match(v.VM_ID, vm.id):
        problems.append(f"{path}.id: {show(vm.id)} is not a VM Id like 0f8fad5b-d9cb-469f-a165-70867728950e")
    problems += _one_of(f"{path}.state", vm.state, v.VM_STATES)
    problems += _one_of(f"{path}.generation", vm.generation, v.VM_GENERATIONS)
    if vm.memory_startup_bytes < v.VM_MEMORY_MINIMUM or vm.memory_startup_bytes % v.VM_MEMORY_STEP:
        problems.append(f"{path}.memory_startup_bytes: {vm.memory_startup_bytes} is not a startup memory; valid: "
                        f"{v.VM_MEMORY_MINIMUM} or more, a multiple of {v.VM_MEMORY_STEP}")
    for index, vhd in enumerate(vm.vhd_paths):
        if not vhd:
            problems.append(f"{path}.vhd_paths[{index}]: must not be empty")
    return problems


def _unique_vm_problems(host: Host) -> list[str]:
    """VM names (any case; the lab's ops address VMs by name) and Ids are unique on a host."""
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for index, vm in enumerate(host.vms):
        for kind, shown, normal in (("name", vm.name, vm.name.lower()), ("id", vm.id, vm.id.lower())):
            where = f"vms[{index}].{kind}"
            if (kind, normal) in seen:
                problems.append(f"{where}: {show(shown)} is already used by {seen[kind, normal]}")
            else:
                seen[kind, normal] = item_path("vms", index, vm)
    return problems
