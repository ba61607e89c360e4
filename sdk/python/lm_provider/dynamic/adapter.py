"""One generic dynamic provider over a :class:`~lm_provider.resources.base.ResourceLogic`.

A concrete provider subclass only says how to build its logic from the stack configuration
(:meth:`LogicProvider.build_logic`). Instances carry no data of their own: dill pickles the
provider *by reference* into every resource's state, so nothing secret and nothing connected may
live on it before :meth:`configure` runs in the provider host process (it then keeps the logic,
and with it the clients, for the life of that process).

Property maps <-> typed args/state go through :mod:`lm_provider.models.codec`; Pulumi's unknowns
(``pulumi.output.Unknown`` objects or the marker string, at any depth) become
:data:`~lm_provider.models.inputs.UNKNOWN`; lm-provider errors reach the engine
as their one-line message (the dynamic provider host adds a short traceback).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown as PulumiUnknown
from pulumi.runtime.rpc import UNKNOWN as PULUMI_UNKNOWN

from ..errors import LmError
from ..models.codec import from_props, to_props
from ..models.inputs import UNKNOWN
from ..resources.base import ResourceLogic

PROVIDER_KEY = "__provider"
CONFIG_NAMESPACE = "lm"
"""Stack configuration keys of lm-provider live under ``lm:`` (e.g. ``lm:winrmPassword``)."""

ConfigGetter = Callable[[str], "str | None"]
"""Reads one ``lm:`` configuration key (without the namespace); None when unset."""


class ProviderFailure(Exception):
    """What the engine shows when an operation fails: the lm-provider message, nothing else."""


def _inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the pickled provider, with Pulumi's unknown marker as our UNKNOWN."""
    return {k: _unknowns(v) for k, v in props.items() if k != PROVIDER_KEY}


def _unknowns(value: Any) -> Any:
    """Pulumi's unknowns as :data:`UNKNOWN`, at any depth: the dynamic provider host deserializes
    them as ``pulumi.output.Unknown`` objects (during preview), older hosts as the marker string."""
    if isinstance(value, PulumiUnknown) or (isinstance(value, str) and value == PULUMI_UNKNOWN):
        return UNKNOWN
    if isinstance(value, list):
        return [_unknowns(v) for v in value]
    if isinstance(value, dict):
        return {k: _unknowns(v) for k, v in value.items()}
    return value


def _contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    return False


class LogicProvider(ResourceProvider):
    """A dynamic provider serving one resource logic; subclasses implement :meth:`build_logic`."""

    _logic: ResourceLogic[Any, Any] | None = None

    def build_logic(self, config: ConfigGetter) -> ResourceLogic[Any, Any]:
        """The resource logic, with its clients, from the stack configuration."""
        raise NotImplementedError

    def configure(self, req: ConfigureRequest) -> None:
        """Build the logic from the ``lm:`` keys of the stack configuration (decrypted)."""
        def get(key: str) -> str | None:
            value = req.config.get(f"{CONFIG_NAMESPACE}:{key}")
            return None if value is None else str(value)

        self._config_getter = get

    @property
    def logic(self) -> ResourceLogic[Any, Any]:
        """The logic, built on first use (so a bad configuration fails the operation that needs it)."""
        if self._logic is None:
            getter: ConfigGetter = getattr(self, "_config_getter", lambda key: None)
            try:
                self._logic = self.build_logic(getter)
            except LmError as exc:
                raise ProviderFailure(str(exc)) from None
        return self._logic

    def _args(self, news: Mapping[str, Any]) -> Any:
        checked = self.logic.check(_inputs(news))
        if checked.args is None:
            raise ProviderFailure("; ".join(str(f) for f in checked.failures) or "inputs are not known yet")
        return checked.args

    def _state(self, props: Mapping[str, Any]) -> Any:
        return from_props(self.logic.state_type, _inputs(props))

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate inputs with property-named failures; no remote call."""
        checked = self.logic.check(_inputs(news))
        return CheckResult(news, [CheckFailure(f.property, f.reason) for f in checked.failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare recorded state with the new inputs; unknown inputs mean "changes"."""
        inputs = _inputs(news)
        checked = self.logic.check(inputs)
        if checked.args is None:
            return DiffResult(changes=_contains_unknown(inputs) or bool(checked.failures))
        try:
            plan = self.logic.diff(self._state(olds), checked.args)
        except LmError as exc:
            raise ProviderFailure(str(exc)) from None
        return DiffResult(changes=plan.has_changes, replaces=plan.replaces,
                          delete_before_replace=plan.delete_before_replace)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create and return the resulting state."""
        try:
            created = self.logic.create(self._args(props))
        except LmError as exc:
            raise ProviderFailure(str(exc)) from None
        return CreateResult(id_=created.id, outs=to_props(created.state))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The real state now; an empty result when the object is gone."""
        try:
            state = self.logic.read(id_, self._state(props))
        except LmError as exc:
            raise ProviderFailure(str(exc)) from None
        if state is None:
            return ReadResult(None, {})
        return ReadResult(id_, to_props(state))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Change in place and return the resulting state."""
        try:
            state = self.logic.update(id_, self._state(olds), self._args(news))
        except LmError as exc:
            raise ProviderFailure(str(exc)) from None
        return UpdateResult(outs=to_props(state))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Undo what was done; harmless when already gone."""
        try:
            self.logic.delete(id_, self._state(props))
        except LmError as exc:
            raise ProviderFailure(str(exc)) from None
