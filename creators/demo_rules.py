"""Demo rules center: rule articles, the guide's FAQ (常见问题), and a few violations —
confirmed through the real service, so scores drop and rights are suspended — on accounts
made for the purpose. Called from the stats room's demo; idempotent."""
from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import FaqEntry, RuleArticle, User, Violation
from .services.credit import rule_version_current, violation_confirm, violation_record
from .services.rights import cart_rights_grant

RULES = [
    (RuleArticle.Category.ACCESS, "商品分享功能开通规则", "1000粉丝、10个以上公开原创视频、绑定手机号、完成实名认证。",
     "1. 粉丝数不少于1000，且已发布10个以上公开原创视频（私密视频和转载视频不计入）。\n\n"
     "2. 至少需要绑定手机号，并完成实名认证。\n\n"
     "3. 广告主账号符合以上条件也可以开通。审核通过后直接获得商品橱窗、视频购物车和直播购物车三项权限。"),
    (RuleArticle.Category.CONTENT, "虚假宣传处罚规则", "不得夸大商品功效，不得使用绝对化用语。",
     "视频、直播和商品标题中不得夸大商品功效、虚构使用效果，不得使用“最好”“第一”“100%有效”等绝对化用语。\n\n"
     "首次违规扣2分并警告；情节严重或多次违规将扣除更多分数，并可能暂停相应的购物车权限。"),
    (RuleArticle.Category.CONTENT, "原创内容规范", "挂车视频须为原创，搬运他人内容将被扣分。",
     "挂载商品的视频必须为本人原创。搬运、翻拍他人作品挂车的，每次扣3分，并下架相关视频的购物车。"),
    (RuleArticle.Category.PRODUCTS, "商品质量要求", "淘宝商品须三项DSR高于行业平均，店铺等级高于一钻。",
     "添加的淘宝商品，必须在描述、服务、物流三项DSR上高于行业平均，且店铺等级高于一钻；部分行业禁入。\n\n"
     "京东商品的店铺三项评分须高于同行，店铺评分须在4分以上。"),
    (RuleArticle.Category.LIVE, "直播购物车规范", "直播商品来源于橱窗；禁止引导私下交易。",
     "直播商品只能从橱窗中选择。直播中禁止引导用户添加微信等私下交易，一经确认扣4分。\n\n"
     "“正在讲解”的商品须与直播讲解内容一致。"),
    (RuleArticle.Category.CREDIT, "信用分规则", "初始10分，上限12分；低于7分暂停权限7天，低于4分暂停30天，0分收回。",
     "每位创作者初始信用分为10分，上限12分。违规经确认后扣除相应分数。\n\n"
     "信用分低于7分：暂停违规所涉权限7天；低于4分：暂停30天；降至0分：收回该权限。\n\n"
     "申诉成功或长期无违规的，平台可恢复部分信用分。"),
]

# The guide's five questions are installed by migration 0007; the demo adds two more.
FAQ = [
    ("谁可以开通抖音购物车？", "1000粉丝且已发布10个以上公开原创视频的所有抖音用户，都可以提交申请；至少需要绑定手机号，并完成实名认证。"),
    ("在哪里申请？", "关注抖音号“电商小助手”并私信它，在私信界面底部可以看到申请入口；也可以在我的-侧边栏-创作者服务中心-商品分享功能申请，"
     "或在任意开通了购物车功能的作者主页的商品橱窗右上角点击“我也要带货”。"),
    ("广告主要用购物车怎么办？", "抖音购物车作为基本功能，任何符合开通条件的抖音号都可以申请；广告主符合此条件也可以开通。"),
    ("用户在抖音买了商品找不到订单怎么办？", "如果是淘宝商品，直接去淘宝APP查看订单；如果是非淘宝商品，可以在抖音APP-我的-侧边栏-订单里查看；"
     "首次进入订单列表，需要点击右上角授权管理同意授权第三方订单展示。"),
    ("与淘宝京东的合作方式？", "淘宝联盟和京东联盟都作为选品库；达人可以从中选择想推广的商品加入自己的商品橱窗和视频，通过导购从售卖收入里提取佣金，"
     "同时抖音平台会从佣金里抽取技术服务费。自己开了淘宝店的达人，也必须从淘宝联盟选商品（需要先把自己店铺的商品加入淘宝客联盟），获得的佣金也是自己的。"),
    ("一个视频最多能挂几个商品？", "一个视频最多添加7个商品；直播商品来源于橱窗。"),
]

# The demo's violations name their points; the severity table turns a severity into points.
SEVERITY_BY_POINTS = {1: "minor", 2: "ordinary", 3: "ordinary", 4: "serious"}

VIOLATORS = [
    ("haowu_xiaoqi", "好物推荐官小七", [
        ("虚假宣传处罚规则", "video", 2, 12, "视频中宣称面霜“三天美白”，夸大商品功效", True),
    ]),
    ("mengmeng_live", "萌萌直播间", [
        ("直播购物车规范", "live", 4, 6, "直播中引导观众添加微信私下交易", True),
    ]),
    ("chaozhi_tehui", "超值特惠君", [
        ("原创内容规范", "video", 3, 10, "搬运他人测评视频并挂载商品", True),
        ("原创内容规范", "video", 3, 3, "再次搬运他人视频挂车", True),
        ("虚假宣传处罚规则", "showcase", 2, 1, "橱窗商品标题使用“全网最低”等绝对化用语", False),
    ]),
]


def seed(out) -> None:
    for order, (category, title, summary, body) in enumerate(RULES):
        rule, _ = RuleArticle.objects.get_or_create(title=title, defaults={
            "category": category, "summary": summary, "body": body, "order": order,
            "code": f"{category.upper()}-{order + 1:02d}"})
        rule_version_current(rule=rule)
    for order, (question, answer) in enumerate(FAQ):
        FaqEntry.objects.get_or_create(question=question, defaults={"answer": answer, "order": order})
    confirmed = 0
    for handle, nickname, violations in VIOLATORS:
        user, created = User.objects.get_or_create(handle=handle, defaults={
            "nickname": nickname, "password": make_password(None), "fans_count": 1500})
        if not created:
            continue
        cart_rights_grant(user=user, application=None, actor=None)
        for rule_title, kind, points, days_ago, summary, confirm in violations:
            violation = violation_record(violation=Violation(
                creator=user, rule=RuleArticle.objects.get(title=rule_title), right_kind=kind, summary=summary,
                severity=SEVERITY_BY_POINTS.get(points, "ordinary"), evidence=summary,
                occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago)), actor=None)
            if confirm:
                violation_confirm(violation_id=violation.pk, actor=None)
                confirmed += 1
    out.write(f"Rules center: {RuleArticle.objects.count()} rules, {FaqEntry.objects.count()} FAQ entries, "
              f"{Violation.objects.filter(status='confirmed').count()} confirmed violations ({confirmed} new)")
