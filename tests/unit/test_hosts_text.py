"""The hosts-file rules: the SDK's pure model, and the lab's ops reached through the SDK's own
script builder, give the same text, the same view and the same refusals."""

from __future__ import annotations

import json

import pytest

from lm_provider.clients.hostsfile import HostsApplyParams, HostsReadParams
from lm_provider.clients.ops import op_of, wire_params
from lm_provider.clients.scripts import build_script, script_body
from lm_provider.models.hosts_text import (
    IPV4,
    MARKER,
    Edit,
    FileLine,
    FileView,
    HostsLine,
    conflicts,
    edit,
    is_ours,
    render,
    view,
)
from lm_provider.models.hosts_text import (
    OWNER as OWNER_PATTERN,
)
from lm_provider.transports.clixml import first_message
from lmlab.hosts.model import DEFAULT_HOSTS_FILE, Host, NetAdapter
from lmlab.hosts.ops import REGISTRY, execute
from lmlab.hosts.ops import hostsfile as lab_hostsfile

OWNER = "0123456789abcdef"
OTHER_OWNER = "fedcba9876543210"
HV1 = HostsLine("10.160.35.1", ["hv1", "hv1.corp.com"])
HV2 = HostsLine("10.160.35.2", ["HV2"])
OURS_1 = f"10.160.35.1 hv1 hv1.corp.com # lm-provider:{OWNER}"
OURS_2 = f"10.160.35.2 HV2 # lm-provider:{OWNER}"


def lab_run(text: str, params: object) -> tuple[str, dict[str, object] | str]:
    """Run the lab's op on a host whose file is ``text``: the new text and the JSON (or the error)."""
    host = Host("LAB-2022", "corp.com", "2022", [NetAdapter("Ethernet", "NIC", "00-1A-4B-00-00-01", 1)],
                hosts_file=text)
    outcome = execute(REGISTRY, host, build_script(op_of(params), wire_params(params)))
    new_text = outcome.host.hosts_file if outcome.host is not None else text
    if outcome.result.exit_code != 0:
        return new_text, outcome.result.stderr.decode()
    return new_text, json.loads(outcome.result.stdout)


def sdk_and_lab_edit(text: str, lines: list[HostsLine], owner: str = OWNER) -> Edit:
    """The SDK's edit, asserted equal to the lab's apply."""
    result = edit(text, owner, lines)
    lab_text, answer = lab_run(text, HostsApplyParams(owner, lines))
    assert lab_text == result.text
    if result.conflicts:
        assert isinstance(answer, str)
        message = first_message(answer)
        assert message.startswith("the hosts file maps a name of this resource to another address")
        assert all(str(conflict) in message for conflict in result.conflicts), message
    else:
        assert answer == {"Changed": result.changed, "Owned": result.view.owned,
                          "Others": [{"Line": o.line, "Text": o.text} for o in result.view.others]}
    return result


@pytest.mark.parametrize("original", [
    DEFAULT_HOSTS_FILE,
    "127.0.0.1 localhost\n# LF only\n",
    "# no final newline\r\n10.9.9.9 build01",
    "",
    "\r\n\r\n",
    "10.9.9.9\tbuild01\t# tabs, a trailing comment\r\n  # indented comment\r\n::1 localhost\r\n",
    "caf\u00e9 10.0.0.1\r\n10.9.9.9 \u00e9t\u00e9\r\nlone\rcarriage return\r\n",
])
def test_adding_and_removing_gives_back_every_byte(original: str) -> None:
    added = sdk_and_lab_edit(original, [HV1, HV2])
    assert added.changed and added.view.owned == [OURS_1, OURS_2]
    assert added.text.startswith(original)
    newline = "\n" if "\r\n" not in original and "\n" in original else "\r\n"
    assert OURS_1 + newline + OURS_2 in added.text
    assert added.text.endswith(OURS_2 + newline) == (original == "" or original.endswith("\n"))
    again = sdk_and_lab_edit(added.text, [HV1, HV2])
    assert not again.changed and again.text == added.text
    removed = sdk_and_lab_edit(added.text, [])
    assert removed.changed and removed.text == original and removed.view.owned == []
    assert not sdk_and_lab_edit(original, []).changed


def test_an_update_rewrites_our_lines_in_place_and_drops_stray_copies() -> None:
    text = f"# top\r\n{OURS_1}\r\n10.9.9.9 build01\r\n{OURS_1}\r\n# bottom\r\n"
    result = sdk_and_lab_edit(text, [HostsLine("10.160.35.9", ["hv1"]), HV2])
    assert result.text == (f"# top\r\n10.160.35.9 hv1 # lm-provider:{OWNER}\r\n{OURS_2}\r\n"
                           "10.9.9.9 build01\r\n# bottom\r\n")


@pytest.mark.parametrize("line", [
    "10.9.9.9 hv10",                      # a longer name that contains ours
    "10.9.9.9 hv1.corp.com.evil",         # a longer FQDN
    "10.9.9.9 xhv1",
    "10.9.9.9 other # hv1",               # our name only inside a comment
    "# 10.9.9.9 hv1",                     # a commented-out line
    "fe80::1 hv1",                        # IPv6: another address family
    "010.9.9.9 hv1",                      # not a dotted quad without leading zeros
    "10.9.9.9",                           # no name at all
    "10.9.9.9 h\u0131v1",                 # not ASCII
])
def test_only_whole_tokens_of_ipv4_lines_outside_comments_can_conflict(line: str) -> None:
    text = f"{line}\r\n"
    result = sdk_and_lab_edit(text, [HV1])
    assert result.conflicts == [] and result.view.others == []
    assert result.text == f"{text}{OURS_1}\r\n"


