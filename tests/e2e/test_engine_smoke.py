"""Smoke tests through the real Pulumi engine (Automation API, inline program, file backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_smoke.note import Note
from harness import EngineHarness

pytestmark = pytest.mark.e2e
SECRET = "s3cret-token-9f2c41"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("engine")
    desired: dict[str, Any] = {"path": str(base / "note-a.txt"), "content": "first"}

    def program() -> None:
        note = Note("note", path=desired["path"], content=desired["content"], token=pulumi.Output.secret(SECRET))
        pulumi.export("content", note.content)

    return {"base": base, "desired": desired, "harness": EngineHarness(base / "state", "smoke", "dev", program)}


@pytest.fixture(scope="module")
def harness(world: dict[str, Any]) -> EngineHarness:
    return world["harness"]


def test_1_preview_then_create(harness: EngineHarness, world: dict[str, Any]) -> None:
    preview = harness.preview()
    assert preview.ops("note") == ["create"]
    assert not Path(world["desired"]["path"]).exists()  # preview never writes
    up = harness.up()
    assert up.ops("note") == ["create"]
    assert Path(world["desired"]["path"]).read_text() == "first"
    assert up.result.outputs["content"].value == "first"


def test_2_noop_up_changes_nothing(harness: EngineHarness) -> None:
    up = harness.up()
    assert up.ops("note") == ["same"]
    assert up.result.summary.resource_changes == {"same": 2}


def test_3_secret_input_is_encrypted_in_state(harness: EngineHarness) -> None:
    text = harness.state_file.read_text()
    assert SECRET not in text
    assert "ciphertext" in text


def test_4_content_change_is_an_update(harness: EngineHarness, world: dict[str, Any]) -> None:
    world["desired"]["content"] = "second"
    assert harness.preview().ops("note") == ["update"]
    assert harness.up().ops("note") == ["update"]
    assert Path(world["desired"]["path"]).read_text() == "second"


def test_5_path_change_is_a_replace(harness: EngineHarness, world: dict[str, Any]) -> None:
    old = Path(world["desired"]["path"])
    world["desired"]["path"] = str(world["base"] / "note-b.txt")
    up = harness.up()
    assert up.ops("note") == ["create-replacement", "replace", "delete-replaced"]
    assert Path(world["desired"]["path"]).read_text() == "second"
    assert not old.exists()


def test_6_refresh_finds_drift_and_up_repairs_it(harness: EngineHarness, world: dict[str, Any]) -> None:
    path = Path(world["desired"]["path"])
    path.write_text("changed by hand")
    refresh = harness.refresh()
    assert refresh.result.summary.resource_changes.get("update") == 1
    resources = {r["urn"].rsplit("::", 1)[-1]: r for r in harness.state()["checkpoint"]["latest"]["resources"]}
    assert resources["note"]["outputs"]["content"] == "changed by hand"
    assert harness.up().ops("note") == ["update"]
    assert path.read_text() == "second"


def test_7_destroy_deletes(harness: EngineHarness, world: dict[str, Any]) -> None:
    destroy = harness.destroy()
    assert destroy.ops("note") == ["delete"]
    assert not Path(world["desired"]["path"]).exists()
    assert destroy.result.summary.resource_changes == {"delete": 2}
