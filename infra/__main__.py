"""The main job (``pulumi up`` at the repository root): the site the stack's configuration describes.

``Pulumi.lab.yaml`` holds the reference site (two DL380 G5 hosts on 2012 R2, 10.160.35.0/24,
KOM-SW01); ``scripts/demo`` builds it on the lab. Another datacenter is another stack with its own
``Pulumi.<stack>.yaml`` (README "Quickstart" lists the keys).
"""

from lm_provider import export_fabric_summary, fabric_from_config

export_fabric_summary(fabric_from_config())