def test_a_foreign_line_mapping_our_name_elsewhere_is_refused_naming_it_any_case_any_blank() -> None:
    text = "# admin's lines\r\n10.160.35.1 hv1\r\n10.9.9.9\tbuild01  HV1.Corp.Com # moved\r\n"
    result = sdk_and_lab_edit(text, [HV1])
    assert result.text == text and not result.changed
    assert [str(c) for c in result.conflicts] == [
        "line 3 ('10.9.9.9\tbuild01  HV1.Corp.Com # moved') maps HV1.Corp.Com to 10.9.9.9, not 10.160.35.1"]
    assert result.view.others == [FileLine(2, "10.160.35.1 hv1"),
                                  FileLine(3, "10.9.9.9\tbuild01  HV1.Corp.Com # moved")]


def test_a_line_with_the_same_address_is_kept_and_shared_not_owned() -> None:
    text = "10.160.35.1 HV1 # the admin's own\r\n"
    result = sdk_and_lab_edit(text, [HV1])
    assert result.view.others == [FileLine(1, "10.160.35.1 HV1 # the admin's own")]
    assert sdk_and_lab_edit(result.text, []).text == text


@pytest.mark.parametrize("comment", [
    f"# lm-provider:{OWNER}x", f"#lm-provider:{OWNER}", f"# lm-provider:{OWNER} ", f"# LM-PROVIDER:{OWNER}",
    f"# lm-provider:{OWNER[:-1]}", f"# lm-provider:{OTHER_OWNER}", f"# lm-provider:{OWNER.upper()}",
])
def test_our_lines_are_recognised_exactly(comment: str) -> None:
    line = f"10.160.35.1 hv1 hv1.corp.com {comment}"
    assert not is_ours(line, OWNER)
    result = sdk_and_lab_edit(f"{line}\r\n", [HV1])
    assert result.text == f"{line}\r\n{OURS_1}\r\n"
    assert sdk_and_lab_edit(result.text, []).text == f"{line}\r\n"


def test_another_resources_line_conflicts_like_any_line_we_do_not_own() -> None:
    theirs = f"10.160.35.7 hv1 # lm-provider:{OTHER_OWNER}"
    result = sdk_and_lab_edit(f"{theirs}\r\n", [HV1])
    assert [c.line for c in result.conflicts] == [1]


def test_the_read_op_and_the_view_agree() -> None:
    text = f"10.160.35.1 HV1\r\n{OURS_1}\r\n10.9.9.9 hv1.CORP.com\r\n10.9.9.9 hv10\r\n"
    expected = FileView([OURS_1], [FileLine(1, "10.160.35.1 HV1"), FileLine(3, "10.9.9.9 hv1.CORP.com")])
    assert view(text, OWNER, ["hv1", "hv1.corp.com"]) == expected
    _, answer = lab_run(text, HostsReadParams(OWNER, ["hv1", "hv1.corp.com"]))
    assert answer == {"Changed": False, "Owned": expected.owned,
                      "Others": [{"Line": o.line, "Text": o.text} for o in expected.others]}
    assert [str(c) for c in conflicts(expected.others, [HV1])] == [
        "line 3 ('10.9.9.9 hv1.CORP.com') maps hv1.CORP.com to 10.9.9.9, not 10.160.35.1"]


@pytest.mark.parametrize(("params", "message"), [
    (HostsApplyParams("not-an-owner", [HV1]), "is not an lm-provider owner tag"),
    (HostsApplyParams(OWNER, [HostsLine("10.0.0.300", ["hv1"])]), "is not an IPv4 address"),
    (HostsApplyParams(OWNER, [HostsLine("10.0.0.3", [f"n{i}" for i in range(10)])]), "1 to 9 are allowed"),
    (HostsApplyParams(OWNER, [HostsLine("10.0.0.3", ["a#b"])]), "is not a host name"),
    (HostsReadParams("ABCDEF0123456789", ["hv1"]), "is not an lm-provider owner tag"),
])
def test_the_lab_refuses_what_the_script_refuses(params: object, message: str) -> None:
    text, answer = lab_run(DEFAULT_HOSTS_FILE, params)
    assert text == DEFAULT_HOSTS_FILE and isinstance(answer, str) and message in answer


def test_rendering() -> None:
    assert render(HV1, OWNER) == OURS_1


def test_the_script_states_the_same_rules_and_locks_around_its_read_modify_write() -> None:
    apply_body = script_body("hostsfile.apply")
    assert f"$LmIPv4 = '{IPV4.pattern}'" in apply_body and lab_hostsfile.IPV4.pattern == IPV4.pattern
    assert f"$LmMarker = '{MARKER}'" in apply_body and lab_hostsfile.MARKER == MARKER
    assert f"$LmOwnerPattern = '{OWNER_PATTERN.pattern}'" in apply_body
    assert "'^[\\x21-\\x7E]+$'" in apply_body and "[char]32, [char]9" in apply_body
    steps = ["New-Object System.Threading.Mutex $false, 'Global\\lm-provider-hosts-file'", ".WaitOne(",
             "LmHostsRead $LmHostsPath", "[System.IO.File]::WriteAllBytes($temp", "[System.IO.File]::Replace($temp",
             "$mutex.ReleaseMutex()"]
    positions = [apply_body.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), dict(zip(steps, positions, strict=True))
    assert "GetDirectoryName($LmHostsPath)" in apply_body  # the temporary file sits next to the hosts file
