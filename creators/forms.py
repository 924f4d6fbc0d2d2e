"""HTML forms: they only shape input; the rules live in the services."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.normalize import code_normalize, form_clean, handle_normalize, id_number_normalize, phone_normalize

from .models import CartApplication


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none",
                                                      "placeholder": _("Your Douyin number")})


class SignupForm(forms.Form):
    handle = forms.CharField(
        label=_("Douyin number"), max_length=32,
        help_text=_("2–32 letters, digits, underscores or dots. It is your login and your profile address."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    nickname = forms.CharField(label=_("Nickname"), max_length=40)
    password = forms.CharField(
        label=_("Password"), strip=False, help_text=_("At least 8 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_handle(self):
        return form_clean(self, "handle", handle_normalize)


class ProfileForm(forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=40)
    bio = forms.CharField(label=_("Bio"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    avatar = forms.FileField(label=_("Avatar"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric",
                                                          "autocomplete": "tel-national", "placeholder": "138 0000 0000"}))
    code = forms.CharField(label=_("Verification code"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "placeholder": _("6 digits")}))

    def clean_phone(self):
        return form_clean(self, "phone", phone_normalize)

    def clean_code(self):
        return form_clean(self, "code", code_normalize) if self.cleaned_data.get("code") else ""


class RealNameForm(forms.Form):
    name = forms.CharField(label=_("Legal name"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=20,
        help_text=_("18 characters; the last one may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_id_number(self):
        return form_clean(self, "id_number", id_number_normalize)


class VideoForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    cover = forms.FileField(label=_("Cover image"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    video_file = forms.FileField(label=_("Video file (optional)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/quicktime"}))
    is_public = forms.BooleanField(label=_("Public: everyone can watch it"), required=False, initial=True)
    is_original = forms.BooleanField(label=_("Original: I made this video myself"), required=False, initial=True)


class ApplyForm(forms.Form):
    entry_point = forms.ChoiceField(choices=CartApplication.EntryPoint.choices, widget=forms.HiddenInput)
