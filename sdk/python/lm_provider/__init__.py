"""lm-provider: Pulumi resources that separate Hyper-V Shared Nothing Live Migration traffic."""

__all__: list[str] = []
