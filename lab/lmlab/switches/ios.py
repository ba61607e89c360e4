"""An IOS command-line session: modes, abbreviations, dialogs and error texts. No I/O.

`IosSession.feed(line)` takes one line the user typed and returns what the switch prints
before the next prompt; `prompt` is that prompt. Commands accept unique prefixes of each
keyword ("sh run", "conf t", "wr mem", "int gi0/1"), as IOS does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import render
from .model import CLASSIC_SYSTEM_MTU, PLATFORMS, Switch

INVALID = "% Invalid input detected at '^' marker."
INCOMPLETE = "% Incomplete command."
IOS_XE_MTU_SET = ("Global Ethernet MTU is set to {} bytes.\nNote: this is the Ethernet payload size, not the total\n"
                  "Ethernet frame size, which includes the Ethernet\nheader/trailer and possibly other tags, such as "
                  "ISL or\n802.1q tags.")
"""IOS-XE's answer to ``system mtu N`` (a genielibs test's capture, docs/lab.md)."""
_IFNAME = re.compile(r"^(?:g|gi|gig|giga|gigabit|gigabitethernet)\s*(\d+/\d+(?:/\d+)?)$", re.IGNORECASE)


class SessionEnd(Exception):
    """The session is over (exit/logout, or the switch went down for reload)."""


class BadArgument(Exception):
    """A command's argument (by index) is not accepted: IOS puts its caret under it."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


@dataclass(frozen=True)
class Command:
    """A command: its keywords, the modes it exists in, and its handler (gets the argument words)."""

    keywords: tuple[str, ...]
    modes: tuple[str, ...]
    handler: str
    takes_args: bool = False


EXEC, PRIV, CONF, CONF_IF = "exec", "priv", "config", "config-if"
ANY_EXEC = (EXEC, PRIV)
COMMANDS = [
    Command(("enable",), ANY_EXEC, "enable"),
    Command(("disable",), (PRIV,), "disable"),
    Command(("exit",), (EXEC, PRIV, CONF, CONF_IF), "exit"),
    Command(("logout",), ANY_EXEC, "logout"),
    Command(("end",), (CONF, CONF_IF), "end"),
    Command(("terminal", "length"), ANY_EXEC, "terminal", True),
    Command(("terminal", "width"), ANY_EXEC, "terminal", True),
    Command(("show", "version"), ANY_EXEC, "show_version"),
    Command(("show", "running-config"), (PRIV,), "show_running"),
    Command(("show", "startup-config"), (PRIV,), "show_startup"),
    Command(("show", "system", "mtu"), ANY_EXEC, "show_system_mtu"),
    Command(("show", "interfaces"), ANY_EXEC, "show_interfaces", True),
    Command(("configure", "terminal"), (PRIV,), "configure"),
    Command(("write", "memory"), (PRIV,), "write"),
    Command(("write",), (PRIV,), "write"),
    Command(("copy", "running-config", "startup-config"), (PRIV,), "copy_run_start"),
    Command(("reload",), (PRIV,), "reload"),
    Command(("hostname",), (CONF,), "hostname", True),
    Command(("system", "mtu", "jumbo"), (CONF,), "system_mtu_jumbo", True),
    Command(("system", "mtu"), (CONF,), "system_mtu", True),
    Command(("interface",), (CONF, CONF_IF), "interface", True),
    Command(("description",), (CONF_IF,), "description", True),
    Command(("shutdown",), (CONF_IF,), "shutdown"),
    Command(("no", "shutdown"), (CONF_IF,), "no_shutdown"),
    Command(("no", "description"), (CONF_IF,), "no_description"),
]


def interface_name(words: list[str]) -> str | None:
    """Normalise ``gi0/1``, ``Gi 0/1`` ... to ``GigabitEthernet0/1``."""
    match = _IFNAME.match(" ".join(words))
    return f"GigabitEthernet{match.group(1)}" if match else None


