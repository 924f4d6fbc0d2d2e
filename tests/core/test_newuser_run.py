"""`make run`: the port a user gives is the site's address, and periodic work runs without Redis."""
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.factories.creators import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _fake_python(tmp_path) -> Path:
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "CALL SITE_BASE_URL=$SITE_BASE_URL $*"\n')
    fake.chmod(0o755)
    return fake


def _make_run(tmp_path, port: str, **env) -> list[str]:
    out = subprocess.run(["make", "-s", "run", f"PORT={port}", f"PY={_fake_python(tmp_path)}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env={k: v for k, v in {**os.environ, **env}.items() if k != "SITE_BASE_URL" or
                              "SITE_BASE_URL" in env})
    return [line for line in out.stdout.splitlines() if line.startswith("CALL ")]


def test_make_run_on_a_port_makes_that_port_the_site_address_and_starts_the_scheduler(tmp_path):
    calls = _make_run(tmp_path, "8101")
    runserver = [c for c in calls if "runserver" in c]
    assert runserver == ["CALL SITE_BASE_URL=http://127.0.0.1:8101 manage.py runserver 127.0.0.1:8101"]
    assert any("seed_demo" in c and "SITE_BASE_URL=http://127.0.0.1:8101 " in c for c in calls)
    planned = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120).stdout
    assert "manage.py run_schedule" in planned and "runserver 127.0.0.1:8101" in planned


def test_make_run_keeps_a_site_address_the_user_set(tmp_path):
    calls = _make_run(tmp_path, "8101", SITE_BASE_URL="https://shop.example.com")
    assert any(c.startswith("CALL SITE_BASE_URL=https://shop.example.com manage.py runserver") for c in calls)


def test_the_sandbox_sources_follow_the_site_address():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SANDBOX_BASE_URL); print(*[s['base_url'] for s in settings.SOURCES.values()])")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "douyin_cart.settings.dev",
           "SITE_BASE_URL": "http://127.0.0.1:8101"}
    env.pop("SANDBOX_BASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out[0] == "http://127.0.0.1:8101/sandbox"
    assert all(url.startswith("http://127.0.0.1:8101/sandbox/") for url in out[1:])


def _periodic(name: str, task: str, *, every: int, last_run_at) -> PeriodicTask:
    interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name=name, task=task, interval=interval, last_run_at=last_run_at)


@pytest.mark.django_db
def test_a_due_periodic_task_runs_under_the_embedded_default():
    from showcase.stats.models import DailyStat, LeaderboardEntry

    creator = UserFactory()
    DailyStat.objects.create(day=timezone.localdate(), creator=creator, channel="video", gmv_fen=9900, units=1,
                             orders=1)
    due = _periodic("stats: rebuild the leaderboard", "stats.leaderboard_refresh", every=300,
                    last_run_at=timezone.now() - timedelta(minutes=10))

    call_command("run_schedule", "--once", stdout=open(os.devnull, "w"))

    assert LeaderboardEntry.objects.filter(creator=creator).exists()
    due.refresh_from_db()
    assert due.total_run_count == 1
    assert due.last_run_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.django_db
def test_a_periodic_task_that_is_not_due_or_disabled_does_not_run():
    from showcase.stats.models import DailyStat, LeaderboardEntry

    creator = UserFactory()
    DailyStat.objects.create(day=timezone.localdate(), creator=creator, channel="video", gmv_fen=9900, units=1)
    _periodic("stats: rebuild the leaderboard", "stats.leaderboard_refresh", every=300,
              last_run_at=timezone.now() - timedelta(seconds=30))
    off = _periodic("off", "stats.leaderboard_refresh", every=60, last_run_at=timezone.now() - timedelta(hours=1))
    PeriodicTask.objects.filter(pk=off.pk).update(enabled=False)

    call_command("run_schedule", "--once", stdout=open(os.devnull, "w"))

    assert not LeaderboardEntry.objects.filter(creator=creator).exists()


@pytest.mark.django_db
def test_periodic_task_names_read_in_chinese_in_the_zh_hans_admin(client):
    call_command("setup_schedules", stdout=open(os.devnull, "w"))
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    with override("zh-hans"):
        page = client.get("/admin/django_celery_beat/periodictask/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200
    assert "重建排行榜" in text and "关闭超时未支付订单" in text
    names = re.findall(r'<th class="field-display_name"><a [^>]*>([^<]*)</a>', text)
    assert len(names) == PeriodicTask.objects.count()
    assert not [name for name in names if re.search(r"[a-z]{3}", name)]
    assert "执行计划" in text  # the schedule column's heading


@pytest.mark.django_db
def test_product_images_from_the_sandbox_follow_the_site_address(settings):
    """Every `make run` re-imports the sandbox's hot sellers from SANDBOX_BASE_URL, which follows the port."""
    import io

    from affiliates.demo import import_hot_sellers
    from affiliates.models import Product

    old = settings.SANDBOX_BASE_URL.rstrip("/")
    for port in ("8101", "8102"):
        new = f"http://127.0.0.1:{port}/sandbox"
        settings.SANDBOX_BASE_URL = new
        settings.SOURCES = {name: {key: value.replace(old, new) if isinstance(value, str) else value
                                   for key, value in config.items()} for name, config in settings.SOURCES.items()}
        old = new
        import_hot_sellers(io.StringIO(), pages=1, page_size=3)
        images = [url for product in Product.objects.exclude(source__in=["shop", "alliance"])
                  for url in product.image_urls]
        assert images and all(url.startswith(f"{new}/") for url in images), images[:3]
