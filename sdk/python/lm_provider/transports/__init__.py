"""Transports: talk to remote systems (WinRM, LDAP, SSH) and map library errors to ours.
Never import Pulumi or resource logic."""
