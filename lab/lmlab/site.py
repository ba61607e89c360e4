"""The site file: which hosts and switches the lab runs and how they are cabled.

A site file is YAML::

    domain: holding.com          # AD domain (DNS name)
    netbios_domain: HOLDING      # default: the domain's first label, upper case (at most 15)
    hosts:
      - {name: KOM-AD01-VM01, os: 2012r2}
      - {name: KOM-AD01-VM02, os: 2012r2, listener_refresh: on-vmms-restart}
    switches:
      - {name: KOM-SW01, platform: c3560g}
    cabling:
      - {host: KOM-AD01-VM01, adapter: Ethernet 2, switch: KOM-SW01, port: GigabitEthernet0/1}

Every host gets the field guide's DL380 G5 port layout (see :func:`dl380g5_adapters`) unless the
site file lists ``adapters`` itself. The default site is the field guide's reference site.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import yaml

from .hosts.model import DEFAULT_BINDINGS, Host, IPv4Address, NetAdapter, Route, VirtualMachine, build_dataclass
from .hosts.osprofiles import os_profile
from .typed import InvalidValue, convert

SWITCH_PLATFORMS = ("c3560g", "c9300")
LISTENER_REFRESH = ("immediate", "on-vmms-restart")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,14}$")  # NetBIOS computer name rules
_NETBIOS = re.compile(r"^[A-Z][A-Z0-9-]{0,14}$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_TOP_KEYS = ("domain", "netbios_domain", "hosts", "switches", "cabling")


@dataclass(frozen=True)
class Cable:
    """A host port patched to a switch port."""

    host: str
    adapter: str
    switch: str
    port: str


@dataclass
class HostSpec:
    """One host line of the site file."""

    name: str
    os: str = "2012r2"
    listener_refresh: str = "immediate"
    adapters: list[dict[str, Any]] | None = None


@dataclass
class SwitchSpec:
    """One switch line of the site file."""

    name: str
    platform: str = "c3560g"


@dataclass
class Site:
    """The whole lab topology."""

    domain: str = "holding.com"
    netbios_domain: str = "HOLDING"
    hosts: list[HostSpec] = field(default_factory=list)
    switches: list[SwitchSpec] = field(default_factory=list)
    cabling: list[Cable] = field(default_factory=list)

    def initial_host(self, index: int) -> Host:
        """The state a host starts from on first `lmlab up` (index counts from 0)."""
        spec = self.hosts[index]
        profile = os_profile(spec.os)
        adapters = (
            [build_dataclass(NetAdapter, a) for a in spec.adapters] if spec.adapters else dl380g5_adapters(index)
        )
        host = Host(name=spec.name, domain=self.domain, os=profile.key, adapters=adapters,
                    listener_refresh=spec.listener_refresh, vms=[user_vm(index, profile.vm_versions[-1])])
        host.migration.performance_option = profile.default_performance_option
        return host


def user_vm(index: int, version: str) -> VirtualMachine:
    """The user VM every host starts with (``APP-01`` on the first host): Running, no Notes, at the
    host's newest configuration ``version``, so tests can prove that lm-provider never touches VMs it
    did not create."""
    name = f"APP-{index + 1:02d}"
    return VirtualMachine(name, str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.vm.lmlab")), notes="", state="Running",
                          memory_startup_bytes=2 * 1024**3, vhd_paths=[f"C:\\Hyper-V\\{name}\\{name}.vhdx"],
                          version=version)


def dl380g5_adapters(index: int) -> list[NetAdapter]:
    """The reference site's four 1 GbE ports, numbered for host ``index`` (0-based).

    Port 1 NC373i: backup, static. Port 2 NC373i: the future LM port, still on DHCP with an APIPA
    address. Port 3 NC360T: management, the only default gateway. Port 4 NC360T: VM traffic,
    bound only to the Hyper-V switch (no IP stack).
    """
    octet = 60 + index % 190
    third = index // 190

    def mac(port: int) -> str:
        return f"00-1A-4B-{index >> 8 & 0xFF:02X}-{index & 0xFF:02X}-{port:02X}"

    nc373i = "HP NC373i Multifunction Gigabit Server Adapter"
    nc360t = "HP NC360T PCIe DP Gigabit Server Adapter"
    backup = NetAdapter("Ethernet", nc373i, mac(1), 12, dhcp=False,
                        ipv4_addresses=[IPv4Address(f"10.160.{34 + 8 * third}.{octet}", 24)])
    lm = NetAdapter("Ethernet 2", f"{nc373i} #2", mac(2), 13,
                    ipv4_addresses=[IPv4Address(f"169.254.{index % 250 + 1}.{octet}", 16, "WellKnown")])
    mgmt = NetAdapter("Ethernet 3", nc360t, mac(3), 14, dhcp=False, interface_metric=10,
                      ipv4_addresses=[IPv4Address(f"10.160.{33 + 8 * third}.{octet}", 24)],
                      routes=[Route("0.0.0.0/0", f"10.160.{33 + 8 * third}.1")],
                      dns_servers=["10.160.33.10", "10.160.33.11"])
    vm = NetAdapter("Ethernet 4", f"{nc360t} #2", mac(4), 15, dhcp=False,
                    bindings={c: False for c in DEFAULT_BINDINGS}, register_this_connections_address=False)
    return [backup, lm, mgmt, vm]


def reference_site() -> Site:
    """The field guide's site: two DL380 G5 hosts on 2012 R2, one Catalyst 3560G."""
    return generated_site(2)


