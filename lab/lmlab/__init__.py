"""lmlab: the lm-provider lab. Simulated Hyper-V hosts (real WS-Management) and Cisco switches
(real SSH) on loopback, plus a real Samba AD DC, so unmodified clients can be tested end to end."""

__all__: list[str] = []
