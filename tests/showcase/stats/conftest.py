import pytest

from showcase.stats.buffer import get_buffer, reset_buffer


@pytest.fixture(autouse=True)
def _empty_stats_buffer():
    """Every stats test starts and ends with an empty event buffer."""
    reset_buffer()
    get_buffer().clear()
    yield
    get_buffer().clear()
    reset_buffer()
