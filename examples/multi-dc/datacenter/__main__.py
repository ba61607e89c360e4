"""`pulumi up -s <datacenter>`: the datacenter's hosts from AD, built as the stack's plan says."""

import pulumi
from datacenter import datacenter

from lm_provider import export_fabric_summary, get_hyperv_hosts

config = pulumi.Config()
site = datacenter(get_hyperv_hosts(config.require("searchBase"), config.get("namePattern") or "*"), config)
export_fabric_summary(site.fabric)
pulumi.export("unplanned", site.unplanned)
pulumi.export("members", site.members)
