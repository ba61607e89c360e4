"""Benchmark KcdDelegation against the lab's Samba DC: LDAP operations and time per create / read /
update / delete for one host with 63 peers, and a whole 64-host mesh.

    flock /tmp/samba-dc.lock .venv/bin/python bench/kcd_mesh.py [--hosts 64] [--repeat 20]

Starts its own lab (with the AD DC, so wrap it in the DC lock) in a temp directory, drives the
resource logic directly (no Pulumi engine) and prints JSON. Times are medians over ``--repeat``
runs on a warm connection, plus the first create on a cold one (TLS handshake and bind included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lm_provider.clients.directory import DirectoryClient
from lm_provider.models.directory import DirectoryServer, DirectorySettings
from lm_provider.models.kcd import KcdDelegationArgs
from lm_provider.resources.kcd import KcdDelegationLogic, get_hyperv_hosts
from lm_provider.transports.ldap import LdapTransport
from lmlab.testing import RunningLab


def measure(transport: LdapTransport, action: Callable[[], Any]) -> tuple[Any, dict[str, int], float]:
    """Run ``action``; its result, the LDAP operations it sent and its duration in ms."""
    before = dict(transport.operations)
    start = time.perf_counter()
    result = action()
    elapsed = (time.perf_counter() - start) * 1000
    ops = {k: v - before.get(k, 0) for k, v in transport.operations.items() if v - before.get(k, 0)}
    return result, ops, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lab = RunningLab(Path(tmp)).up("--hosts", str(options.hosts))
        try:
            ad = {**lab.endpoints["ad"], **lab.dir.secrets()["ad"]}
            settings = DirectorySettings([DirectoryServer("127.0.0.1", 636)], ad["admin_user"], ad["admin_password"],
                                         ca_file=ad["ca_file"], tls_name=ad["tls_name"])
            transport = LdapTransport(settings)
            logic = KcdDelegationLogic(DirectoryClient(transport))
            hosts, discover_ops, discover_ms = measure(
                transport, lambda: get_hyperv_hosts(logic.directory, ad["hosts_ou"], "KOM-AD01-VM*"))
            peers = [h.as_peer() for h in hosts[1:]]
            args = KcdDelegationArgs(hosts[0].name, peers)
            fewer = KcdDelegationArgs(hosts[0].name, peers[:-1])
            results: dict[str, Any] = {"hosts": len(hosts), "peers": len(peers), "values": len(peers) * 4,
                                       "discovery": {"ops": discover_ops, "ms": round(discover_ms, 1)}}

            def median(name: str, action: Callable[[], Any], undo: Callable[[Any], None] | None = None) -> None:
                samples: list[float] = []
                ops: dict[str, int] = {}
                for _ in range(options.repeat):
                    result, ops, elapsed = measure(transport, action)
                    samples.append(elapsed)
                    if undo:
                        undo(result)
                results[name] = {"ops": ops, "median_ms": round(statistics.median(samples), 1)}

            cold = KcdDelegationLogic(DirectoryClient(LdapTransport(settings)))
            created, ops, elapsed = measure(cold.directory.transport, lambda: cold.create(args))
            results["create_cold_connection"] = {"ops": ops, "ms": round(elapsed, 1)}
            cold.delete(created.id, created.state)
            median("create", lambda: logic.create(args), lambda c: logic.delete(c.id, c.state))
            created = logic.create(args)
            median("read", lambda: logic.read(created.id, created.state))
            median("update_no_change", lambda: logic.update(created.id, created.state, args))
            current = {"state": created.state}

            def add_back(smaller: Any) -> None:
                current["state"] = logic.update(created.id, smaller, args)

            median("update_remove_one_peer", lambda: logic.update(created.id, current["state"], fewer), add_back)
            state = current["state"]
            _, ops, elapsed = measure(transport, lambda: logic.delete(created.id, state))
            results["delete"] = {"ops": ops, "ms": round(elapsed, 1)}

            def mesh() -> list[Any]:
                return [logic.create(KcdDelegationArgs(h.name, [p.as_peer() for p in hosts if p != h])) for h in hosts]

            states, ops, elapsed = measure(transport, mesh)
            results["mesh_create_sequential"] = {"ops": ops, "s": round(elapsed / 1000, 2)}
            _, ops, elapsed = measure(transport, lambda: [logic.read(c.id, c.state) for c in states])
            results["mesh_read_sequential"] = {"ops": ops, "s": round(elapsed / 1000, 2)}
            for created_one in states:
                logic.delete(created_one.id, created_one.state)
            print(json.dumps(results, indent=2))
        finally:
            lab.down()


if __name__ == "__main__":
    main()
