import pytest

from creators import sms
from tests.factories.creators import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    """Codes go to ``creators.sms.outbox`` so tests can read them."""
    settings.SMS_BACKEND = "creators.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def logged_in(client, user):
    client.login(handle=user.handle, password=PASSWORD)
    return client


@pytest.fixture
def api(api_client, user):
    api_client.force_authenticate(user)
    return api_client


@pytest.fixture
def staff_client(client, db):
    staff = UserFactory(handle="reviewer", is_staff=True, is_superuser=True)
    client.login(handle=staff.handle, password=PASSWORD)
    client.staff_user = staff
    return client
