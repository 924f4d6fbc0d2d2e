"""The inbox tests use the onboarding tests' account fixtures (SMS outbox, users, clients)."""
from tests.creators.conftest import _locmem_sms, api, logged_in, staff_client, user  # noqa: F401
