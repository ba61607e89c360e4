"""The audit report as text a person reads: one matrix per kind of subject (hosts, pairs, switches)
with ok / missing / wrong per requirement, each gap with the value found and expected, and "N gaps"."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..models.audit_report import (
    HOST_REQUIREMENTS,
    PAIR_REQUIREMENTS,
    SWITCH_REQUIREMENTS,
    AuditReport,
    Finding,
    Requirement,
)

NOT_READ = "unreachable"
NOT_APPLICABLE = "-"
LEGEND_WIDTH = 110


def _table(title: str, requirements: Sequence[Requirement], rows: dict[str, list[Finding]],
           unreachable: set[str]) -> list[str]:
    """One matrix: a row per subject, a column per requirement (its short label), and the legend."""
    if not rows:
        return []
    first = max(len(title), *(len(s) for s in rows))
    widths = [max(len(r.label), len("missing")) for r in requirements]
    lines = ["  ".join([title.ljust(first), *(r.label.ljust(w) for r, w in zip(requirements, widths, strict=True))])
             .rstrip()]
    for subject, findings in rows.items():
        by_id = {f.requirement: f.status for f in findings}
        if not findings and subject.lower() in unreachable:
            cells = [NOT_READ]
        else:
            cells = [by_id.get(r.id, NOT_APPLICABLE).ljust(w) for r, w in zip(requirements, widths, strict=True)]
        lines.append("  ".join([subject.ljust(first), *cells]).rstrip())
    legend = textwrap.wrap(", ".join(f"{r.label} = {r.id}" for r in requirements), LEGEND_WIDTH,
                           break_on_hyphens=False)
    return [*lines, *(f"  {line}" for line in legend), ""]


def render(report: AuditReport) -> str:
    """The matrices, the gaps (found and expected), the unreachable devices and the count of gaps."""
    unreachable = {u.device.lower() for u in report.unreachable}
    pairs = {f"{s} -> {d}": found for (s, d), found in report.pairs.items()}
    lines = [*_table("Host", HOST_REQUIREMENTS, report.hosts, unreachable),
             *_table("Pair", PAIR_REQUIREMENTS, pairs, unreachable),
             *_table("Switch", SWITCH_REQUIREMENTS, report.switches, unreachable)]
    gaps = report.gaps()
    if gaps:
        lines.append("Gaps:")
        lines += [f"  {g.subject}  {g.requirement}: {g.status}: found {g.found}; expected {g.expected}" for g in gaps]
        lines.append("")
    if report.unreachable:
        lines.append("Not read:")
        lines += [f"  {u.device}: {u.error}" for u in report.unreachable]
        lines.append("")
    lines.append(f"{len(gaps)} gap{'' if len(gaps) == 1 else 's'}"
                 + (f"; {len(report.unreachable)} device(s) not read" if report.unreachable else ""))
    return "\n".join(lines)