class IosSession:
    """One logged-in CLI session on ``switch``; ``enable_secret`` is checked by `enable`."""

    def __init__(self, switch: Switch, enable_secret: str, on_change: Callable[[], None],
                 record: Callable[[str, bool], None] | None = None) -> None:
        self.switch = switch
        self.enable_secret = enable_secret
        self.on_change = on_change
        self.record = record
        self.op: str | None = None  # the command being served, e.g. "show system mtu"
        self._before: dict[str, object] = {}
        self.mode = EXEC
        self.interface: str | None = None
        self.dialog: Callable[[str], str] | None = None
        self.dialog_prompt = ""
        self.echo = True

    @property
    def prompt(self) -> str:
        """The prompt to print next (a dialog's question while one is open)."""
        if self.dialog:
            return self.dialog_prompt
        host = self.switch.running.hostname
        return {EXEC: f"{host}>", PRIV: f"{host}#", CONF: f"{host}(config)#", CONF_IF: f"{host}(config-if)#"}[self.mode]

    def _ask(self, prompt: str, answer: Callable[[str], str], echo: bool = True) -> str:
        self.dialog, self.dialog_prompt, self.echo = answer, prompt, echo
        return ""

    def feed(self, line: str) -> str:
        """Process one input line; return the output (may raise SessionEnd).

        Each command (with its dialog, if it opens one) is counted once through ``record``: its
        op is the command's keywords in full ("sh sys mtu" counts as "show system mtu"), and it
        is changing when the switch's model differs afterwards. Rejected input is not counted.
        """
        if not self.dialog:
            self.op, self._before = None, (self.switch.to_dict() if self.record else {})
        try:
            return self._feed(line)
        finally:
            if self.record and self.op and not self.dialog:
                self.record(self.op, self.switch.to_dict() != self._before)
                self.op = None

    def _feed(self, line: str) -> str:
        if self.dialog:
            answer, self.dialog, self.echo = self.dialog, None, True
            return answer(line.strip())
        words = line.split()
        if not words:
            return ""
        if self.mode in (CONF, CONF_IF) and words[0].lower() == "do" and len(words) > 1:
            saved_mode, self.mode = self.mode, PRIV
            try:
                return self._dispatch(words[1:], len(self.prompt) + line.find(words[1]))
            finally:
                self.mode = saved_mode
        return self._dispatch(words, len(self.prompt) + line.find(words[0]))

    def _dispatch(self, words: list[str], offset: int) -> str:
        candidates = [c for c in COMMANDS if self.mode in c.modes]
        best: Command | None = None
        for depth, word in enumerate(words):
            matching = [c for c in candidates if len(c.keywords) > depth and c.keywords[depth].startswith(word.lower())]
            exact = [c for c in matching if c.keywords[depth] == word.lower()]
            matching = exact or matching
            if not matching:
                complete = [c for c in candidates if len(c.keywords) == depth]
                if complete and complete[0].takes_args:
                    best = complete[0]
                    break
                column = offset + len(" ".join(words[:depth])) + (1 if depth else 0)
                return " " * column + "^\n" + INVALID
            if len({c.keywords[depth] for c in matching}) > 1:
                return f'% Ambiguous command:  "{" ".join(words)}"'
            candidates = matching
        if best is None:
            done = [c for c in candidates if len(c.keywords) <= len(words)]
            if not done:
                return INCOMPLETE
            best = max(done, key=lambda c: len(c.keywords))
        args = words[len(best.keywords):]
        if args and not best.takes_args:
            column = offset + len(" ".join(words[:len(best.keywords)])) + 1
            return " " * column + "^\n" + INVALID
        try:
            output = str(getattr(self, f"_cmd_{best.handler}")(args))
        except BadArgument as bad:
            column = offset + len(" ".join(words[:len(best.keywords) + bad.index])) + 1
            return " " * column + "^\n" + INVALID
        self.op = " ".join(best.keywords)
        return output

    def _changed(self) -> None:
        self.on_change()

    def _cmd_enable(self, args: list[str]) -> str:
        if self.mode == PRIV:
            return ""

        def check(secret: str) -> str:
            if secret == self.enable_secret:
                self.mode = PRIV
                return ""
            return "% Access denied"
        return self._ask("Password: ", check, echo=False)

    def _cmd_disable(self, args: list[str]) -> str:
        self.mode = EXEC
        return ""

    def _cmd_exit(self, args: list[str]) -> str:
        if self.mode == CONF_IF:
            self.mode, self.interface = CONF, None
            return ""
        if self.mode == CONF:
            self.mode = PRIV
            return ""
        raise SessionEnd()

    def _cmd_logout(self, args: list[str]) -> str:
        raise SessionEnd()

    def _cmd_end(self, args: list[str]) -> str:
        self.mode, self.interface = PRIV, None
        return ""

    def _cmd_terminal(self, args: list[str]) -> str:
        return "" if len(args) == 1 and args[0].isdigit() else INCOMPLETE

    def _cmd_show_version(self, args: list[str]) -> str:
        return render.show_version(self.switch)

    def _cmd_show_running(self, args: list[str]) -> str:
        return render.running_config(self.switch, self.switch.running, "Current configuration")

    def _cmd_show_startup(self, args: list[str]) -> str:
        return render.running_config(self.switch, self.switch.startup, "Using")

    def _cmd_show_system_mtu(self, args: list[str]) -> str:
        return render.show_system_mtu(self.switch)

    def _cmd_show_interfaces(self, args: list[str]) -> str:
        if not args:
            return "\n".join(render.show_interface(self.switch, p) for p in self.switch.running.interfaces)
        name = interface_name(args)
        if name is None or name not in self.switch.running.interfaces:
            return "                ^\n" + INVALID
        return render.show_interface(self.switch, name)

    def _cmd_configure(self, args: list[str]) -> str:
        self.mode = CONF
        return "Enter configuration commands, one per line.  End with CNTL/Z."

    def _cmd_write(self, args: list[str]) -> str:
        self.switch.save()
        self._changed()
        return "Building configuration...\n[OK]"

    def _cmd_copy_run_start(self, args: list[str]) -> str:
        def destination(answer: str) -> str:
            if answer not in ("", "startup-config"):
                return "%Error opening " + answer + " (Permission denied)"
            return self._cmd_write([])
        return self._ask("Destination filename [startup-config]? ", destination)

    def _cmd_reload(self, args: list[str]) -> str:
        def confirm(answer: str) -> str:
            if answer.lower() not in ("", "y", "yes", "confirm"):
                return ""
            self.switch.start_reload()
            self._changed()
            raise SessionEnd()

        def save_first(answer: str) -> str:
            if answer.lower() in ("yes", "y"):
                self._cmd_write([])
            elif answer.lower() not in ("no", "n"):
                return "% Please answer 'yes' or 'no'."
            return self._ask("Proceed with reload? [confirm]", confirm)

        if self.switch.modified:
            return self._ask("System configuration has been modified. Save? [yes/no]: ", save_first)
        return self._ask("Proceed with reload? [confirm]", confirm)

    def _cmd_hostname(self, args: list[str]) -> str:
        if len(args) != 1:
            return INCOMPLETE if not args else "% Invalid input detected at '^' marker."
        self.switch.running.hostname = args[0]
        self._changed()
        return ""

    def _mtu_value(self, args: list[str], low: int, high: int) -> int | None:
        """The MTU argument; None when missing, BadArgument when not a number in ``low``-``high``."""
        if not args:
            return None
        if len(args) > 1:
            raise BadArgument(1)
        if not args[0].isdigit() or not low <= int(args[0]) <= high:
            raise BadArgument(0)
        return int(args[0])

    def _cmd_system_mtu_jumbo(self, args: list[str]) -> str:
        if self.switch.platform != "c3560g":
            return "               ^\n" + INVALID
        value = self._mtu_value(args, *PLATFORMS["c3560g"].jumbo_range)
        if value is None:
            return INCOMPLETE
        self.switch.jumbo_next_reload = value
        self._changed()
        return ("Changes to the system jumbo MTU will not take effect until the next reload is done."
                if value != self.switch.jumbo_operational else "")

    def _cmd_system_mtu(self, args: list[str]) -> str:
        classic = self.switch.platform == "c3560g"
        value = self._mtu_value(args, *(CLASSIC_SYSTEM_MTU if classic else PLATFORMS["c9300"].jumbo_range))
        if value is None:
            return INCOMPLETE
        if classic:  # an NVRAM value, never in the running-config; the ports see it after a reload
            self.switch.system_mtu_next_reload = value
            self._changed()
            return ("Changes to the system MTU will not take effect until the next reload is done."
                    if value != self.switch.system_mtu_operational else "")
        self.switch.running.system_mtu = None if value == 1500 else value
        self.switch.mtu_operational = value
        self._changed()
        return IOS_XE_MTU_SET.format(value)

    def _cmd_interface(self, args: list[str]) -> str:
        name = interface_name(args)
        if name is None or name not in self.switch.running.interfaces:
            return "           ^\n" + INVALID
        self.mode, self.interface = CONF_IF, name
        return ""

    def _cmd_description(self, args: list[str]) -> str:
        assert self.interface
        self.switch.running.interfaces[self.interface].description = " ".join(args)[:240]
        self._changed()
        return ""

    def _cmd_no_description(self, args: list[str]) -> str:
        return self._cmd_description([])

    def _cmd_shutdown(self, args: list[str]) -> str:
        assert self.interface
        self.switch.running.interfaces[self.interface].shutdown = True
        self._changed()
        return ""

    def _cmd_no_shutdown(self, args: list[str]) -> str:
        assert self.interface
        self.switch.running.interfaces[self.interface].shutdown = False
        self._changed()
        return ""
