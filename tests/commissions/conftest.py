"""Fixtures of the commissions tests: the in-process sandbox (sources) for outside orders."""
from tests.affiliates.sandbox_transport import no_sleep, sandbox  # noqa: F401 (fixtures)
