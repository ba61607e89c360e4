"""Pure models and validation: typed args and state per resource, checks, diffs. No I/O."""
