"""Smoke tests through the real Pulumi engine (Automation API, inline program, file backend).

Each test builds its own stack, so they pass in any order and alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pulumi
import pytest
from e2e_smoke.note import Note
from harness import EngineHarness

pytestmark = pytest.mark.e2e
SECRET = "s3cret-token-9f2c41"
NOTE = "pulumi-python:dynamic/smoke:Note"


@dataclass
class World:
    """A stack whose program declares one Note from ``path`` and ``content`` (changeable between runs)."""

    base: Path
    path: Path
    content: str
    harness: EngineHarness

    def ops_of_up(self) -> list[str]:
        """Run ``pulumi up``; the note's step ops."""
        return self.harness.up().ops(NOTE, "note")


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A fresh stack of its own for each test."""
    holder: dict[str, World] = {}

    def program() -> None:
        w = holder["world"]
        note = Note("note", path=str(w.path), content=w.content, token=pulumi.Output.secret(SECRET))
        pulumi.export("content", note.content)

    holder["world"] = World(tmp_path, tmp_path / "note-a.txt", "first",
                            EngineHarness(tmp_path / "state", "smoke", tmp_path.name.replace("_", "-"), program))
    return holder["world"]


def test_preview_writes_nothing_up_creates_and_a_second_up_changes_nothing(world: World) -> None:
    preview = world.harness.preview()
    assert preview.ops(NOTE, "note") == ["create"]
    assert not world.path.exists()
    up = world.harness.up()
    assert up.ops(NOTE, "note") == ["create"]
    assert world.path.read_text() == "first"
    assert up.result.outputs["content"].value == "first"
    again = world.harness.up()
    assert again.ops(NOTE, "note") == ["same"]
    assert again.result.summary.resource_changes == {"same": 2}


def test_a_secret_input_is_encrypted_in_state(world: World) -> None:
    world.harness.up()
    text = world.harness.state_file.read_text()
    assert SECRET not in text
    assert "ciphertext" in text


def test_a_content_change_is_an_update(world: World) -> None:
    world.harness.up()
    world.content = "second"
    assert world.harness.preview().ops(NOTE, "note") == ["update"]
    assert world.ops_of_up() == ["update"]
    assert world.path.read_text() == "second"


def test_a_path_change_is_a_replace(world: World) -> None:
    world.harness.up()
    old = world.path
    world.path = world.base / "note-b.txt"
    assert world.ops_of_up() == ["create-replacement", "replace", "delete-replaced"]
    assert world.path.read_text() == "first"
    assert not old.exists()


def test_refresh_finds_drift_and_up_repairs_it(world: World) -> None:
    world.harness.up()
    world.path.write_text("changed by hand")
    refresh = world.harness.refresh()
    assert refresh.result.summary.resource_changes.get("update") == 1
    resources = {r["urn"].rsplit("::", 1)[-1]: r for r in world.harness.state()["checkpoint"]["latest"]["resources"]}
    assert resources["note"]["outputs"]["content"] == "changed by hand"
    assert world.ops_of_up() == ["update"]
    assert world.path.read_text() == "first"


def test_destroy_deletes(world: World) -> None:
    world.harness.up()
    destroy = world.harness.destroy()
    assert destroy.ops(NOTE, "note") == ["delete"]
    assert not world.path.exists()
    assert destroy.result.summary.resource_changes == {"delete": 2}


