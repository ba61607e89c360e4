"""Simulated Cisco Catalyst switches over SSH."""
