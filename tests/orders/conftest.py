"""Fixtures of the orders tests: the in-process sandbox (sources) for the external-order tests."""
from tests.affiliates.sandbox_transport import no_sleep, sandbox  # noqa: F401 (fixtures)
