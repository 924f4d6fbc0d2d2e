"""Absolute-form request targets (``POST http://host/path?query HTTP/1.1``).

HTTP/1.1 servers must accept them (RFC 9112 §3.2.2) and gunicorn does; Django's development
server (``make run``, ``manage.py runsandbox``, the test live server) puts the whole URL into
``PATH_INFO``, so the two JD SDKs that send such lines got a 404. This middleware, first in
``MIDDLEWARE``, moves such a request back onto its path before any URL is resolved.
"""
from __future__ import annotations

from urllib.parse import urlsplit


def absolute_request_target_middleware(get_response):
    def middleware(request):
        path_info = request.path_info
        if path_info.startswith(("http://", "https://")):
            path = urlsplit(path_info).path or "/"
            script_name = request.META.get("SCRIPT_NAME", "").rstrip("/")
            request.path_info = request.META["PATH_INFO"] = path
            request.path = script_name + path
        return get_response(request)

    return middleware
