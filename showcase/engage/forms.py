"""HTML forms of the engage pages: they only shape input; the rules live in the services."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .models import COMMENT_MAX_CHARS, MESSAGE_MAX_CHARS, Comment


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=COMMENT_MAX_CHARS, strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Say something nice…"), "maxlength": COMMENT_MAX_CHARS}),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=COMMENT_MAX_CHARS, strip=True,
        widget=forms.TextInput(attrs={"placeholder": _("Reply as the creator…"), "maxlength": COMMENT_MAX_CHARS}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_CHARS, strip=True,
        widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("Send a message…"), "maxlength": MESSAGE_MAX_CHARS}),
    )


class CommentFilterForm(forms.Form):
    """The back office filters: by video, by "mentions a product", by status."""

    video = forms.TypedChoiceField(label=_("Video"), required=False, coerce=int, empty_value=None)
    mentions = forms.BooleanField(label=_("Mentions a product"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Visible and hidden")), (Comment.Status.VISIBLE, _("Visible")),
                 (Comment.Status.HIDDEN, _("Hidden"))],
    )

    def __init__(self, *args, videos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].choices = [("", _("All videos"))] + [
            (v.pk, f"{v.title} ({v.n})") for v in videos]
