# The clients talk to the in-process sandbox in any test that asks for ``sandbox``.
from tests.affiliates.sandbox_transport import no_sleep, sandbox  # noqa: F401
