"""Simulated Windows Server / Hyper-V hosts: model, op protocol, WinRS service, WS-Man endpoint."""
