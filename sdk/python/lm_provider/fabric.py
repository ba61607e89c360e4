"""The fabric API in one place: :class:`LiveMigrationFabric` (the component) with
:class:`FabricHost` and :class:`FabricSwitch` (its description) and the error it raises."""

from .dynamic.fabric import LiveMigrationFabric
from .errors import FabricConfigError
from .models.fabric import FabricHost, FabricPlan, FabricSwitch, plan_fabric

__all__ = ["FabricConfigError", "FabricHost", "FabricPlan", "FabricSwitch", "LiveMigrationFabric", "plan_fabric"]
