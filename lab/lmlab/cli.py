"""``lmlab``: start, stop, inspect and disturb the lab.

    lmlab up [--site FILE | --hosts N] [--no-ad]   start the lab in the background
    lmlab down                           stop it (state stays in the lab directory)
    lmlab status [--json]                endpoints, open sessions, knobs that are set, call counts (--json)
    lmlab show DEVICE                    a host's or switch's whole model (JSON)
    lmlab drift DEVICE PATH=VALUE ...    change a device behind Pulumi's back
    lmlab knob DEVICE KEY=VALUE ...      latency / fault knobs of a device
    lmlab reset                          every device (and the seeded AD objects) back to the site's start
    lmlab pulumi-config --stack NAME     set the lm: keys (passwords as secrets) on a Pulumi stack
    lmlab serve                          run in the foreground (what `up` starts)

The lab directory is ``--lab-dir`` (before or after the command), else ``$LMLAB_DIR``, else
``~/.cache/lmlab``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

from . import drift, stackconfig
from .control import ControlClient, ControlError, one_line
from .hosts.model import Host
from .knobs import Knobs
from .labdir import LabDir, default_lab_dir
from .site import dump_site, generated_site
from .switches.model import Switch

STOP_TIMEOUT = 30.0
MAX_HOSTS = 500


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


def _site_text(args: argparse.Namespace) -> tuple[str | None, str]:
    """(site YAML, where it came from) for `up`; (None, "") when neither --site nor --hosts is given."""
    if args.site:
        try:
            return Path(args.site).read_text(encoding="utf-8"), f"site file {args.site}"
        except OSError as exc:
            raise ValueError(f"site file {args.site}: {exc.strerror or exc}") from None
    if args.hosts is not None:
        return dump_site(generated_site(args.hosts)), f"--hosts {args.hosts}"
    return None, ""


def _refuse_or_report_running(lab: LabDir, pid: int, args: argparse.Namespace, site_text: str | None) -> int:
    """`up` on a running lab: refuse a change it cannot make live, else say it runs already."""
    if site_text is not None:
        print("lmlab: the lab is running; `lmlab down` before changing its site", file=sys.stderr)
        return 1
    with_ad = bool(lab.read_json(lab.endpoints_file, {}).get("with_ad", True))
    if with_ad and args.no_ad:
        print("lmlab: the lab is running with the AD DC; `lmlab down`, then `lmlab up --no-ad` to run it without",
              file=sys.stderr)
        return 1
    if not with_ad and not args.no_ad:
        print("lmlab: the lab is running without the AD DC (started with --no-ad); `lmlab down`, then `lmlab up` "
              "to start it with AD", file=sys.stderr)
        return 1
    print(f"lmlab: already running (pid {pid}); nothing to start", file=sys.stderr)
    return cmd_status(lab, args)


def cmd_up(lab: LabDir, args: argparse.Namespace) -> int:
    """Start ``lmlab serve`` detached and wait for its ready report on a pipe."""
    site_text, source = _site_text(args)
    pid = _running_pid(lab)
    if pid is not None:
        return _refuse_or_report_running(lab, pid, args, site_text)
    lab.init(site_text, source)
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
        print(f"lmlab: the lab did not start: {one_line(report) or 'see ' + str(lab.log_file)}", file=sys.stderr)
        return 1
    return cmd_status(lab, args)


def cmd_serve(lab: LabDir, args: argparse.Namespace) -> int:
    """Run the lab in the foreground until SIGTERM/SIGINT."""
    from .server import LabServer  # heavy imports only for the process that serves

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    lab.init()
    ready = os.fdopen(args.ready_fd, "w") if args.ready_fd is not None else None
    try:
        server = LabServer(lab, with_ad=not args.no_ad)
        server.start()
    except Exception as exc:  # report any start failure to `lmlab up`, then fail (traceback to lmlab.log)
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


def _plain_number(value: Any) -> Any:
    """20.0 shows as 20: knob values are typed floats, users type whole numbers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _knobs_set(knobs: dict[str, Any]) -> str:
    """`  knobs: latency_ms=20 fault=drop` for the knobs that differ from the defaults, else ""."""
    defaults = Knobs().to_dict()
    changed = [f"{k}={v if isinstance(v, str) else json.dumps(_plain_number(v))}"
               for k, v in knobs.items() if defaults.get(k) != v]
    return f"  knobs: {' '.join(changed)}" if changed else ""


