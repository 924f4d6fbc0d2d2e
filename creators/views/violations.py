"""The creator's own violations (issue 12 §5): the rule quoted as it stood, the evidence,
the points, the penalty and its end, and one appeal within ``APPEAL_DAYS``."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

from ..selectors import violation_of, violations_of
from ..services.governance import APPEAL_TEXT_MAX, appeal_deadline, appeal_submit


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images in one input; each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleImageField, self).clean(f, initial) for f in files if f]


class AppealForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Why is this violation wrong?"), max_length=APPEAL_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))
    images = MultipleImageField(label=gettext_lazy("Images (optional)"), required=False)


@login_required
def violation_list(request):
    return render(request, "creators/violations.html", {"violations": list(violations_of(request.user))})


@login_required
def violation_detail(request, pk: int):
    violation = violation_of(request.user, pk)
    if violation is None:
        raise Http404
    appeal = getattr(violation, "appeal", None) if hasattr(violation, "appeal") else None
    deadline = appeal_deadline(violation)
    can_appeal = (appeal is None and violation.status == violation.Status.CONFIRMED
                  and deadline is not None and timezone.now() <= deadline)
    form = AppealForm(request.POST or None, request.FILES or None) if can_appeal else None
    if request.method == "POST" and form is not None:
        if form.is_valid():
            try:
                appeal_submit(user=request.user, violation_id=violation.pk, text=form.cleaned_data["text"],
                              images=request.FILES.getlist("images"))
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Your appeal was sent; the commerce assistant will tell you the decision."))
                return redirect("creators:violation", pk=violation.pk)
    elif request.method == "POST":
        messages.error(request, _("This violation can no longer be appealed."))
        return redirect("creators:violation", pk=violation.pk)
    return render(request, "creators/violation.html", {
        "v": violation, "appeal": appeal, "deadline": deadline, "form": form,
        "penalties": list(violation.penalties.all()), "appeal_days": settings.APPEAL_DAYS,
    }, status=400 if form is not None and form.errors else 200)
