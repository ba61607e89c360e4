"""The outcome of a pure diff (lives in models so that each resource's model module can compute it)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

A = TypeVar("A")


@dataclass(frozen=True)
class Plan:
    """What an update would do: the changed fields, those among them that force a replacement,
    whether the old object must go first, and human-readable notes for the preview."""

    changes: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        """True when anything differs."""
        return bool(self.changes)

    def changes_only(self, names: Collection[str]) -> bool:
        """True when every changed field is one of ``names`` (e.g. the fields that need no remote call)."""
        return set(self.changes) <= set(names)


def inputs_of(state: Any, args_type: type[A]) -> A:
    """The args of type ``args_type`` recorded in ``state`` (a state dataclass extending the args)."""
    return args_type(**{f.name: getattr(state, f.name) for f in fields(args_type)})  # type: ignore[arg-type]


def verification_plan(state: Any, args: Any, failures: Sequence[str], what: str) -> Plan:
    """The plan of a resource that verifies instead of changing (a check, a test): changed inputs run
    it again (an update in place), and so does a last run that failed (``state.passed`` false)."""
    old = inputs_of(state, type(args))
    changes = [f.name for f in fields(args) if getattr(old, f.name) != getattr(args, f.name)]
    notes = []
    if not state.passed:
        changes.append("passed")
        notes.append(f"the last {what} failed: " + "; ".join(failures))
    return Plan(changes=changes, notes=notes)
