from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def me(request):
    return render(request, "creators/me.html", {})


class LoginView(auth_views.LoginView):
    template_name = "creators/login.html"
