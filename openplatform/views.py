from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .forms import AppForm
from .gateway import STATUS
from .methods import REGISTRY, SCOPES
from .models import OpenApp
from .selectors import apps_of, granted_apps
from .services import app_register, app_rotate_secret, grant_revoke
from .signing import param_json


def docs(request):
    """/open/docs/: every method with its parameters, scope and an example, from the registry."""
    methods = [{"m": m, "example": param_json(m.example)} for m in REGISTRY.values()]
    return render(request, "openplatform/docs.html", {
        "methods": methods, "scopes": SCOPES.items(), "codes": sorted(STATUS)})


@login_required
def apps(request):
    """开发者：register an app; the key is always shown, the secret once (right after creating or rotating)."""
    form = AppForm(request.POST or None)
    if request.method == "POST" and request.POST.get("rotate"):
        app = get_object_or_404(OpenApp, pk=request.POST.get("rotate"), developer=request.user)
        request.session["open_secret_once"] = [app.pk, app_rotate_secret(app=app)]
        return redirect("openplatform:apps")
    if request.method == "POST" and form.is_valid():
        app = app_register(developer=request.user, **form.cleaned_data)
        request.session["open_secret_once"] = [app.pk, app.secret]
        return redirect("openplatform:apps")
    once = request.session.pop("open_secret_once", None)
    return render(request, "openplatform/apps.html", {"form": form, "apps": apps_of(request.user), "once": once})


@login_required
def grants(request):
    """我的-授权管理: every app holding a grant, with revoke."""
    if request.method == "POST":
        try:
            app_id = int(request.POST.get("app", ""))
        except ValueError:
            return render(request, "openplatform/grants.html", {"rows": granted_apps(request.user),
                          "error": _("Choose an app.")}, status=400)
        grant_revoke(user=request.user, app_id=app_id)
        messages.success(request, _("Authorization revoked."))
        return redirect("openplatform:grants")
    return render(request, "openplatform/grants.html", {"rows": granted_apps(request.user), "scopes": SCOPES})
