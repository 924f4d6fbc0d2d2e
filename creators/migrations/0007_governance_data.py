"""Governance data: the guide's FAQ, points by severity, the penalty ladder, a first
version of every rule, and the staff groups (their permissions are completed after every
migrate by ``creators.staff_groups.sync_staff_groups``)."""
from django.db import migrations

FAQ = [
    ("谁可以开通抖音购物车？", "1000粉丝且已发布10个以上公开原创视频的所有抖音用户，都可以提交申请；至少需要绑定手机号，并完成实名认证。"),
    ("广告主要用购物车怎么办？", "抖音购物车作为基本功能，任何符合开通条件的抖音号都可以申请；广告主符合此条件也可以开通。"),
    ("用户在抖音买了商品找不到订单怎么办？", "如果是淘宝商品，直接去淘宝APP查看订单；如果是非淘宝商品，可以在抖音APP-我的-侧边栏-订单里查看；"
     "首次进入订单列表，需要点击右上角授权管理同意授权第三方订单展示。"),
    ("与淘宝京东的合作方式？", "淘宝联盟和京东联盟，都作为选品库；达人可以从淘宝联盟和京东联盟的商品里，选择想推广的商品加入到自己在抖音的商品橱窗和视频里，"
     "并通过导购这些商品从售卖的收入里提取佣金，同时抖音平台会从佣金里抽取技术服务费；对于自己开了淘宝店的达人，也必须从淘宝联盟选商品"
     "（他需要先把自己店铺的商品加入淘宝客联盟）；达人分享自己店铺商品，获得的佣金也是自己的（同样的平台会提取技术服务费）。"),
    ("添加商品时的小店、精选商品、淘宝商品分别指什么？", "小店，是指在抖音申请开通的抖音内的店铺，申请入口在商品橱窗-开通小店；开通小店后，"
     "需要去小店的PC管理后台添加和管理商品、订单。精选商品，是抖音自建的联盟体系，里面的商品都是抖音电商营销自选供货商或加入联盟的小店商家的商品；"
     "用户卖精选商品挣得的佣金，平台会抽取10%（包括帮用户代缴税费）。淘宝商品，特指淘宝联盟的商品；淘宝联盟商品的收入与抖音无关，"
     "用户需要自行去淘宝联盟官网或者淘宝联盟APP查看收入。"),
]

SEVERITY_POINTS = [("minor", 1), ("ordinary", 2), ("serious", 4), ("severe", 12)]

# (kind, min_severity, score_at_most, days)
LADDER = [
    ("warning", "minor", None, 0),
    ("remove_product", "ordinary", None, 0),
    ("suspend", "", 6, 7),
    ("suspend", "", 3, 30),
    ("freeze", "serious", None, 30),
    ("revoke", "severe", None, 0),
    ("revoke", "", 0, 0),
]


def forwards(apps, schema_editor):
    FaqEntry = apps.get_model("creators", "FaqEntry")
    for order, (question, answer) in enumerate(FAQ):
        FaqEntry.objects.get_or_create(question=question, defaults={"answer": answer, "order": order})
    SeverityPoints = apps.get_model("creators", "SeverityPoints")
    for severity, points in SEVERITY_POINTS:
        SeverityPoints.objects.get_or_create(severity=severity, defaults={"points": points})
    PenaltyRule = apps.get_model("creators", "PenaltyRule")
    if not PenaltyRule.objects.exists():
        for kind, severity, score, days in LADDER:
            PenaltyRule.objects.create(kind=kind, min_severity=severity, score_at_most=score, days=days)
    RuleArticle = apps.get_model("creators", "RuleArticle")
    RuleVersion = apps.get_model("creators", "RuleVersion")
    for rule in RuleArticle.objects.all():
        RuleVersion.objects.get_or_create(rule=rule, version=rule.version,
                                          defaults={"title": rule.title, "body": rule.body})
    from creators.staff_groups import sync_staff_groups
    sync_staff_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("creators", "0006_governance"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
