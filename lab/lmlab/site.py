"""The site file: which hosts and switches the lab runs and how they are cabled.

A site file is YAML::

    domain: holding.com          # AD domain (DNS name)
    netbios_domain: HOLDING
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
from dataclasses import dataclass, field
from typing import Any

import yaml

from .hosts.model import DEFAULT_BINDINGS, Host, IPv4Address, NetAdapter, Route, build_dataclass
from .hosts.osprofiles import os_profile

SWITCH_PLATFORMS = ("c3560g", "c9300")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,14}$")  # NetBIOS computer name rules


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
                    listener_refresh=spec.listener_refresh)
        host.migration.performance_option = profile.default_performance_option
        return host


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
        raise ValueError("host_count must be between 1 and 500")
    hosts = [HostSpec(f"KOM-AD01-VM{i + 1:02d}", os) for i in range(host_count)]
    switches = [SwitchSpec(f"KOM-SW{s + 1:02d}") for s in range((2 * host_count + 23) // 24)]
    cabling = []
    for i, spec in enumerate(hosts):
        for offset, adapter in ((0, "Ethernet 2"), (host_count, "Ethernet 3")):
            slot = i + offset
            cabling.append(Cable(spec.name, adapter, switches[slot // 24].name, f"GigabitEthernet0/{slot % 24 + 1}"))
    return Site(hosts=hosts, switches=switches, cabling=cabling)


def load_site(text: str) -> Site:
    """Parse and validate a site file; errors name the offending entry."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError("site file: expected a mapping at the top level")
    unknown = set(data) - {"domain", "netbios_domain", "hosts", "switches", "cabling"}
    if unknown:
        raise ValueError(f"site file: unknown key(s) {', '.join(sorted(unknown))}")
    site = Site(
        domain=str(data.get("domain", "holding.com")),
        netbios_domain=str(data.get("netbios_domain", "HOLDING")),
        hosts=[HostSpec(**{**h, "os": str(h.get("os", "2012r2"))}) for h in data.get("hosts") or []],
        switches=[SwitchSpec(**s) for s in data.get("switches") or []],
        cabling=[Cable(**c) for c in data.get("cabling") or []],
    )
    validate_site(site)
    return site


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
    if not site.hosts:
        raise ValueError("site file: at least one host is required")
    names = [h.name for h in site.hosts]
    for spec in site.hosts:
        if not _NAME.match(spec.name):
            raise ValueError(f"site file: host name {spec.name!r} is not a valid computer name (1-15 letters, digits, '-')")
        os_profile(spec.os)
        if spec.listener_refresh not in ("immediate", "on-vmms-restart"):
            raise ValueError(f"site file: host {spec.name}: listener_refresh must be immediate or on-vmms-restart")
    if len({n.upper() for n in names}) != len(names):
        raise ValueError("site file: host names must be unique")
    switch_names = {s.name for s in site.switches}
    for sw in site.switches:
        if sw.platform not in SWITCH_PLATFORMS:
            raise ValueError(f"site file: switch {sw.name}: platform must be one of {', '.join(SWITCH_PLATFORMS)}")
    seen = set()
    for cable in site.cabling:
        if cable.host not in names or cable.switch not in switch_names:
            raise ValueError(f"site file: cable {cable}: unknown host or switch")
        if (cable.switch, cable.port) in seen:
            raise ValueError(f"site file: switch port {cable.switch} {cable.port} is cabled twice")
        seen.add((cable.switch, cable.port))
