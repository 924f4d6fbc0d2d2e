from tests.affiliates.sandbox_transport import no_sleep, sandbox  # noqa: F401
