"""The outcome of a pure diff (lives in models so that each resource's model module can compute it)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


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
