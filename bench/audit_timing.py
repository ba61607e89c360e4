"""Wall time of `lm-provider audit` (the console script, as users run it) on lab sites of 2, 6 and 16
hosts (`lmlab up --hosts N --no-ad`, CredSSP): on the fresh site (every gap; no migration address
yet, so no ping is sent) and on the site converged with the resources' logic (no gap; one jumbo
ping per host). Prints a table and JSON; times are medians of ``--repeat`` runs: the command's wall
time (interpreter start and imports included) and the audit's own (the JSON's ``seconds``).

    .venv/bin/python bench/audit_timing.py [--hosts 2 6 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fabric_up import site_config

from lmlab.site import generated_site
from lmlab.testing import RunningLab

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from auditlab import AuditSite


def median_seconds(site: AuditSite, repeat: int, expected_code: int) -> tuple[float, float]:
    """Median wall time of ``repeat`` runs of the command, and of the audit inside it (its JSON's
    ``seconds``: reading and checking, without the interpreter's start); each must exit ``expected_code``."""
    walls, audits = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        code, report, stderr = site.audit()
        walls.append(time.perf_counter() - started)
        if code != expected_code:
            raise SystemExit(f"audit exited with {code}, not {expected_code}: {stderr or report}")
        audits.append(float(report["seconds"]))
    return statistics.median(walls), statistics.median(audits)


def measure(root: Path, hosts: int, repeat: int) -> dict[str, float | int]:
    """Start a lab of ``hosts`` hosts, audit it fresh, converge it, audit it again."""
    lab = RunningLab(root / f"lab{hosts}").up("--hosts", str(hosts), "--no-ad")
    try:
        for switch in lab.endpoints["switches"]:
            lab.cli("drift", switch, "reload_seconds=0.3")
        site = AuditSite.write(lab, root, site_config(generated_site(hosts), kerberos=False)["config"])
        fresh = median_seconds(site, repeat, expected_code=1)
        site.converge()
        ready = median_seconds(site, repeat, expected_code=0)
    finally:
        lab.down()
    return {"hosts": hosts, "fresh_s": round(fresh[0], 2), "fresh_audit_s": round(fresh[1], 2),
            "converged_s": round(ready[0], 2), "converged_audit_s": round(ready[1], 2)}


def print_table(rows: list[dict[str, float | int]]) -> None:
    """The rows as a table, then as JSON."""
    print("hosts  fresh: command / audit (s)  converged: command / audit (s)")
    for row in rows:
        print(f"{row['hosts']:>5}  {row['fresh_s']:>15} / {row['fresh_audit_s']:<9}  "
              f"{row['converged_s']:>19} / {row['converged_audit_s']}")
    print(json.dumps(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, nargs="+", default=[2, 6, 16], help="site sizes to measure")
    parser.add_argument("--repeat", type=int, default=3, help="audits per measurement (the median is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as directory:
        print_table([measure(Path(directory), n, args.repeat) for n in args.hosts])


if __name__ == "__main__":
    main()
