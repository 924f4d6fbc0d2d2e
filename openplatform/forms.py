from django import forms
from django.utils.translation import gettext_lazy as _


class AppForm(forms.Form):
    name = forms.CharField(label=_("App name"), max_length=60)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    callback_url = forms.URLField(label=_("Callback URL"), assume_scheme="https",
                                  help_text=_("Where the creator returns after agreeing (OAuth redirect URI); "
                                              "https only."))
    webhook_url = forms.URLField(label=_("Webhook URL"), required=False, assume_scheme="https")

    def clean_callback_url(self):
        url = self.cleaned_data["callback_url"]
        if not url.lower().startswith("https://"):
            # OAuth 2.0 Security BCP (RFC 9700): the code travels to this address, so only over TLS.
            raise forms.ValidationError(_("The callback URL must start with https://."), code="https_required")
        return url
