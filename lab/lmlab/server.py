"""The lab process: every simulated device of a site, plus the control API, in one process.

`lmlab up` starts ``lmlab serve`` in the background and waits until it reports ready;
`lmlab down` sends SIGTERM. Device state is loaded from, and saved to, the lab directory.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import threading
from typing import Any

from .accounts import Accounts
from .ad import AdSeed, AdUnavailable, SambaDC, check_available
from .control import ControlHandler
from .device import DeviceRuntime
from .hosts.model import Host
from .hosts.runtime import KIND as HOST_KIND
from .hosts.runtime import HostRuntime
from .knobs import Knobs
from .labdir import LabDir
from .netserver import Acceptor
from .store import StateStore
from .switches.model import Switch
from .switches.runtime import KIND as SWITCH_KIND
from .switches.runtime import SwitchRuntime
from .tls import LabCA


class LabServer:
    """Builds and runs the devices of one lab directory."""

    def __init__(self, labdir: LabDir, with_ad: bool = True) -> None:
        self.labdir = labdir
        self.with_ad = with_ad
        self.site = labdir.site()
        secrets = labdir.secrets()
        self.control_token: str = secrets["control_token"]
        self.switch_username: str = secrets["switch"]["username"]
        winrm = secrets["winrm"]
        self.winrm_username = f"{self.site.netbios_domain}\\{winrm['username']}"
        self.accounts = Accounts(self.site.netbios_domain, self.site.domain, {winrm["username"]: winrm["password"]})
        self.store = StateStore(labdir.state_dir)
        self.ca = LabCA(labdir.tls_dir)
        self.acceptor = Acceptor()
        knobs = labdir.read_json(labdir.knobs_file, {})
        self.hosts: dict[str, HostRuntime] = {}
        for index, spec in enumerate(self.site.hosts):
            saved = self.store.load(HOST_KIND, spec.name)
            host = Host.from_dict(saved) if saved else self.site.initial_host(index)
            if saved is None:
                self.store.save(HOST_KIND, host.name, host.to_dict())
            self.hosts[spec.name] = HostRuntime(host, self.store, self.accounts, Knobs(**knobs.get(spec.name, {})))
        self.switches: dict[str, SwitchRuntime] = {}
        for spec in self.site.switches:
            saved = self.store.load(SWITCH_KIND, spec.name)
            switch = Switch.from_dict(saved) if saved else Switch.new(spec.name, spec.platform)
            self.switches[spec.name] = SwitchRuntime(switch, self.store, secrets["switch"],
                                                     labdir.ssh_dir / f"{spec.name}.key", Knobs(**knobs.get(spec.name, {})))
        self.loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self.loop.run_forever, name="lmlab-ssh", daemon=True)
        self.control_port = 0
        self.dc = SambaDC(labdir.samba_dir, self.site.domain, self.site.netbios_domain, secrets["ad"])
        self.ad_status: dict[str, Any] = {"unavailable": "not started (lmlab up --no-ad)"}
        self._stopped = threading.Event()

    def _tls_context(self) -> ssl.SSLContext:
        names = ["localhost"] + [n for h in self.hosts.values() for n in (h.host.name, h.host.fqdn)]
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
            for name, runtime in self.hosts.items():
                saved = ports["hosts"].get(name, {})
                runtime.listen(self.acceptor, context, saved.get("http", 0), saved.get("https", 0))
                ports["hosts"][name] = {"http": runtime.http_port, "https": runtime.https_port}
            self._loop_thread.start()
            for name, sw in self.switches.items():
                saved_port = ports.setdefault("switches", {}).get(name, 0)
                asyncio.run_coroutine_threadsafe(sw.listen(saved_port), self.loop).result()
                ports["switches"][name] = sw.port
            handler = type("BoundControlHandler", (ControlHandler,), {"lab": self})
            self.control_port = self.acceptor.listen(ports.get("control", 0), lambda c, p: handler(c, p, None))
        except OSError as exc:
            self.acceptor.stop()
            raise RuntimeError(f"cannot bind a lab port ({exc}); free it, or delete {self.labdir.ports_file} "
                               "to let the lab pick new ports") from None
        ports["control"] = self.control_port
        self.labdir.write_json(self.labdir.ports_file, ports)
        (self.labdir.ssh_dir / "known_hosts").write_text("".join(sw.public_key_line() + "\n" for sw in self.switches.values()))
        self.acceptor.start()
        if self.with_ad:
            self._start_ad()
        endpoints = self.endpoints()
        self.labdir.write_json(self.labdir.endpoints_file, endpoints)
        return endpoints

    def _start_ad(self) -> None:
        """Provision (first time), start and seed the DC; when it cannot run, say why and go on."""
        try:
            check_available()
            self.dc.provision()
            self.dc.start(self.labdir.root / "samba.log")
            self.dc.seed(AdSeed(hosts=[h.name for h in self.site.hosts]))
            self.ad_status = self.dc.endpoints()
        except AdUnavailable as exc:
            self.dc.stop()
            self.ad_status = {"unavailable": str(exc)}
        except BaseException:
            self.dc.stop()  # never leave samba running (and holding 88/389/636) after the lab dies
            raise

    def endpoints(self) -> dict[str, Any]:
        """What clients need to reach the lab (no passwords: those stay in secrets.json)."""
        return {
            "pid": os.getpid(),
            "control_port": self.control_port,
            "ca_file": str(self.ca.cert_path),
            "domain": self.site.domain,
            "winrm_username": self.winrm_username,
            "ad": self.ad_status,
            "known_hosts": str(self.labdir.ssh_dir / "known_hosts"),
            "switches": {
                name: {"host": "127.0.0.1", "port": sw.port, "platform": sw.switch.platform,
                       "username": self.switch_username}
                for name, sw in self.switches.items()
            },
            "hosts": {
                name: {"fqdn": rt.host.fqdn, "os": rt.host.os,
                       "winrm_http": rt.endpoint_url(False), "winrm_https": rt.endpoint_url(True)}
                for name, rt in self.hosts.items()
            },
        }

    def wait(self) -> None:
        """Block until :meth:`stop` is called (from a signal handler)."""
        self._stopped.wait()

    def stop(self) -> None:
        """Close every listener and connection; remove endpoints.json."""
        self.acceptor.stop()
        if self._loop_thread.is_alive():
            for sw in self.switches.values():
                asyncio.run_coroutine_threadsafe(sw.close(), self.loop).result()
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._loop_thread.join()
        self.dc.stop()
        self.labdir.endpoints_file.unlink(missing_ok=True)
        self._stopped.set()

    def _device(self, name: str) -> DeviceRuntime:
        runtimes: list[DeviceRuntime] = [*self.hosts.values(), *self.switches.values()]
        for runtime in runtimes:
            if runtime.name.lower() == name.lower():
                return runtime
        raise KeyError(f"device {name}")

    def _persist_knobs(self) -> None:
        """knobs.json = every device whose knobs differ from the defaults."""
        runtimes: list[DeviceRuntime] = [*self.hosts.values(), *self.switches.values()]
        self.labdir.write_json(self.labdir.knobs_file,
                               {rt.name: rt.knobs.to_dict() for rt in runtimes if rt.knobs != Knobs()})

    def control(self, method: str, parts: list[str], body: dict[str, Any]) -> Any:
        """Serve one control-API route (see control.py); KeyError = 404, ValueError = 400."""
        route = (method, parts[0] if parts else "", len(parts))
        if route == ("GET", "status", 1):
            status = self.endpoints()
            for name, rt in self.hosts.items():
                status["hosts"][name]["open_shells"] = rt.winrs.shell_count()
                status["hosts"][name]["knobs"] = rt.knobs.to_dict()
            for name, sw in self.switches.items():
                status["switches"][name]["sessions"] = sw.sessions
                status["switches"][name]["knobs"] = sw.knobs.to_dict()
            return status
        if route == ("POST", "reset", 1):
            for index, spec in enumerate(self.site.hosts):
                self.hosts[spec.name].mutate(self.site.initial_host(index).to_dict())
            for spec in self.site.switches:
                self.switches[spec.name].mutate(Switch.new(spec.name, spec.platform).to_dict())
            for runtime in [*self.hosts.values(), *self.switches.values()]:
                runtime.set_knobs(Knobs().to_dict())
            self._persist_knobs()
            return {"reset": [*self.hosts, *self.switches]}
        if parts and parts[0] == "devices" and len(parts) >= 2:
            runtime = self._device(parts[1])
            action = parts[2] if len(parts) > 2 else ""
            if (method, action) == ("GET", ""):
                return runtime.model()
            if (method, action) == ("PUT", ""):
                if body.get("name") != runtime.name:
                    raise ValueError("a device's name cannot change")
                runtime.mutate(body)
                return runtime.model()
            if (method, action) == ("POST", "knobs"):
                runtime.set_knobs(body)
                self._persist_knobs()
                return runtime.knobs.to_dict()
            if (method, action) == ("POST", "restart-vmms") and isinstance(runtime, HostRuntime):
                runtime.restart_vmms()
                return runtime.model()
        raise KeyError("/".join(parts))
