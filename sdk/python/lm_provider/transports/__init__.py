"""Transports: one per protocol (pywinrm for WinRM, ldap3 for LDAP, netmiko for SSH); library
exceptions are mapped to lm_provider.errors here. Never import Pulumi or resource logic."""