def generated_site(host_count: int, os: str = "2012r2") -> Site:
    """A site of ``host_count`` DL380 G5 hosts, LM and management ports cabled to 3560Gs (24 ports each)."""
    if not 1 <= host_count <= 500:
        raise ValueError(f"host count {host_count} is out of range; allowed 1-500")
    hosts = [HostSpec(f"KOM-AD01-VM{i + 1:02d}", os) for i in range(host_count)]
    switches = [SwitchSpec(f"KOM-SW{s + 1:02d}") for s in range((2 * host_count + 23) // 24)]
    cabling = []
    for i, spec in enumerate(hosts):
        for offset, adapter in ((0, "Ethernet 2"), (host_count, "Ethernet 3")):
            slot = i + offset
            cabling.append(Cable(spec.name, adapter, switches[slot // 24].name, f"GigabitEthernet0/{slot % 24 + 1}"))
    return Site(hosts=hosts, switches=switches, cabling=cabling)


def load_site(text: str, source: str = "site file") -> Site:
    """Parse and validate a site file; errors are one line naming ``source`` and the offending entry."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidValue(f"{source}{where}: not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InvalidValue(f"{source}: not valid YAML: {exc}") from None
    try:
        site = _site_from(data)
        validate_site(site)
    except ValueError as exc:
        raise InvalidValue(f"{source}: {str(exc).removeprefix('site file: ')}") from None
    return site


def _site_from(data: Any) -> Site:
    if not isinstance(data, dict):
        raise InvalidValue(f"expected a mapping at the top level with keys {', '.join(_TOP_KEYS)}")
    unknown = set(data) - set(_TOP_KEYS)
    if unknown:
        raise InvalidValue(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; allowed: {', '.join(_TOP_KEYS)}")
    domain = convert(data.get("domain", "holding.com"), str, "domain").lower()
    default_netbios = domain.split(".")[0][:15].upper()
    return Site(
        domain=domain,
        netbios_domain=convert(data.get("netbios_domain", default_netbios), str, "netbios_domain").upper(),
        hosts=convert(data.get("hosts") or [], list[HostSpec], "hosts"),
        switches=convert(data.get("switches") or [], list[SwitchSpec], "switches"),
        cabling=convert(data.get("cabling") or [], list[Cable], "cabling"),
    )


def dump_site(site: Site) -> str:
    """The site as YAML (what `lmlab up` stores in the lab directory)."""
    data: dict[str, Any] = {
        "domain": site.domain,
        "netbios_domain": site.netbios_domain,
        "hosts": [{k: v for k, v in vars(h).items() if v is not None} for h in site.hosts],
        "switches": [vars(s) for s in site.switches],
        "cabling": [vars(c) for c in site.cabling],
    }
    return yaml.safe_dump(data, sort_keys=False)


def validate_site(site: Site) -> None:
    """Raise ValueError for names, OS keys, platforms or cables that make no sense."""
    if not _DOMAIN.match(site.domain):
        raise InvalidValue(f"domain: {site.domain!r} is not a DNS domain; allowed: labels of letters, digits "
                           "and '-', joined by dots, at least two (e.g. holding.com)")
    if not _NETBIOS.match(site.netbios_domain):
        raise InvalidValue(f"netbios_domain: {site.netbios_domain!r} is not a NetBIOS domain name; allowed: "
                           "1-15 letters, digits or '-', starting with a letter")
    if not site.hosts:
        raise InvalidValue("hosts: at least one host is required")
    names = [h.name for h in site.hosts]
    for index, spec in enumerate(site.hosts):
        if not _NAME.match(spec.name):
            raise InvalidValue(f"hosts.{index}.name: {spec.name!r} is not a valid computer name; allowed: 1-15 "
                               "letters, digits or '-'")
        try:
            os_profile(spec.os)
        except ValueError as exc:
            raise InvalidValue(f"hosts.{index}.os: {exc}") from None
        if spec.listener_refresh not in LISTENER_REFRESH:
            raise InvalidValue(f"hosts.{index}.listener_refresh: {spec.listener_refresh!r} is not allowed; "
                               f"allowed: {', '.join(LISTENER_REFRESH)}")
    if len({n.upper() for n in names}) != len(names):
        raise InvalidValue("hosts: host names must be unique (regardless of case)")
    switch_names = {s.name for s in site.switches}
    for index, sw in enumerate(site.switches):
        if not _NAME.match(sw.name):
            raise InvalidValue(f"switches.{index}.name: {sw.name!r} is not a valid switch name; allowed: 1-15 "
                               "letters, digits or '-'")
        if sw.platform not in SWITCH_PLATFORMS:
            raise InvalidValue(f"switches.{index}.platform: {sw.platform!r}: platform must be one of "
                               f"{', '.join(SWITCH_PLATFORMS)}")
    seen = set()
    for index, cable in enumerate(site.cabling):
        if cable.host not in names:
            raise InvalidValue(f"cabling.{index}.host: {cable.host!r} is not a host of this site")
        if cable.switch not in switch_names:
            raise InvalidValue(f"cabling.{index}.switch: {cable.switch!r} is not a switch of this site")
        if (cable.switch, cable.port) in seen:
            raise InvalidValue(f"cabling.{index}: switch port {cable.switch} {cable.port} is cabled twice")
        seen.add((cable.switch, cable.port))
