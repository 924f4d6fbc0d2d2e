"""A ``requests`` transport adapter that hands requests for the sandbox to Django in this
process (middleware, views, the same database connection) instead of the network: the demo
seeds outside products before any server is up, and the tests run clients without a server."""
from __future__ import annotations

from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

_SKIP_HEADERS = {"content-length", "content-type", "host", "connection", "accept-encoding"}


class InProcessSandbox(BaseAdapter):
    """A ``requests`` transport that answers from this process's URLconf (Django's test client
    machinery: a real request through middleware, views and the database connection)."""

    def __init__(self):
        super().__init__()
        from django.test import Client  # an in-process WSGI request, nothing about tests in it

        self.client = Client()

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.generic(
            request.method, parts.path + (f"?{parts.query}" if parts.query else ""), data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            headers={k: v for k, v in request.headers.items() if k.lower() not in _SKIP_HEADERS},
            SERVER_NAME=parts.hostname or "127.0.0.1", SERVER_PORT=str(parts.port or 80),
            HTTP_HOST=parts.netloc,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.items())
        response._content = b"".join(answer) if answer.streaming else answer.content
        response.encoding = get_encoding_from_headers(response.headers)
        response.url = request.url
        response.request = request
        response.reason = answer.reason_phrase
        return response

    def close(self):
        pass
