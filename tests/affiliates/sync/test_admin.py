"""Operators see sync progress in admin and resume jobs from there."""
import pytest
from django.urls import reverse

from affiliates.sync.models import SyncJob, SyncStatus
from affiliates.sync.services import sync_job_start, sync_part_run
from tests.factories.affiliates import UserFactory

from .helpers import run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_the_job_list_shows_progress_and_counts(staff, sandbox, django_capture_on_commit_callbacks):
    job = sync_job_start(kind="pool", source="taobao", pages=4, page_size=5, enqueue=False)
    sync_part_run(job_id=job.pk, number=0)
    page = staff.get(reverse("admin:sync_syncjob_changelist"), {"status__exact": "running"}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<progress value="1" max="4"' in html and "1/4 (25%)" in html


def test_a_job_page_shows_its_position_and_stored_parts(staff, sandbox, django_capture_on_commit_callbacks):
    job = run_job(django_capture_on_commit_callbacks, "pool", pages=2, page_size=5)
    page = staff.get(reverse("admin:sync_syncjob_change", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "p2" in html and "page_size=5" in html


def test_resume_action_queues_the_missing_parts(staff, sandbox, django_capture_on_commit_callbacks):
    job = sync_job_start(kind="pool", source="taobao", pages=2, page_size=5, enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("admin:sync_syncjob_changelist"), {"action": "resume", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.status == SyncStatus.DONE and job.created_count == 10


def test_order_reports_and_checkpoints_render(staff, sandbox, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from .helpers import orders_over

    orders_over("taobao", 1)
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=2))
    assert staff.get(reverse("admin:sync_orderreport_changelist")).status_code == 200
    assert staff.get(reverse("admin:sync_synccheckpoint_changelist")).status_code == 200
    assert SyncJob.objects.get().status == SyncStatus.DONE