def cmd_status(lab: LabDir, args: argparse.Namespace) -> int:
    """Print endpoints, open sessions and knobs that are set (``--json``: everything, call counts too)."""
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
        print(f"  AD  {ad['ldaps_url']}  base {ad['base_dn']}; {ad['admin_user']}, {ad['plain_user']} "
              f"(passwords in {lab.secrets_file})")
        print(f"      TLS name {ad['tls_name']} (ldap3: Tls(valid_names=[{ad['tls_name']!r}])); CA {ad['ca_file']}")
    for name, host in status["hosts"].items():
        print(f"  host {name:<16} {host['os']:<7} {host['winrm_http']}  {host['winrm_https']}  "
              f"shells={host['open_shells']}{_knobs_set(host['knobs'])}")
    for name, sw in status["switches"].items():
        print(f"  switch {name:<14} {sw['platform']:<7} ssh {sw['username']}@{sw['host']} -p {sw['port']}  "
              f"sessions={sw['sessions']}{_knobs_set(sw['knobs'])}")
    print(f"  SSH known_hosts {status['known_hosts']}")
    return 0


def _device_model(lab: LabDir, name: str) -> dict[str, Any]:
    model: dict[str, Any] = _client(lab).call("GET", f"/devices/{name}")
    return model


def cmd_show(lab: LabDir, args: argparse.Namespace) -> int:
    """Print a device's model."""
    print(json.dumps(_device_model(lab, args.device), indent=1))
    return 0


def cmd_drift(lab: LabDir, args: argparse.Namespace) -> int:
    """Apply PATH=VALUE changes to a device's model, as an admin would by hand."""
    try:
        changed = drift.apply(_device_model(lab, args.device), args.assignments)
    except ValueError as exc:
        raise ValueError(f"drift {args.device}: {exc}") from None
    _client(lab).call("PUT", f"/devices/{args.device}", changed)
    print(f"lmlab: drifted {args.device}: {', '.join(args.assignments)}")
    return 0


def cmd_knob(lab: LabDir, args: argparse.Namespace) -> int:
    """Set knobs of a device."""
    changes = {path[0]: value for path, value in map(drift.parse_assignment, args.assignments)}
    knobs = _client(lab).call("POST", f"/devices/{args.device}/knobs", changes)
    print(json.dumps(knobs))
    return 0


def cmd_reset(lab: LabDir, args: argparse.Namespace) -> int:
    """Every device (and the seeded AD objects) back to the site's initial state."""
    result = _client(lab).call("POST", "/reset", {})
    print(f"lmlab: reset {', '.join(result['reset'])}; knobs and call counts cleared; AD {result['ad']}")
    return 0


def cmd_pulumi_config(lab: LabDir, args: argparse.Namespace) -> int:
    """Set every ``lm:`` key the running lab needs on a Pulumi stack (passwords as config secrets)."""
    _client(lab)  # refuses unless the lab runs
    found = stackconfig.settings(lab.read_json(lab.endpoints_file, {}), lab.secrets())
    stackconfig.apply(found, args.stack, args.project_dir)
    secret = sum(s.secret for s in found)
    print(f"lmlab: set {len(found)} keys on stack {args.stack} ({secret} as secrets): "
          f"{', '.join(s.key for s in found)}")
    return 0


