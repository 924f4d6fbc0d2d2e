import pytest

from tests.affiliates.sandbox_transport import no_sleep, sandbox  # noqa: F401


@pytest.fixture(autouse=True)
def _instant_job_backoff(monkeypatch):
    """The command's own retry backoff between attempts of a part (real sleeps in production)."""
    from affiliates.sync.services import jobs

    slept: list[float] = []
    monkeypatch.setattr(jobs, "sleep", slept.append)
    return slept
