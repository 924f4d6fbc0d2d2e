"""The way to product sharing: bind a phone, verify a real name, see the checklist, apply."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError

from .. import selectors, services
from ..forms import ApplyForm, PhoneForm, RealNameForm, add_domain_error
from ..models import CartApplication
from ..sms import mask_phone
from .common import client_ip, safe_next


def _ttl_minutes() -> int:
    return int(settings.SMS_CODE_TTL.total_seconds() // 60)


@login_required
def phone(request):
    user = request.user
    form = PhoneForm(request.POST or None)
    code_sent = False
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "send")
        try:
            if action == "bind":
                if not form.cleaned_data["code"]:
                    form.add_error("code", _("Enter the 6-digit code we sent you."))
                else:
                    services.phone_bind(user=user, phone=form.cleaned_data["phone"], code=form.cleaned_data["code"])
                    messages.success(request, _("Phone number %(phone)s is bound to your account.")
                                     % {"phone": mask_phone(user.phone)})
                    return redirect(safe_next(request) or "creators:me")
            else:
                services.phone_code_request(user=user, phone=form.cleaned_data["phone"], ip=client_ip(request))
                code_sent = True
                messages.info(request, _("A verification code was sent to %(phone)s. It is valid for %(minutes)s minutes.")
                              % {"phone": mask_phone(services.validate_phone(form.cleaned_data["phone"])),
                                 "minutes": _ttl_minutes()})
        except DomainError as e:
            add_domain_error(form, e)
            code_sent = action == "bind"
    return render(request, "creators/phone.html", {
        "form": form, "next": safe_next(request) or "", "code_sent": code_sent, "ttl_minutes": _ttl_minutes(), "bound_phone": mask_phone(user.phone) if user.phone else "",
    })


@login_required
def realname(request):
    record = getattr(request.user, "real_name", None)
    form = RealNameForm(request.POST or None)
    if record is None and request.method == "POST" and form.is_valid():
        try:
            record = services.real_name_verify(user=request.user, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("Your real name is verified."))
            return redirect(safe_next(request) or "creators:realname")
    return render(request, "creators/realname.html", {
        "form": form, "record": record, "next": safe_next(request) or "", "MIN_AGE": settings.MIN_SELLER_AGE})


@login_required
def eligibility(request):
    result = selectors.eligibility_for(request.user)
    return render(request, "creators/eligibility.html", {
        "eligibility": result, "application": selectors.latest_application(request.user),
    })


def _entry(value: str | None) -> str:
    values = CartApplication.EntryPoint.values
    return value if value in values else CartApplication.EntryPoint.CREATOR_CENTER


@login_required
def apply(request):
    """The application page, reached from the creator center, the commerce assistant or a showcase."""
    user = request.user
    if request.GET.get("entry") in CartApplication.EntryPoint.values:
        # Remember the way in while the applicant detours to bind a phone or verify a name.
        request.session["cart_apply_entry"] = request.GET["entry"]
    entry = _entry(request.POST.get("entry_point") or request.GET.get("entry") or request.session.get("cart_apply_entry"))
    form = ApplyForm(request.POST or None, initial={"entry_point": entry})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.cart_application_submit(applicant=user, entry_point=form.cleaned_data["entry_point"])
        except DomainError as e:
            messages.error(request, str(e.message))
        else:
            request.session.pop("cart_apply_entry", None)
            if application.status == CartApplication.Status.APPROVED:
                messages.success(request, _("Product sharing is open: you now have the three rights."))
            else:
                messages.success(request, _("Application submitted. The commerce assistant will message you the result."))
            return redirect("creators:apply")
    latest = selectors.latest_application(user)
    return render(request, "creators/apply.html", {
        "form": form,
        "entry": entry,
        "entry_label": CartApplication.EntryPoint(entry).label,
        "eligibility": selectors.eligibility_for(user),
        "application": latest,
        "snapshot": selectors.snapshot_rows(latest.eligibility_snapshot) if latest else [],
        "rights": selectors.cart_rights_for(user),
    })
