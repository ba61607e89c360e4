"""The site of the tests' session labs (tests/conftest.py): one host per OS version, both switch
platforms; importable by name (``from labsite import SITE``) from any test directory."""

SITE = {
    "domain": "holding.com",
    "netbios_domain": "HOLDING",
    "hosts": [
        {"name": "KOM-AD01-VM01", "os": "2012r2"},
        {"name": "KOM-AD01-VM02", "os": "2012r2"},
        {"name": "LAB-2012", "os": "2012"},
        {"name": "LAB-2016", "os": "2016", "listener_refresh": "on-vmms-restart"},
        {"name": "LAB-2019", "os": "2019"},
        {"name": "LAB-2022", "os": "2022"},
    ],
    "switches": [{"name": "KOM-SW01", "platform": "c3560g"}, {"name": "LAB-C9300", "platform": "c9300"}],
    "cabling": [
        {"host": "KOM-AD01-VM01", "adapter": "Ethernet 2", "switch": "KOM-SW01", "port": "GigabitEthernet0/1"},
        {"host": "KOM-AD01-VM02", "adapter": "Ethernet 2", "switch": "KOM-SW01", "port": "GigabitEthernet0/2"},
        {"host": "LAB-2016", "adapter": "Ethernet 2", "switch": "KOM-SW01", "port": "GigabitEthernet0/3"},
        {"host": "LAB-2019", "adapter": "Ethernet 2", "switch": "LAB-C9300", "port": "GigabitEthernet1/0/1"},
        {"host": "LAB-2022", "adapter": "Ethernet 2", "switch": "LAB-C9300", "port": "GigabitEthernet1/0/2"},
    ],
}
"""LAB-2012 stays uncabled (the path check's broken case)."""
