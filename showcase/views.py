"""Shopper-facing pages: the feed and search (extended by the showcase issue)."""
from django.shortcuts import render


def feed(request):
    return render(request, "showcase/feed.html", {})


def search(request):
    return render(request, "showcase/search.html", {"q": request.GET.get("q", "")})
