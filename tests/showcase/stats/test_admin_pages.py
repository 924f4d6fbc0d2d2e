"""Operators can open every admin page of the stats, academy, announcements and rules center."""
import pytest

from tests.factories.creators import PASSWORD, UserFactory

from .helpers import creator_with_rights, events, flush, sale

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "stats/dailystat", "stats/salerecord", "stats/leaderboardentry",
    "notices/course", "notices/announcement", "notices/course/add", "notices/announcement/add",
    "creators/rulearticle", "creators/faqentry", "creators/violation", "creators/violation/add",
    "creators/creditaccount",
])
def test_admin_pages_open(client, path):
    creator = creator_with_rights()
    events(creator, n=2)
    sale(creator)
    flush()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.login(handle=staff.handle, password=PASSWORD)
    response = client.get(f"/admin/{path}/")
    assert response.status_code == 200
