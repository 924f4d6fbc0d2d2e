"""The feed (placeholder until the feed lands)."""
from django.shortcuts import render


def feed(request):
    return render(request, "engage/feed.html", {})
