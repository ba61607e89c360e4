"""A site of the tests' lab for ``lm-provider audit``: its site file (passwords in the environment),
running the real console script on it, the lab's changing invocations, and converging the site with
the resources' own logic in this process (what ``pulumi up`` of the fabric does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from labconfig import connector
from lm_provider.clients.directory import DirectoryClient
from lm_provider.clients.switch_pool import SwitchPool
from lm_provider.models.audit import migration_args, nic_args
from lm_provider.models.directory import directory_settings
from lm_provider.models.fabric import FabricHost, FabricPlan, FabricSwitch, plan_fabric
from lm_provider.models.hostsfile import HostsEntriesArgs
from lm_provider.models.kcd import KcdDelegationArgs
from lm_provider.models.switch import SwitchJumboMtuArgs
from lm_provider.models.switch_settings import SwitchConfig
from lm_provider.resources.audit import AuditConnections
from lm_provider.resources.hostsfile import HostsEntriesLogic
from lm_provider.resources.kcd import KcdDelegationLogic
from lm_provider.resources.migration import LiveMigrationSettingsLogic
from lm_provider.resources.nic import MigrationNicLogic
from lm_provider.resources.switch_mtu import SwitchJumboMtuLogic
from lm_provider.resources.switches import PooledSwitchConnector
from lm_provider.transports.ldap import LdapTransport
from lmlab.stackconfig import settings
from lmlab.testing import RunningLab
from switchlab import FAST, FAST_RELOAD, switch_config

SWITCH = "KOM-SW01"
ADDRESSES = {"KOM-AD01-VM01": "10.160.35.60", "KOM-AD01-VM02": "10.160.35.61", "LAB-2016": "10.160.35.62"}
PORTS = {"KOM-AD01-VM01": "GigabitEthernet0/1", "KOM-AD01-VM02": "GigabitEthernet0/2", "LAB-2016": "GigabitEthernet0/3"}
PASSWORD_VARIABLES = {"lm:winrmPassword": "LM_WINRM_PASSWORD", "lm:ldapPassword": "LM_LDAP_PASSWORD",
                      "lm:switchPassword": "LM_SWITCH_PASSWORD", "lm:switchEnableSecret": "LM_SWITCH_ENABLE_SECRET"}


def fabric_config(authentication: str) -> dict[str, Any]:
    """The ``lm-fabric:`` keys of the tests' site: the reference site's two hosts and LAB-2016 on KOM-SW01."""
    return {
        "lm-fabric:subnet": "10.160.35.0/24",
        "lm-fabric:hosts": [{"name": n, "fqdn": f"{n}.holding.com", "address": a, "adapterName": "Ethernet 2",
                             "switch": SWITCH, "port": PORTS[n]} for n, a in ADDRESSES.items()],
        "lm-fabric:switches": [{"name": SWITCH, "mtu": 9000, "reload": "if-needed"}],
        "lm-fabric:authentication": authentication,
    }


@dataclass
class AuditSite:
    """The site on a running lab: its site file, the passwords' environment, its plan."""

    lab: RunningLab
    file: Path
    config: dict[str, Any]
    """The ``lm-fabric:`` keys."""

    @classmethod
    def write(cls, lab: RunningLab, directory: Path, config: dict[str, Any]) -> AuditSite:
        """The site file (no password in it) for the fabric ``config`` on ``lab``."""
        keys = {s.key: s.value for s in settings(lab.endpoints, lab.dir.secrets()) if not s.secret}
        for key in ("lm:winrmEndpoints", "lm:switches"):
            keys[key] = json.loads(keys[key])
        path = directory / "site.yaml"
        path.write_text(yaml.safe_dump({"config": {**config, **keys}}, sort_keys=False))
        return cls(lab, path, config)

    @property
    def authentication(self) -> str:
        """The site's migration authentication."""
        return str(self.config["lm-fabric:authentication"])

    def env(self) -> dict[str, str]:
        """The environment with the lab's passwords in the LM_* variables."""
        secrets = {s.key: s.value for s in settings(self.lab.endpoints, self.lab.dir.secrets()) if s.secret}
        return {**os.environ, **{PASSWORD_VARIABLES[key]: value for key, value in secrets.items()}}

    def audit(self, *args: str) -> tuple[int, dict[str, Any], str]:
        """``lm-provider audit --site FILE --json -`` (the console script): exit code, JSON, stderr."""
        script = Path(sys.executable).parent / "lm-provider"
        result = subprocess.run([str(script), "audit", "--site", str(self.file), "--json", "-", *args],
                                env=self.env(), capture_output=True, text=True, timeout=300, check=False)
        assert "Traceback" not in result.stderr, result.stderr
        return result.returncode, json.loads(result.stdout) if result.stdout else {}, result.stderr

    def plan(self) -> FabricPlan:
        """The fabric the site describes."""
        hosts = [FabricHost(h["name"], h["fqdn"], h["address"], adapter_name=h["adapterName"], switch=h["switch"],
                            port=h["port"]) for h in self.config["lm-fabric:hosts"]]
        switches = [FabricSwitch(s["name"], s["mtu"], s["reload"]) for s in self.config["lm-fabric:switches"]]
        return plan_fabric("audit", self.config["lm-fabric:subnet"], hosts, switches, self.authentication)

    def connections(self) -> AuditConnections:
        """The audit's connections to the lab (fast switch backoff), for the Python API."""
        switch_keys = {key.removeprefix("lm:"): value for key, (value, _) in switch_config(self.lab).items()}
        switches = PooledSwitchConnector(SwitchConfig.from_config(switch_keys.get), SwitchPool(FAST, FAST_RELOAD))
        directory = None
        if self.authentication == "Kerberos":
            keys = {s.key.removeprefix("lm:"): s.value for s in settings(self.lab.endpoints, self.lab.dir.secrets())}
            ldap = directory_settings(keys.get)
            directory = DirectoryClient(LdapTransport(ldap), ldap.base_dn)
        return AuditConnections(connector(self.lab), switches, directory)

    def converge(self) -> None:
        """Build the site with the resources' logic, as ``pulumi up`` of the fabric would."""
        plan = self.plan()
        connections = self.connections()
        hosts = connections.hosts
        try:
            for children in plan.hosts:
                host = children.host
                MigrationNicLogic(hosts).create(nic_args(plan, host))
                LiveMigrationSettingsLogic(hosts).create(migration_args(plan, host))
                HostsEntriesLogic(hosts).create(HostsEntriesArgs(host=host.name, fqdn=host.fqdn,
                                                                 entries=children.entries))
                if connections.directory is not None:
                    KcdDelegationLogic(connections.directory).create(KcdDelegationArgs(host.name, children.peers))
            for switch in plan.switches:
                SwitchJumboMtuLogic(connections.switches).create(SwitchJumboMtuArgs(
                    switch.switch.name, switch.switch.mtu, switch.switch.platform, switch.switch.reload,
                    switch.interfaces))
        finally:
            connections.close()


