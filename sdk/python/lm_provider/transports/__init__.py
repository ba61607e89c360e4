"""Transports: one per protocol (ldap3 for LDAP); library exceptions are mapped to lm_provider.errors here."""
