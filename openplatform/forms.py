from django import forms
from django.utils.translation import gettext_lazy as _


class AppForm(forms.Form):
    name = forms.CharField(label=_("App name"), max_length=60)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    callback_url = forms.URLField(label=_("Callback URL"), assume_scheme="https",
                                  help_text=_("Where the creator returns after agreeing (OAuth redirect URI)."))
    webhook_url = forms.URLField(label=_("Webhook URL"), required=False, assume_scheme="https")
