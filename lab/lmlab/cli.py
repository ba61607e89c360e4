"""``lmlab``: start, stop, inspect and disturb the lab.

    lmlab up [--site FILE | --hosts N]   start the lab in the background (idempotent)
    lmlab down                           stop it (state stays in the lab directory)
    lmlab status [--json]                endpoints and open sessions
    lmlab show DEVICE                    a host's or switch's whole model (JSON)
    lmlab drift DEVICE PATH=VALUE ...    change a device behind Pulumi's back
    lmlab knob DEVICE KEY=VALUE ...      latency / fault knobs
    lmlab reset                          every device back to the site's initial state
    lmlab serve                          run in the foreground (what `up` starts)

The lab directory is ``--lab-dir``, else ``$LMLAB_DIR``, else ``~/.cache/lmlab``.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import drift
from .control import ControlClient, ControlError
from .labdir import LabDir, default_lab_dir
from .site import dump_site, generated_site

STOP_TIMEOUT = 30.0


def _running_pid(lab: LabDir) -> int | None:
    """The lab process id if one is alive for this directory."""
    try:
        pid = int(lab.pid_file.read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    return pid


def _client(lab: LabDir) -> ControlClient:
    endpoints = lab.read_json(lab.endpoints_file, None)
    if endpoints is None or _running_pid(lab) is None:
        raise ControlError(f"the lab in {lab.root} is not running; start it with `lmlab up`")
    return ControlClient(endpoints["control_port"], lab.secrets()["control_token"])


def cmd_up(lab: LabDir, args: argparse.Namespace) -> int:
    """Start ``lmlab serve`` detached and wait for its ready report on a pipe."""
    site_text = None
    if args.site:
        site_text = Path(args.site).read_text(encoding="utf-8")
    elif args.hosts:
        site_text = dump_site(generated_site(args.hosts))
    if _running_pid(lab) is not None:
        if site_text is not None:
            print("lmlab: the lab is running; `lmlab down` before changing its site", file=sys.stderr)
            return 1
        return cmd_status(lab, args)
    lab.init(site_text)
    read_fd, write_fd = os.pipe()
    with open(lab.log_file, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lmlab", "--lab-dir", str(lab.root), "serve", "--ready-fd", str(write_fd)]
            + (["--no-ad"] if args.no_ad else []),
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=(write_fd,), start_new_session=True)
    os.close(write_fd)
    with os.fdopen(read_fd, "r") as ready:
        report = ready.read().strip()
    if report != "ready":
        proc.wait()
        print(f"lmlab: the lab did not start: {report or 'see ' + str(lab.log_file)}", file=sys.stderr)
        return 1
    return cmd_status(lab, args)


def cmd_serve(lab: LabDir, args: argparse.Namespace) -> int:
    """Run the lab in the foreground until SIGTERM/SIGINT."""
    from .server import LabServer  # heavy imports only for the process that serves

    lab.init()
    ready = os.fdopen(args.ready_fd, "w") if args.ready_fd is not None else None
    try:
        server = LabServer(lab, with_ad=not args.no_ad)
        server.start()
    except Exception as exc:  # report any start failure to `lmlab up`, then fail
        if ready:
            ready.write(f"{type(exc).__name__}: {exc}")
            ready.close()
        raise
    lab.pid_file.write_text(str(os.getpid()))
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    signal.signal(signal.SIGINT, lambda *_: server.stop())
    if ready:
        ready.write("ready")
        ready.close()
    else:
        print(json.dumps(server.endpoints(), indent=1))
    server.wait()
    lab.pid_file.unlink(missing_ok=True)
    return 0


def cmd_down(lab: LabDir, args: argparse.Namespace) -> int:
    """SIGTERM the lab process and wait (pidfd) until it is gone."""
    pid = _running_pid(lab)
    if pid is None:
        print(f"lmlab: not running ({lab.root})")
        return 0
    pidfd = os.pidfd_open(pid)
    os.kill(pid, signal.SIGTERM)
    ready, _, _ = select.select([pidfd], [], [], STOP_TIMEOUT)
    os.close(pidfd)
    if not ready:
        print(f"lmlab: process {pid} did not stop within {STOP_TIMEOUT:.0f} s", file=sys.stderr)
        return 1
    lab.pid_file.unlink(missing_ok=True)
    lab.endpoints_file.unlink(missing_ok=True)
    print("lmlab: stopped")
    return 0


def cmd_status(lab: LabDir, args: argparse.Namespace) -> int:
    """Print endpoints (and open shells) of the running lab."""
    status = _client(lab).call("GET", "/status")
    if getattr(args, "json", False):
        print(json.dumps(status, indent=1))
        return 0
    print(f"lab {lab.root} (pid {status['pid']}), domain {status['domain']}")
    print(f"  WinRM account {status['winrm_username']} (password in {lab.secrets_file}); CA {status['ca_file']}")
    ad = status["ad"]
    if "unavailable" in ad:
        print(f"  AD  unavailable: {ad['unavailable']}")
    else:
        print(f"  AD  {ad['ldaps_url']} ({ad['tls_name']}, base {ad['base_dn']}; CA {ad['ca_file']}; "
              f"Administrator password in {lab.secrets_file})")
    for name, host in status["hosts"].items():
        print(f"  host {name:<16} {host['os']:<7} {host['winrm_http']}  {host['winrm_https']}  "
              f"shells={host['open_shells']}")
    for name, sw in status["switches"].items():
        print(f"  switch {name:<14} {sw['platform']:<7} ssh {sw['username']}@{sw['host']} -p {sw['port']}  "
              f"sessions={sw['sessions']}")
    print(f"  SSH known_hosts {status['known_hosts']}")
    return 0


def _device_model(lab: LabDir, name: str) -> dict[str, Any]:
    return _client(lab).call("GET", f"/devices/{name}")


def cmd_show(lab: LabDir, args: argparse.Namespace) -> int:
    """Print a host's model."""
    print(json.dumps(_device_model(lab, args.device), indent=1))
    return 0


