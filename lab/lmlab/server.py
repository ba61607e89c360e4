"""The lab process: every simulated device of a site, plus the control API, in one process.

`lmlab up` starts ``lmlab serve`` in the background and waits until it reports ready;
`lmlab down` sends SIGTERM. Device state is loaded from, and saved to, the lab directory.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import ssl
import threading
from collections.abc import Callable
from typing import Any

from ldap3.core.exceptions import LDAPException

from .accounts import Accounts
from .ad import AdSeed, AdUnavailable, SambaDC, check_available
from .api import LabApi
from .control import connection_handler
from .directory import LabDirectory
from .fabric import LabFabric
from .hosts.model import Host, TicketCache
from .hosts.ops.context import OpContext
from .hosts.ops.kerberos import fresh_tickets
from .hosts.runtime import KIND as HOST_KIND
from .hosts.runtime import HostRuntime
from .knobs import Knobs
from .labdir import LabDir
from .netserver import Acceptor
from .peers import LabPeers
from .registry import Device, Registry
from .site import SwitchSpec
from .store import StateStore
from .switches.model import Switch
from .switches.runtime import KIND as SWITCH_KIND
from .switches.runtime import SwitchRuntime
from .tls import LabCA


def _validated_host(data: dict[str, Any]) -> Host:
    """A saved host, rebuilt and validated (a hand-edited state file must not serve impossible values)."""
    host = Host.from_dict(data)
    host.validate()
    return host


def _with_tickets(cache: TicketCache) -> Callable[[Host], None]:
    def edit(host: Host) -> None:
        host.ticket_cache = cache
    return edit


class LabServer:
    """Builds and runs the devices of one lab directory."""

    def __init__(self, labdir: LabDir, with_ad: bool = True) -> None:
        self.labdir = labdir
        self.with_ad = with_ad
        self.site = labdir.site()
        secrets = labdir.secrets()
        self.switch_username: str = secrets["switch"]["username"]
        winrm = secrets["winrm"]
        self.winrm_username = f"{self.site.netbios_domain}\\{winrm['username']}"
        self.accounts = Accounts(self.site.netbios_domain, self.site.domain, {winrm["username"]: winrm["password"]})
        self.store = StateStore(labdir.state_dir)
        self.ca = LabCA(labdir.tls_dir)
        self.acceptor = Acceptor()
        knobs = labdir.read_json(labdir.knobs_file, {})
        self.devices = Registry()
        for index in range(len(self.site.hosts)):
            self._add_host(index, Knobs(**knobs.get(self.site.hosts[index].name, {})))
        for spec in self.site.switches:
            self._add_switch(spec, secrets["switch"], Knobs(**knobs.get(spec.name, {})))
        self.context = OpContext(network=LabFabric(lambda: [h.host for h in self._hosts()], self._port_mtu,
                                                   self.site.cabling), peers=LabPeers(self._hosts))
        lab_lock = threading.RLock()
        for host_runtime in self._hosts():
            host_runtime.context = self.context
            host_runtime.lab_lock = lab_lock
        self.loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self.loop.run_forever, name="lmlab-ssh", daemon=True)
        self.control_port = 0
        self.dc = SambaDC(labdir.samba_dir, self.site.domain, self.site.netbios_domain, secrets["ad"])
        self.ad_seed = AdSeed(hosts=[h.name for h in self.site.hosts])
        self.ad_status: dict[str, Any] = {"unavailable": "not started (lmlab up --no-ad)"}
        self.api = LabApi(self.devices, labdir, secrets["control_token"], self.endpoints, self.reset_ad)
        self._stopped = threading.Event()

    def _saved(self, kind: str, name: str, build: Callable[[dict[str, Any]], Any]) -> Any:
        """The device's saved state, rebuilt (None if never saved); a state file that no longer
        validates stops the start with its path."""
        saved = self.store.load(kind, name)
        if saved is None:
            return None
        try:
            return build(saved)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"{self.store.path(kind, name)}: {exc}; delete the file to start {name} afresh") from None

    def _add_host(self, index: int, knobs: Knobs) -> None:
        host = self._saved(HOST_KIND, self.site.hosts[index].name, _validated_host) or self.site.initial_host(index)
        self.store.save(HOST_KIND, host.name, host.to_dict())
        runtime = HostRuntime(host, self.store, self.accounts, knobs)

        def endpoint() -> dict[str, Any]:
            return {"fqdn": runtime.host.fqdn, "os": runtime.host.os,
                    "winrm_http": runtime.endpoint_url(False), "winrm_https": runtime.endpoint_url(True)}
        self.devices.add(Device(HOST_KIND, runtime, lambda: self.site.initial_host(index).to_dict(), endpoint,
                                lambda: {"open_shells": runtime.winrs.shell_count()}))

    def _add_switch(self, spec: SwitchSpec, credentials: dict[str, str], knobs: Knobs) -> None:
        switch = self._saved(SWITCH_KIND, spec.name, Switch.from_dict) or Switch.new(spec.name, spec.platform)
        runtime = SwitchRuntime(switch, self.store, credentials, self.labdir.ssh_dir / f"{spec.name}.key", knobs)

        def endpoint() -> dict[str, Any]:
            return {"host": "127.0.0.1", "port": runtime.port, "platform": runtime.switch.platform,
                    "username": self.switch_username}
        self.devices.add(Device(SWITCH_KIND, runtime, lambda: Switch.new(spec.name, spec.platform).to_dict(), endpoint,
                                lambda: {"sessions": runtime.sessions}))

    def _hosts(self) -> list[HostRuntime]:
        return [d.runtime for d in self.devices.of_kind(HOST_KIND) if isinstance(d.runtime, HostRuntime)]

    def _switches(self) -> list[SwitchRuntime]:
        return [d.runtime for d in self.devices.of_kind(SWITCH_KIND) if isinstance(d.runtime, SwitchRuntime)]

    def _port_mtu(self, name: str) -> int | None:
        """A switch's operational port MTU; None while it reloads or when the site has no such switch."""
        for runtime in self._switches():
            if runtime.name.lower() == name.lower():
                with runtime.lock:
                    return None if runtime.switch.is_reloading() else runtime.switch.port_mtu
        return None

    def _tls_context(self) -> ssl.SSLContext:
        names = ["localhost"] + [n for h in self._hosts() for n in (h.host.name, h.host.fqdn)]
        cert, key = self.ca.server_cert("winrm", names)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert, key)
        return context

    def start(self) -> dict[str, Any]:
        """Bind every listener (reusing the ports of earlier runs) and write endpoints.json."""
        self.accounts.write_ntlm_user_file(self.labdir.ntlm_users)
        os.environ["NTLM_USER_FILE"] = str(self.labdir.ntlm_users)
        ports = self.labdir.read_json(self.labdir.ports_file, {"hosts": {}, "control": 0})
        context = self._tls_context()
        try:
            for host in self._hosts():
                saved = ports["hosts"].get(host.name, {})
                host.listen(self.acceptor, context, saved.get("http", 0), saved.get("https", 0))
                ports["hosts"][host.name] = {"http": host.http_port, "https": host.https_port}
            self._loop_thread.start()
            for sw in self._switches():
                saved_port = ports.setdefault("switches", {}).get(sw.name, 0)
                asyncio.run_coroutine_threadsafe(sw.listen(saved_port), self.loop).result()
                ports["switches"][sw.name] = sw.port
            self.control_port = self.acceptor.listen(ports.get("control", 0), connection_handler(self.api))
        except OSError as exc:
            self.acceptor.stop()
            raise RuntimeError(f"cannot bind a lab port ({exc}); free it, or delete {self.labdir.ports_file} "
                               "to let the lab pick new ports") from None
        ports["control"] = self.control_port
        self.labdir.write_json(self.labdir.ports_file, ports)
        known_hosts = "".join(sw.public_key_line() + "\n" for sw in self._switches())
        (self.labdir.ssh_dir / "known_hosts").write_text(known_hosts)
        self.acceptor.start()
        if self.with_ad:
            self._start_ad()
        self._set_directory(LabDirectory(self.dc) if self.dc.process is not None else None)
        self.snapshot_tickets()
        endpoints = self.endpoints()
        self.labdir.write_json(self.labdir.endpoints_file, endpoints)
        return endpoints

    def _start_ad(self) -> None:
        """Provision (first time), start and seed the DC; when it cannot run, say why and go on."""
        try:
            check_available()
            self.dc.provision()
            self.dc.start(self.labdir.root / "samba.log")
            self.dc.set_admin_password()
            self.dc.seed(self.ad_seed)
            self.ad_status = self.dc.endpoints()
        except (AdUnavailable, LDAPException) as exc:
            self.dc.stop()
            self.ad_status = {"unavailable": str(exc) if isinstance(exc, AdUnavailable)
                              else f"the DC did not answer as expected ({type(exc).__name__}: {exc})"}
        except BaseException:
            self.dc.stop()  # never leave samba running (and holding 88/389/636) after the lab dies
            raise

    def reset_ad(self) -> str:
        """Re-seed the DC's objects (`lmlab reset`), then the hosts boot: each ticket cache is the DC's
        view of its account; what happened to the DC, in words."""
        if self.dc.process is None:
            return "not running"
        self.dc.reset(self.ad_seed)
        self.snapshot_tickets()
        return "re-seeded"

    def _set_directory(self, directory: LabDirectory | None) -> None:
        self.context = dataclasses.replace(self.context, directory=directory)
        for host_runtime in self._hosts():
            host_runtime.context = self.context

    def snapshot_tickets(self) -> None:
        """A boot of every host (`lmlab up`, `lmlab reset`): its ticket cache becomes the DC's current view
        of its computer account; empty without an AD DC (or an account)."""
        caches = fresh_tickets(self.context.directory, [h.name for h in self._hosts()])
        for host_runtime in self._hosts():
            host_runtime.change(_with_tickets(caches[host_runtime.name.upper()]))

    def endpoints(self) -> dict[str, Any]:
        """What clients need to reach the lab (no passwords: those stay in secrets.json)."""
        endpoints: dict[str, Any] = {
            "pid": os.getpid(),
            "control_port": self.control_port,
            "ca_file": str(self.ca.cert_path),
            "domain": self.site.domain,
            "winrm_username": self.winrm_username,
            "with_ad": self.with_ad,
            "ad": self.ad_status,
            "known_hosts": str(self.labdir.ssh_dir / "known_hosts"),
            HOST_KIND: {},
            SWITCH_KIND: {},
        }
        for device in self.devices:
            endpoints[device.kind][device.name] = device.endpoint()
        return endpoints

    def wait(self) -> None:
        """Block until :meth:`stop` is called (from a signal handler)."""
        self._stopped.wait()

    def stop(self) -> None:
        """Close every listener and connection; remove endpoints.json."""
        self.acceptor.stop()
        if self._loop_thread.is_alive():
            for sw in self._switches():
                asyncio.run_coroutine_threadsafe(sw.close(), self.loop).result()
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._loop_thread.join()
        self.dc.stop()
        self.labdir.endpoints_file.unlink(missing_ok=True)
        self._stopped.set()
