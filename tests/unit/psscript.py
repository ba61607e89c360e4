"""Static checks of lm-provider's PowerShell scripts, with tree-sitter-pwsh (no Windows needed).

What a parse can tell: syntax errors, which cmdlets and parameters a script uses, whether
version-gated uses sit inside an ``if``, whether Remove-/Disable- carry ``-Confirm:$false``,
whether a parameter value is interpolated into a string or evaluated as code, and which
``$LmParams.<key>`` names the script reads. What it cannot tell: cmdlet semantics on a real host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tree_sitter_pwsh
import yaml
from tree_sitter import Language, Node, Parser

OS_ORDER = ["2012", "2012r2", "2016", "2019", "2022"]
CMDLET = re.compile(r"^[A-Za-z]+-[A-Za-z]+$")
FORBIDDEN_COMMANDS = {"invoke-expression", "iex", "add-type"}
_PARSER = Parser(Language(tree_sitter_pwsh.language()))


@dataclass(frozen=True)
class CommandUse:
    """One command in a script: its name, its parameters, and whether it sits inside an ``if``."""

    name: str
    parameters: list[str]
    confirm_false: bool
    conditional: bool
    line: int


@dataclass
class ScriptFacts:
    """What the static analysis found in one script."""

    errors: list[str] = field(default_factory=list)
    commands: list[CommandUse] = field(default_factory=list)
    param_keys: set[str] = field(default_factory=set)
    interpolated_params: list[int] = field(default_factory=list)


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8")


def _inside_if(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in ("if_statement", "elseif_clause", "else_clause"):
            return True
        parent = parent.parent
    return False


def analyze(source: str) -> ScriptFacts:
    """Parse ``source`` and collect its facts."""
    facts = ScriptFacts()
    tree = _PARSER.parse(source.encode("utf-8"))
    for node in _walk(tree.root_node):
        line = node.start_point[0] + 1
        if node.type == "ERROR" or node.is_missing:
            facts.errors.append(f"line {line}: syntax error near {_text(node)[:40]!r}")
        elif node.type == "command":
            facts.commands.append(_command(node, line))
        elif node.type == "member_access":
            children = node.children
            if children and _text(children[0]).lower() == "$lmparams" and len(children) >= 3:
                facts.param_keys.add(_text(children[-1]))
        if node.type == "expandable_string_literal" and "$lmparams" in _text(node).lower():
            facts.interpolated_params.append(line)
    return facts


def _command(node: Node, line: int) -> CommandUse:
    name_node = next((c for c in node.children if c.type == "command_name"), None)
    params: list[str] = []
    confirm_false = False
    elements = next((c for c in node.children if c.type == "command_elements"), None)
    if elements is not None:
        kids = elements.children
        for index, child in enumerate(kids):
            if child.type == "command_parameter":
                name = _text(child).lstrip("-").rstrip(":")
                params.append(name)
                rest = "".join(_text(k) for k in kids[index + 1:index + 3])
                if name.lower() == "confirm" and rest.replace(" ", "").lower().startswith(":$false"):
                    confirm_false = True
    return CommandUse(_text(name_node) if name_node else "", params, confirm_false, _inside_if(node), line)


@dataclass(frozen=True)
class AllowList:
    """tests/data/cmdlets.yaml: cmdlet -> since, parameter -> since."""

    common: frozenset[str]
    cmdlets: dict[str, tuple[str, dict[str, str]]]

    @classmethod
    def load(cls, path: Path) -> AllowList:
        """Read the YAML file."""
        data: dict[str, Any] = yaml.safe_load(path.read_text())
        cmdlets: dict[str, tuple[str, dict[str, str]]] = {}
        for name, spec in data["cmdlets"].items():
            since = str(spec["since"])
            params: dict[str, str] = {}
            for item in spec.get("parameters", []):
                if isinstance(item, dict):
                    params.update({k.lower(): str(v) for k, v in item.items()})
                else:
                    params[str(item).lower()] = since
            cmdlets[name.lower()] = (since, params)
        return cls(frozenset(p.lower() for p in data["common_parameters"]), cmdlets)

    def problems(self, use: CommandUse) -> list[str]:
        """Why ``use`` is not allowed on every supported version (empty when it is)."""
        key = use.name.lower()
        if key in FORBIDDEN_COMMANDS:
            return [f"line {use.line}: {use.name} evaluates text as code"]
        if not CMDLET.match(use.name):
            return []
        if key not in self.cmdlets:
            return [f"line {use.line}: {use.name} is not in the allow-list"]
        since, params = self.cmdlets[key]
        found: list[str] = []
        if since != OS_ORDER[0] and not use.conditional:
            found.append(f"line {use.line}: {use.name} exists only since {since}; use it inside an if")
        for param in use.parameters:
            p = param.lower()
            if p in self.common:
                continue
            if p not in params:
                found.append(f"line {use.line}: {use.name} has no parameter -{param} in the allow-list")
            elif params[p] != OS_ORDER[0] and not use.conditional:
                found.append(f"line {use.line}: {use.name} -{param} exists only since {params[p]}; use it inside an if")
        if key.startswith(("remove-", "disable-")) and not use.confirm_false:
            found.append(f"line {use.line}: {use.name} without -Confirm:$false")
        return found
