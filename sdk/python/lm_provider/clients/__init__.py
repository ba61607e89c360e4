"""Typed device APIs over a transport: one method = one round trip. No Pulumi."""
