"""${PROJECT}: the live-migration fabric the stack's configuration describes (Pulumi.<stack>.yaml).

`pulumi up` builds it (per host the migration NIC, live migration settings, delegations and hosts
entries; the switches' jumbo MTU; a don't-fragment path check) and prints each host's readiness.
"""

from lm_provider import export_fabric_summary, fabric_from_config

export_fabric_summary(fabric_from_config())
