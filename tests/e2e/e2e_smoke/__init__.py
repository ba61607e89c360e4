"""A small dynamic resource of the test suite's own, to exercise the real engine end to end.

Lives in its own importable package (tests/e2e on PYTHONPATH) because the dynamic provider is
pickled by reference: the provider host process must be able to import it.
"""
