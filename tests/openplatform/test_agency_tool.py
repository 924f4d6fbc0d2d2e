"""Issue 14 §7: tools/open_agency.py (its own signing code, written from the issue) against a live server."""
import datetime
import importlib.util
import secrets
from pathlib import Path

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from openplatform.services import app_approve, app_register
from showcase.models import ShowcaseItem
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory
from tests.showcase.helpers import creator_with_rights

spec = importlib.util.spec_from_file_location("open_agency", Path(__file__).parents[2] / "tools" / "open_agency.py")
open_agency = importlib.util.module_from_spec(spec)
spec.loader.exec_module(open_agency)


@pytest.mark.django_db(transaction=True)
def test_the_agency_client_lists_creators_adds_a_product_and_reads_commission(live_server, capsys):
    app = app_approve(app=app_register(developer=UserFactory(), name="星河MCN", purpose="x",
                                       callback_url="https://a.example/cb"))
    creators = [creator_with_rights(nickname="琳琳穿搭"), creator_with_rights(nickname="果哥家乡好物")]
    tokens = [AccessToken.objects.create(user=c, application=app.oauth_application, token=secrets.token_urlsafe(24),
                                         expires=timezone.now() + datetime.timedelta(days=7),
                                         scope="showcase.read showcase.write commission.read").token
              for c in creators]
    product = ProductFactory()
    argv = ["--base", live_server.url, f"--key={app.app_key}", f"--secret={app.secret}", "--add-product", str(product.pk)]
    for t in tokens:
        argv.append(f"--token={t}")  # (keys, secrets and tokens may start with "-")
    assert open_agency.main(argv) == 0
    printed = capsys.readouterr().out
    assert printed.count(": 10000 success") == 2 and "estimated 0.00 yuan" in printed
    assert ShowcaseItem.objects.filter(product=product).count() == 2
    assert open_agency.main(["--base", live_server.url, f"--key={app.app_key}", "--secret=wrong",
                             f"--token={tokens[0]}"]) == 1
