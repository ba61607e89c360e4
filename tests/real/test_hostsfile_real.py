"""HostsEntries and HostsEntry on a real Windows Server (opt-in, see tests/realhost.py).

Names are unique to the run and addresses from TEST-NET-1 (192.0.2.0/24), so the host's own
entries are never touched; every step checks the file through the resource's own reads.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest

from lm_provider.errors import RemoteCommandError
from lm_provider.models.hosts_text import HostsLine
from lm_provider.resources.hostsfile import HostsEntriesLogic, HostsEntryLogic
from realhost import real_host

pytestmark = pytest.mark.real_host


def test_hosts_entries_lifecycle_on_a_real_host() -> None:
    host = real_host()
    logic = HostsEntriesLogic(host.connector)
    tag = secrets.token_hex(4)
    names = [f"lm-test-{tag}-a", f"lm-test-{tag}-a.example.test", f"lm-test-{tag}-b"]
    args = logic.check({"host": host.name, "winrm_endpoint": host.endpoint, "entries": [
        {"address": "192.0.2.10", "names": names[:2]}, {"address": "192.0.2.11", "names": names[2:]}]}).args
    assert args is not None
    created = logic.create(args)
    try:
        assert created.state.lines == [f"192.0.2.10 {names[0]} {names[1]} # lm-provider:{created.id}",
                                       f"192.0.2.11 {names[2]} # lm-provider:{created.id}"]
        read = logic.read(created.id, created.state)
        assert read == created.state and not logic.diff(read, args).has_changes
        assert logic.update(created.id, read, args) == read
        updated = logic.update(created.id, read, replace(args, entries=[HostsLine("192.0.2.12", names[:2])]))
        assert updated.lines == [f"192.0.2.12 {names[0]} {names[1]} # lm-provider:{created.id}"]

        rival = HostsEntryLogic(host.connector)
        rival_args = rival.check({"host": host.name, "winrm_endpoint": host.endpoint, "address": "192.0.2.99",
                                  "name": names[0]}).args
        assert rival_args is not None
        with pytest.raises(RemoteCommandError, match=f"maps {names[0]} to 192.0.2.12, not 192.0.2.99"):
            rival.create(rival_args)
    finally:
        logic.delete(created.id, created.state)
    gone = logic.read(created.id, created.state)
    assert gone.lines == [] and gone.conflicts == []
    logic.delete(created.id, created.state)
