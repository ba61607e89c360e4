"""A sibling module of the entry point (it must be importable as ``import greeting``)."""

TEXT = "hello from a sibling module"


def fail(reason: str) -> None:
    """Raise, so that the traceback runs through two of the user's files."""
    raise ValueError(reason)