def _host_count(text: str) -> int:
    """``--hosts`` value: a whole number 1..MAX_HOSTS."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; allowed 1-{MAX_HOSTS}") from None
    if not 1 <= count <= MAX_HOSTS:
        raise argparse.ArgumentTypeError(f"{count} is out of range; allowed 1-{MAX_HOSTS}")
    return count


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``lmlab up: argument --hosts: -3 is out of range; allowed 1-500``."""

    def error(self, message: str) -> NoReturn:
        """Print one line (and where to read more), exit 2."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _fields(cls: type) -> str:
    return ", ".join(f.name for f in dataclasses.fields(cls))


DRIFT_EPILOG = f"""\
PATH walks the device's model as `lmlab show DEVICE` prints it: object fields by name, list items by
their name (any case) or index; VALUE is JSON when it parses as JSON, else text. Top-level fields:
  hosts:    {_fields(Host)}
  switches: {_fields(Switch)}
Examples: 'adapters.Ethernet 2.jumbo_packet=9014'  migration.enabled=true  reload_seconds=1
          'running.interfaces.GigabitEthernet0/1.description=changed by hand'
          vms.APP-01.state=Off  'ticket_cache.allowed_to_delegate_to=["cifs/kom-ad01-vm02.holding.com"]'"""

KNOB_EPILOG = f"""\
Knobs (every device; off by default): {_fields(Knobs)}.
Hosts: fault = http500, drop or timeout; process_start_ms and progress_noise apply to hosts only.
Switches: fault = drop or refuse-login. See docs/lab.md#knobs."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs test)."""
    lab_dir = _Parser(add_help=False)
    lab_dir.add_argument("--lab-dir", type=Path, default=argparse.SUPPRESS,
                         help="lab directory (default: $LMLAB_DIR or ~/.cache/lmlab)")
    parser = _Parser(prog="lmlab", description=__doc__.split("\n")[0] if __doc__ else None, parents=[lab_dir])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, helptext: str, **kwargs: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helptext, description=helptext, parents=[lab_dir], **kwargs)
        p.set_defaults(func=globals()[f"cmd_{name.replace('-', '_')}"])
        return p

    up = command("up", "start the lab in the background")
    group = up.add_mutually_exclusive_group()
    group.add_argument("--site", help="site file (YAML); default: the reference site")
    group.add_argument("--hosts", type=_host_count, help=f"generate a site of N DL380 G5 hosts (1-{MAX_HOSTS})")
    up.add_argument("--no-ad", action="store_true", help="do not start the Samba AD DC")
    serve = command("serve", "run the lab in the foreground")
    serve.add_argument("--ready-fd", type=int, default=None, help=argparse.SUPPRESS)
    serve.add_argument("--no-ad", action="store_true", help="do not start the Samba AD DC")
    command("down", "stop the lab")
    command("status", "show endpoints, open sessions and knobs that are set").add_argument(
        "--json", action="store_true", help="everything as JSON, with per-device knobs and call counts")
    command("show", "show a device's whole model (JSON)").add_argument("device", help="host or switch name")
    for name, helptext, epilog in (("drift", "change a device behind Pulumi's back", DRIFT_EPILOG),
                                   ("knob", "set latency/fault knobs of a device", KNOB_EPILOG)):
        p = command(name, helptext, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("device", help="host or switch name")
        p.add_argument("assignments", nargs="+", metavar="PATH=VALUE" if name == "drift" else "KNOB=VALUE")
    command("reset", "every device, its knobs and call counts, and the seeded AD objects back to the start")
    config = command("pulumi-config", "set the lm: stack configuration keys for this lab on a Pulumi stack")
    config.add_argument("--stack", required=True, help="the stack (created with `pulumi stack init` first)")
    config.add_argument("--project-dir", type=Path, default=Path.cwd(), help="the Pulumi project (default: .)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lmlab`` console script."""
    args = build_parser().parse_args(argv)
    lab = LabDir(getattr(args, "lab_dir", None) or default_lab_dir())
    try:
        return int(args.func(lab, args))
    except (ControlError, ValueError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            return _quiet_broken_pipe()
        print(f"lmlab: {one_line(str(exc))}", file=sys.stderr)
        return 1


def _quiet_broken_pipe() -> int:
    """The reader of stdout went away (`lmlab show X | head`): stop quietly, like a shell tool on SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
    return 128 + signal.SIGPIPE
