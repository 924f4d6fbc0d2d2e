"""Staff groups with least privilege (issue 12 §6), kept in one place.

``STAFF_GROUPS`` names, for each group, the models (``app_label.model``, or ``app_label.*`` for
every model of an app) and the permission actions it gets. The data migration creates the
groups; :func:`sync_staff_groups` runs after every ``migrate`` (``post_migrate``) so models
created later (withdrawals, reconciliation, fee rates, ...) still get their permissions in.
"""
from __future__ import annotations

VIEW_CHANGE = ("view", "change")
ALL = ("view", "add", "change", "delete")

STAFF_GROUPS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    # Reviewers decide cart applications, violations and appeals (through admin actions).
    "Reviewers": [
        ("creators.cartapplication", VIEW_CHANGE), ("creators.cartright", VIEW_CHANGE),
        ("creators.violation", ALL), ("creators.violationimage", ALL), ("creators.appeal", VIEW_CHANGE),
        ("creators.penalty", ("view",)), ("creators.creditaccount", ("view",)), ("creators.ruleversion", ("view",)),
        ("creators.rulearticle", ("view",)), ("creators.user", ("view",)),
    ],
    # Finance: withdrawals and reconciliation, commission lines and fee rates.
    "Finance": [
        ("payouts.*", VIEW_CHANGE), ("reconcile.*", VIEW_CHANGE),
        ("commissions.*", ("view",)), ("commissions.feerate", ("view", "add")),
    ],
    # Content: rules, FAQ, the penalty tables, the academy and announcements.
    "Content": [
        ("creators.rulearticle", ALL), ("creators.ruleversion", ("view",)), ("creators.faqentry", ALL),
        ("creators.severitypoints", VIEW_CHANGE), ("creators.penaltyrule", ALL),
        ("notices.course", ALL), ("notices.lesson", ALL), ("notices.announcement", ALL),
        ("notices.quiz", ALL), ("notices.quizquestion", ALL), ("notices.quizchoice", ALL),
    ],
}


def sync_staff_groups(apps=None, **kwargs) -> None:
    """Create the groups and give each exactly the permissions listed (existing models only)."""
    if apps is None:
        from django.apps import apps as global_apps
        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, entries in STAFF_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for target, actions in entries:
            app_label, model = target.split(".")
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if model != "*":
                perms = perms.filter(content_type__model=model)
            codenames = {f"{action}_{ct}" for action in actions
                         for ct in perms.values_list("content_type__model", flat=True)}
            wanted += list(perms.filter(codename__in=codenames).values_list("pk", flat=True))
        group.permissions.set(wanted)
