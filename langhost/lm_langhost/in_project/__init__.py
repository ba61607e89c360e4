"""Scripts that the *project's* interpreter runs by path (never imported by the host).

They use only the standard library and the project's own ``pulumi`` package, and keep to Python
3.10 syntax, since they run in whatever interpreter the project uses.
"""
