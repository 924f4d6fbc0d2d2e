"""Admin operators can trust (issue 12 §6): least-privilege staff groups, actions that call
services and leave a LogEntry and an audit row, read-only money/status fields, yuan."""
import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from creators.models import Appeal, CartApplication, RuleArticle, Violation
from creators.services import violation_confirm
from creators.services.credit import violation_record
from creators.services.governance import appeal_submit
from creators.services.rights import cart_rights_grant
from creators.staff_groups import STAFF_GROUPS, sync_staff_groups
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    user = UserFactory(handle="mengmeng_live", nickname="萌萌直播间")
    cart_rights_grant(user=user, application=None, actor=None)
    return user


@pytest.fixture
def rule():
    return RuleArticle.objects.create(code="LIVE-01", title="直播购物车规范", category="live", body="禁止引导私下交易。")


@pytest.fixture
def operator(client):
    staff = UserFactory(handle="operator", is_staff=True, is_superuser=True)
    client.login(handle=staff.handle, password=PASSWORD)
    return staff


def _staff_in(client, group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client.login(handle=user.handle, password=PASSWORD)
    return user


def _pending(creator, rule, severity="ordinary"):
    return violation_record(violation=Violation(creator=creator, rule=rule, severity=severity, right_kind="live",
                                                summary="直播中引导观众添加微信", occurred_on=timezone.localdate()),
                            actor=None)


def test_staff_groups_exist_with_their_permissions():
    sync_staff_groups()
    reviewers = set(Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True))
    content = set(Group.objects.get(name="Content").permissions.values_list("codename", flat=True))
    assert {"change_cartapplication", "change_violation", "change_appeal"} <= reviewers
    assert {"change_rulearticle", "change_announcement", "change_course"} <= content
    assert not {c for c in reviewers if "announcement" in c or "withdrawal" in c}


def test_the_reviewer_group_lists_no_finance_model():
    finance_labels = {target.split(".")[0] for target, _ in STAFF_GROUPS["Finance"]}
    assert not [t for t, _ in STAFF_GROUPS["Reviewers"] if t.split(".")[0] in finance_labels]


def test_a_reviewer_reaches_violations_but_not_announcements_or_withdrawals(client):
    _staff_in(client, "Reviewers")
    assert client.get("/admin/creators/violation/").status_code == 200
    assert client.get("/admin/creators/cartapplication/").status_code == 200
    assert client.get("/admin/notices/announcement/").status_code == 403
    if apps.is_installed("commissions.payouts"):
        withdrawal = next(m for m in apps.get_app_config("payouts").get_models()
                          if m._meta.model_name.startswith("withdrawal"))
        assert client.get(f"/admin/payouts/{withdrawal._meta.model_name}/").status_code == 403


def test_a_content_editor_reaches_rules_but_not_violations(client):
    _staff_in(client, "Content")
    assert client.get("/admin/creators/rulearticle/").status_code == 200
    assert client.get("/admin/creators/violation/").status_code == 403


def test_models_added_later_get_their_permissions_after_migrate():
    group = Group.objects.get(name="Reviewers")
    group.permissions.clear()
    sync_staff_groups()  # what post_migrate runs
    assert group.permissions.filter(codename="change_violation").exists()


