"""The base every later feature stands on: health, errors, API docs, deployment files."""
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from tests.assets import foreign_asset_urls

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_each_part_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_failed_part(client, monkeypatch):
    from core import health

    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


@pytest.mark.django_db
def test_openapi_schema_and_offline_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert foreign_asset_urls(html) == []
    assert client.get("/api/redoc/").status_code == 200


def test_domain_errors_become_one_json_shape():
    from rest_framework.exceptions import ValidationError

    from core.errors import InvalidInput, api_exception_handler

    response = api_exception_handler(InvalidInput("bad phone", field="phone", code="phone_format"), {})
    assert response.status_code == 400
    assert response.data == {"error": {"code": "phone_format", "message": "bad phone", "field": "phone"}}
    response = api_exception_handler(ValidationError({"title": ["This field is required."]}), {})
    assert response.status_code == 400
    assert response.data["error"]["field"] == "title"
    assert response.data["error"]["code"] == "required" or response.data["error"]["code"] == "invalid"


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_five_services_on_one_image():
    services = _compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(images) == 1
    assert all(services[name].get("build") == "." for name in ("web", "worker", "beat"))
    assert (ROOT / "Dockerfile").exists()


def test_compose_commands_name_real_modules():
    services = _compose()["services"]
    web = " ".join(services["web"]["command"])
    assert "douyin_cart.wsgi:application" in web
    assert find_spec("douyin_cart.wsgi") is not None
    for name in ("worker", "beat"):
        command = services[name]["command"]
        app = command[command.index("-A") + 1]
        assert find_spec(app) is not None, f"{name}: celery app module {app} does not exist"
    beat = services["beat"]["command"]
    scheduler = beat[beat.index("--scheduler") + 1]
    module, _, attr = scheduler.partition(":")
    mod = __import__(module, fromlist=[attr])
    assert hasattr(mod, attr)


def _manage(*args, env_extra=None):
    # The browser tests' async-unsafe switch is for the test process only, never a deployment.
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_prod_settings_refuse_to_start_without_secret_key():
    result = _manage("check", env_extra={"DJANGO_SETTINGS_MODULE": "douyin_cart.settings.prod"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_prod_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DJANGO_SETTINGS_MODULE": "douyin_cart.settings.prod",
        "SECRET_KEY": "k3#Jq9!vLp2@Zr8$Wm5^Tn1&Yx6*Bd4(Hs7)Gf0-Ce-Uo2+Ai9=Ek5_Ow3",
        "ALLOWED_HOSTS": "cart.example.com",
    })
    assert result.returncode == 0, result.stdout + result.stderr


def test_celery_is_configured_for_safe_redelivery():
    from douyin_cart.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
    assert app.conf.beat_scheduler.startswith("django_celery_beat")


@pytest.mark.django_db
def test_pages_use_no_cdn_assets(client):
    html = client.get(reverse("feed")).content.decode()
    assert foreign_asset_urls(html) == []


@pytest.mark.django_db
def test_language_switch_in_footer_changes_the_language(client):
    zh = client.get(reverse("feed")).content.decode()
    assert 'name="language"' in zh
    assert "首页" in zh
    response = client.get(reverse("set_language"), {"language": "en", "next": "/search/?q=T恤"})
    assert response.status_code == 302 and response.url == "/search/?q=T%E6%81%A4"
    en = client.get(reverse("feed")).content.decode()
    assert "Home" in en and "首页" not in en


@pytest.mark.django_db
def test_language_switch_goes_back_to_the_page_it_was_on_and_never_off_site(client):
    url = reverse("set_language")
    assert client.get(url, {"language": "en"}, HTTP_REFERER="http://testserver/search/")["Location"] == \
        "http://testserver/search/"
    assert client.get(url, {"language": "en", "next": "https://evil.example/"})["Location"] == "/"
    assert client.post(url, {"language": "zh-hans", "next": "/me/"})["Location"] == "/me/"
    assert client.cookies["django_language"].value == "zh-hans"


@pytest.mark.django_db
def test_language_switch_refuses_an_unknown_language_naming_the_field(client):
    response = client.get(reverse("set_language"), {"language": "fr"})
    assert response.status_code == 400
    assert "language" in response.content.decode() and "zh-hans, en" in response.content.decode()
    assert "django_language" not in response.cookies


def test_openapi_schema_documents_every_endpoint_without_warnings():
    result = _manage("spectacular", "--fail-on-warn", "--file", os.devnull,
                     env_extra={"DJANGO_SETTINGS_MODULE": "douyin_cart.settings.test"})
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_cdn_check_catches_off_site_assets_but_not_random_tokens():
    page = (
        '<input name="csrfmiddlewaretoken" value="wyltax4izicdn1ujdi">'
        '<script nonce="cdnx" src="/static/app.js"></script>'
        '<link href="https://cdn.jsdelivr.net/npm/x.css" rel="stylesheet">'
        '<script src="//unpkg.com/y.js"></script>'
        "<style>body{background:url('https://fonts.googleapis.com/z.png')}</style>"
    )
    assert foreign_asset_urls(page) == [
        "https://cdn.jsdelivr.net/npm/x.css",
        "//unpkg.com/y.js",
        "https://fonts.googleapis.com/z.png",
    ]


def test_gunicorn_workers_freeze_their_start_up_objects_out_of_the_collector(monkeypatch):
    import gc
    import runpy

    monkeypatch.delenv("GUNICORN_WORKER_CONNECTIONS", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # make serve's defaults are the benchmark's
    assert conf["worker_class"] == "gthread" and conf["worker_connections"] == 10
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