def cmd_drift(lab: LabDir, args: argparse.Namespace) -> int:
    """Apply PATH=VALUE changes to a host's model, as an admin would by hand."""
    changed = drift.apply(_device_model(lab, args.device), args.assignments)
    _client(lab).call("PUT", f"/devices/{args.device}", changed)
    print(f"lmlab: drifted {args.device}: {', '.join(args.assignments)}")
    return 0


def cmd_knob(lab: LabDir, args: argparse.Namespace) -> int:
    """Set knobs of a host."""
    changes = {path[0]: value for path, value in map(drift.parse_assignment, args.assignments)}
    knobs = _client(lab).call("POST", f"/devices/{args.device}/knobs", changes)
    print(json.dumps(knobs))
    return 0


def cmd_reset(lab: LabDir, args: argparse.Namespace) -> int:
    """Every device back to the site's initial state."""
    result = _client(lab).call("POST", "/reset", {})
    print(f"lmlab: reset {', '.join(result['reset'])}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs test)."""
    parser = argparse.ArgumentParser(prog="lmlab", description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--lab-dir", type=Path, default=None, help="lab directory (default: $LMLAB_DIR or ~/.cache/lmlab)")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the lab in the background")
    group = up.add_mutually_exclusive_group()
    group.add_argument("--site", help="site file (YAML); default: the reference site")
    group.add_argument("--hosts", type=int, help="generate a site of N DL380 G5 hosts")
    up.add_argument("--no-ad", action="store_true", help="do not start the Samba AD DC")
    up.set_defaults(func=cmd_up)
    serve = sub.add_parser("serve", help="run the lab in the foreground")
    serve.add_argument("--ready-fd", type=int, default=None, help=argparse.SUPPRESS)
    serve.add_argument("--no-ad", action="store_true", help="do not start the Samba AD DC")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("down", help="stop the lab").set_defaults(func=cmd_down)
    status = sub.add_parser("status", help="show endpoints")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)
    show = sub.add_parser("show", help="show a host's model")
    show.add_argument("device", help="host or switch name")
    show.set_defaults(func=cmd_show)
    for name, func, helptext in (("drift", cmd_drift, "change a host behind Pulumi's back"),
                                 ("knob", cmd_knob, "set latency/fault knobs of a host")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("device", help="host or switch name")
        p.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
        p.set_defaults(func=func)
    sub.add_parser("reset", help="devices back to their initial state").set_defaults(func=cmd_reset)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lmlab`` console script."""
    args = build_parser().parse_args(argv)
    lab = LabDir(args.lab_dir or default_lab_dir())
    try:
        return int(args.func(lab, args))
    except (ControlError, ValueError, FileNotFoundError) as exc:
        print(f"lmlab: {exc}", file=sys.stderr)
        return 1
