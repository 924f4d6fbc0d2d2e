"""Plain HTTP only for loopback clients (``make serve`` load tests); others go to HTTPS."""
from django.http import HttpResponsePermanentRedirect

LOOPBACK = {"127.0.0.1", "::1"}


class LoopbackOnlyPlainHttpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.is_secure() and request.META.get("REMOTE_ADDR") not in LOOPBACK:
            return HttpResponsePermanentRedirect("https://" + request.get_host() + request.get_full_path())
        return self.get_response(request)
