"""Sign-up, log-in, the Me page (我) and profile editing."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError

from .. import selectors, services
from ..forms import LoginForm, ProfileForm, SignupForm, add_domain_error
from ..models import Video
from .common import safe_next


class LoginView(auth_views.LoginView):
    template_name = "creators/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


def signup(request):
    if request.user.is_authenticated:
        return redirect("creators:me")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(**form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Douyin, %(name)s!") % {"name": user.nickname})
            return redirect(safe_next(request) or "creators:me")
    return render(request, "creators/signup.html", {"form": form, "next": safe_next(request) or ""})


@login_required
def me(request):
    user = request.user
    eligibility = selectors.eligibility_for(user)
    rights = selectors.cart_rights_for(user)
    return render(request, "creators/me.html", {
        "eligibility": eligibility,
        "passed_count": sum(c.passed for c in eligibility.criteria),
        "application": selectors.latest_application(user),
        "rights": rights,
        "has_rights": any(r.status != "none" for r in rights),
        "video_count": Video.objects.filter(owner=user).count(),
        "real_name": getattr(user, "real_name", None),
    })


@login_required
def profile_edit(request):
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None,
                       initial={"nickname": user.nickname, "bio": user.bio})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, nickname=form.cleaned_data["nickname"], bio=form.cleaned_data["bio"],
                                    avatar=form.cleaned_data["avatar"] or None)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("creators:me")
    return render(request, "creators/profile_edit.html", {"form": form})
