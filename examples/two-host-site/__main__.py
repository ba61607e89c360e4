"""`pulumi up` builds the reference site and prints whether each host is ready to migrate."""

from two_host_site import two_host_site

from lm_provider import export_fabric_summary

export_fabric_summary(two_host_site())
