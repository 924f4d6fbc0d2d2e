"""The OAuth side of the open platform reads in Chinese in admin, as the rest of admin does:
django-oauth-toolkit ships no translations, so its section, models, fields, choices, actions
and columns take ours. (Mutation tried: dropping ``toolkit_locale`` from LOCALE_PATHS leaves
the field names in English and the last test fails.)"""
import pytest
from django.apps import apps
from django.utils import translation

from tests.factories.creators import UserFactory

pytestmark = pytest.mark.django_db

MODELS = ("application", "accesstoken", "refreshtoken", "grant", "idtoken")
PROTOCOL_NAMES = {"plain", "S256"}  # PKCE's method names (RFC 7636): written as the protocol spells them


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_index_names_the_oauth_section_and_its_models_in_chinese(operator):
    html = operator.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for words in ("开放平台授权", "OAuth 客户端", "访问令牌", "刷新令牌", "授权码", "ID 令牌"):
        assert words in html, words
    assert "Django OAuth Toolkit" not in html and "Access tokens" not in html


def test_the_token_list_offers_revoking_in_chinese(operator):
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    app = Application.objects.create(name="MCN", client_type="confidential",
                                     authorization_grant_type="authorization-code", redirect_uris="https://mcn.example/cb")
    AccessToken.objects.create(application=app, user=UserFactory(), token="t" * 40, scope="read",
                               expires=timezone.now() + timedelta(hours=1))
    html = operator.get("/admin/oauth2_provider/accesstoken/").content.decode()
    assert "撤销所选访问令牌" in html and "Revoke selected" not in html
    assert "令牌" in html and "应用" in html  # the masked-token and application columns


def _words(text, lang):
    with translation.override(lang):
        return str(text)


def test_every_field_and_choice_of_the_toolkit_models_has_chinese():
    english = []
    for name in MODELS:
        model = apps.get_model("oauth2_provider", name)
        for field in model._meta.get_fields():
            if not hasattr(field, "verbose_name") or field.auto_created or field.primary_key:
                continue
            shown = [("field", field.verbose_name)]
            shown += [("choice", label) for _value, label in getattr(field, "flatchoices", None) or []]
            for kind, text in shown:
                if _words(text, "zh-hans") == _words(text, "en") and str(text) not in PROTOCOL_NAMES:
                    english.append(f"{name}.{field.name} {kind}: {_words(text, 'en')}")
    assert not english, english
