"""``manage.py runsandbox [--host 127.0.0.1] [--port 9100]``: serve only the source sandbox.

The five gateways, the imitated shop pages, images and short links, at the same paths as
under the site (``/sandbox/<source>/…``). Point the clients at it with
``SANDBOX_BASE_URL=http://<host>:<port>``.
"""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import run
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "Serve only the outside-source sandbox (gateways, shop pages, images, short links)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=9100)

    def handle(self, *args, host: str, port: int, **options):
        settings.ROOT_URLCONF = "affiliates.sandbox.standalone_urls"
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        self.stdout.write(f"Sandbox on http://{host}:{port}/sandbox/ "
                          f"(clients: SANDBOX_BASE_URL=http://{host}:{port})")
        run(host, port, get_wsgi_application(), ipv6=":" in host, threading=True)