def fresh_site(lab: RunningLab, directory: Path, authentication: str) -> Iterator[AuditSite]:
    """For a module fixture: the lab reset (its switch reloading in 0.3 s), the site; reset again after."""
    lab.control.call("POST", "/reset", {})
    lab.cli("drift", SWITCH, "reload_seconds=0.3")
    yield AuditSite.write(lab, directory, fabric_config(authentication))
    lab.control.call("POST", "/reset", {})


def changing_calls(lab: RunningLab) -> dict[str, dict[str, int]]:
    """Every device's changing invocations per op since the counts were last reset (zeros left out)."""
    status = lab.control.call("GET", "/status")
    devices = {**status["hosts"], **status["switches"]}
    return {name: {op: row["changing"] for op, row in device["calls"].items() if row["changing"]}
            for name, device in devices.items() if any(row["changing"] for row in device["calls"].values())}


def gaps(report: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(subject, requirement) -> status of every gap in a JSON report."""
    found: dict[tuple[str, str], str] = {}
    for kind, subject in (("hosts", lambda e: e["name"]), ("switches", lambda e: e["name"]),
                          ("pairs", lambda e: f"{e['source']} -> {e['destination']}")):
        for entry in report[kind]:
            for finding in entry["findings"]:
                if finding["status"] != "ok":
                    found[(subject(entry), finding["requirement"])] = finding["status"]
    return found
