"""Shopper-facing showcase pages (search placeholder until the showcase issue lands)."""
from django.shortcuts import render


def search(request):
    return render(request, "showcase/search.html", {"q": request.GET.get("q", "")})
