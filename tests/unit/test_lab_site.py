"""Site files and the lab directory: one-line errors naming file, line and key; the domain rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lmlab.labdir import LabDir
from lmlab.site import dump_site, generated_site, load_site


def test_malformed_yaml_names_the_file_line_and_column() -> None:
    with pytest.raises(ValueError) as caught:
        load_site("domain: holding.com\nhosts:\n  - {name: A, os: 2012r2\n", "site.yaml")
    message = str(caught.value)
    assert message.startswith("site.yaml, line 4, column 1: not valid YAML: ")
    assert "\n" not in message


@pytest.mark.parametrize("text,message", [
    ("hosts: [{name: A, nic: 2}]", "hosts.0.nic: unknown field; allowed: name, os, listener_refresh, adapters"),
    ("hosts: [{name: A}]\nswitches: [{name: S, ports: 8}]", "switches.0.ports: unknown field; allowed: name, platform"),
    ("hosts: [{name: A}, {name: B, listener_refresh: later}]",
     "hosts.1.listener_refresh: 'later' is not allowed; allowed: immediate, on-vmms-restart"),
    ("hosts: [{name: A}]\ncabling: [{host: B, adapter: E, switch: S, port: P}]",
     "cabling.0.host: 'B' is not a host of this site"),
    ("hosts: 5", "hosts: 5 is not a list"),
    ("hosts: [5]", "hosts.0: 5 is not an object; fields: name, os, listener_refresh, adapters"),
    ("domain: holding\nhosts: [{name: A}]", "domain: 'holding' is not a DNS domain"),
    ("hosts: [{name: A}]\nfoo: 1", "unknown key(s) foo; allowed: domain, netbios_domain, hosts, switches, cabling"),
])
def test_bad_entries_name_the_path_and_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        load_site(text, "site.yaml")
    assert str(caught.value).startswith(f"site.yaml: {message}") and "\n" not in str(caught.value)


def test_the_netbios_name_follows_the_domain_unless_given() -> None:
    assert load_site("domain: corp.example.net\nhosts: [{name: A}]").netbios_domain == "CORP"
    assert load_site("domain: corp.example.net\nnetbios_domain: ex\nhosts: [{name: A}]").netbios_domain == "EX"
    assert load_site("hosts: [{name: A, os: 2012}]").hosts[0].os == "2012"  # YAML's number becomes the OS key


def test_a_lab_made_for_one_domain_refuses_another(tmp_path: Path) -> None:
    lab = LabDir(tmp_path / "lab")
    lab.init(dump_site(generated_site(1)))
    lab.init("domain: corp.example\nhosts: [{name: A}]")  # nothing was made for holding.com yet
    assert lab.site().netbios_domain == "CORP"
    (lab.state_dir / "hosts").mkdir(parents=True)
    (lab.state_dir / "hosts" / "A.json").write_text("{}")
    with pytest.raises(ValueError, match=r"domain holding.com \(HOLDING\) differs from corp.example \(CORP\)"):
        lab.init(dump_site(generated_site(1)), "--hosts 1")
    assert lab.site().domain == "corp.example"  # the old site stays


def test_writing_a_lab_directory_imports_no_samba_code(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from lmlab.labdir import LabDir; "
            f"LabDir(Path({str(tmp_path)!r})).init(); "
            "print(sorted(m for m in sys.modules if m in ('lmlab.ad', 'ldap3')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert set(LabDir(tmp_path).secrets()["ad"]) == {"admin_password", "user_password"}