def test_recording_a_violation_in_admin_takes_points_from_the_severity(client, operator, creator, rule):
    response = client.post("/admin/creators/violation/add/", {
        "creator": creator.pk, "rule": rule.pk, "severity": "serious", "right_kind": "live",
        "summary": "直播中引导观众添加微信", "details": "", "evidence": "第3分钟口播微信号", "occurred_on": "2026-12-01",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    violation = Violation.objects.get()
    assert violation.points == 4 and violation.rule_version.version == 1
    assert violation.history.count() == 1  # audit row


def test_the_confirm_action_writes_a_log_entry_and_an_audit_row(client, operator, creator, rule):
    violation = _pending(creator, rule)
    before = violation.history.count()
    response = client.post("/admin/creators/violation/", {"action": "confirm", "_selected_action": [violation.pk]})
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(violation.pk), content_type__model="violation")
    assert entry.user == operator and entry.change_message
    violation.refresh_from_db()
    assert violation.history.count() == before + 1
    assert violation.history.first().history_user == operator


def test_deciding_an_appeal_in_admin_writes_a_log_entry_and_an_audit_row(client, operator, creator, rule):
    violation = violation_confirm(violation_id=_pending(creator, rule, "severe").pk, actor=None)
    appeal = appeal_submit(user=creator, violation_id=violation.pk, text="那是我的助理号，不是私下交易。")
    asked = client.post("/admin/creators/appeal/", {"action": "uphold", "_selected_action": [appeal.pk]})
    assert asked.status_code == 200 and b"appeal-decide" in asked.content
    done = client.post("/admin/creators/appeal/", {"action": "uphold", "_selected_action": [appeal.pk],
                                                  "apply": "1", "note": "核实无误"})
    assert done.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "upheld" and appeal.decided_by == operator
    assert LogEntry.objects.filter(object_id=str(appeal.pk), content_type__model="appeal", user=operator).exists()
    assert appeal.history.filter(status="upheld", history_user=operator).exists()


def test_approving_an_application_writes_a_log_entry_and_an_audit_row(client, operator):
    from tests.factories.creators import make_eligible

    applicant = make_eligible(UserFactory())
    from creators.services import cart_application_submit

    application = cart_application_submit(applicant=applicant, entry_point="creator_center")
    if application.status == CartApplication.Status.APPROVED:  # approved automatically: nothing to review
        pytest.skip("applications are approved automatically in this configuration")
    client.post("/admin/creators/cartapplication/", {"action": "approve_selected",
                                                     "_selected_action": [application.pk]})
    entry = LogEntry.objects.get(object_id=str(application.pk), user=operator)
    assert "→" in entry.change_message and "approve_selected" not in entry.change_message  # said, not coded
    assert application.audit_trail.filter(status="approved", history_user=operator).exists()


def test_appeals_cannot_be_added_or_edited_by_hand(client, operator, creator, rule):
    violation = violation_confirm(violation_id=_pending(creator, rule).pk, actor=None)
    appeal = appeal_submit(user=creator, violation_id=violation.pk, text="申诉")
    assert client.get("/admin/creators/appeal/add/").status_code == 403
    client.post(f"/admin/creators/appeal/{appeal.pk}/change/", {"status": "upheld", "text": "x"})
    assert Appeal.objects.get().status == "pending"


def test_the_site_header_names_the_platform(client, operator):
    body = client.get("/admin/").content.decode()
    assert "Douyin Cart" in body or "抖音购物车" in body


def test_no_admin_form_edits_a_status_a_price_a_stock_or_a_rate():
    """Every registered admin (and its inlines): statuses, prices, stock and rates change
    through actions that call services, never through a form field."""
    import re

    from django.contrib import admin
    from django.test import RequestFactory

    from creators.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    money_or_state = re.compile(r"(^status$|_fen$|^stock$|_bp$|^price$)")
    editable = []
    for model, model_admin in admin.site._registry.items():
        for obj in (None, model()):
            if obj is None and not model_admin.has_add_permission(request):
                continue
            if obj is not None and not model_admin.has_change_permission(request, obj):
                continue
            form = model_admin.get_form(request, obj, change=obj is not None)
            editable += [f"{model._meta.label}.{name}" for name in form.base_fields if money_or_state.search(name)]
        for inline in model_admin.get_inline_instances(request, None):
            fields = inline.get_formset(request, None).form.base_fields
            editable += [f"{inline.model._meta.label}.{name}" for name in fields if money_or_state.search(name)]
    assert editable == []


def test_a_violation_naming_a_missing_related_object_is_refused_next_to_the_field(client, operator, creator, rule):
    from django.contrib.contenttypes.models import ContentType

    from creators.models import Video

    response = client.post("/admin/creators/violation/add/", {
        "creator": creator.pk, "rule": rule.pk, "severity": "minor", "right_kind": "video",
        "summary": "搬运视频", "occurred_on": "2026-12-01",
        "related_type": ContentType.objects.get_for_model(Video).pk, "related_id": 999999,
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Violation.objects.exists()
