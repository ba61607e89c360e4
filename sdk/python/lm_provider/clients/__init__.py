"""Typed device and directory APIs over a transport: one method = one round trip. No Pulumi."""
