"""Baselines for the HTTP benchmarks (mounted only when settings.BENCH_ENDPOINTS is on):
the cheapest Django JSON view, and the same with one ORM query."""
from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse


def hello(request):
    return JsonResponse({"hello": "world"})


def one_query(request):
    row = ContentType.objects.order_by("pk").values("app_label", "model").first()
    return JsonResponse({"first": row})
