"""The Pulumi adapters: dynamic providers and resource classes. The only part of the package that
imports ``pulumi.dynamic``; everything they do is delegated to ``lm_provider.resources``."""
