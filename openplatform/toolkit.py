"""django-oauth-toolkit as operators meet it in admin: its section and models named in Chinese.

The toolkit ships no translations and its models leave their names to Django (``access token``,
made from the class name, which no catalog can reach). This config names them with our own
marked strings; the words of its fields and choices are in ``toolkit_locale/`` (see settings).
"""
from django.utils.translation import gettext_lazy as _
from oauth2_provider.apps import DOTConfig


class OAuthToolkitConfig(DOTConfig):
    verbose_name = _("Open platform authorizations")

    def ready(self):
        super().ready()
        names = {
            "application": (_("OAuth client"), _("OAuth clients")),
            "grant": (_("authorization code"), _("authorization codes")),
            "accesstoken": (_("access token"), _("access tokens")),
            "refreshtoken": (_("refresh token"), _("refresh tokens")),
            "idtoken": (_("ID token"), _("ID tokens")),
            "devicegrant": (_("device authorization"), _("device authorizations")),
        }
        for model in self.get_models():
            if model._meta.model_name in names:
                model._meta.verbose_name, model._meta.verbose_name_plural = names[model._meta.model_name]
