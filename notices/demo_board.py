"""Demo academy courses and announcements (in Chinese, as Douyin publishes them).
Called from the stats room's demo, after the creators exist; idempotent by title."""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from .models import Announcement, AnnouncementKind, Course, CourseCategory, Lesson, Quiz, QuizChoice, QuizQuestion
from .services import course_notify

COURSES = [
    (CourseCategory.BASICS, "商品橱窗从零到一", "开通商品分享功能后，第一步先把橱窗搭起来：添加商品、设置分类、推荐和上新。",
     "本课程面向刚开通商品分享功能的创作者，带你熟悉商品橱窗的每一个入口。", [
         ("开通商品分享功能", "1000粉丝且已发布10个以上公开原创视频的抖音用户都可以申请；至少需要绑定手机号并完成实名认证。\n\n"
          "申请入口有三个：私信电商小助手底部的申请入口、我的-创作者服务中心-商品分享功能、任意带货达人橱窗右上角的“我也要带货”。"),
         ("在橱窗添加商品", "点击主页商品橱窗-橱窗管理-添加商品，可以从选品库选择、筛选或搜索商品，也可以粘贴淘口令或京东、考拉、唯品会、苏宁的商品链接。"),
         ("设置分类、推荐和上新", "橱窗商品可以设置分类；推荐的商品排在最前面，上新的商品会带“上新”角标，方便粉丝发现。"),
     ]),
    (CourseCategory.BASICS, "视频购物车怎么用", "发布视频时添加商品和种草标签，让粉丝边看边买。",
     "", [
         ("发布视频时添加商品", "在视频发布页点击添加标签-商品即可添加；一个视频最多添加7个商品。"),
         ("添加种草标签", "在视频发布页点击添加标签-种草即可添加。种草标签会链接到商品的种草页，但不显示购物车标签。"),
     ]),
    (CourseCategory.BASICS, "直播购物车入门", "开播前选好直播商品，直播中设置“正在讲解”，帮助观众快速找到商品。",
     "", [
         ("选择直播商品", "开直播时在开播页面点击商品并选择直播商品。直播商品来源于橱窗，请先把商品加入橱窗。"),
         ("设置“正在讲解”", "讲到哪个商品就把它设为“正在讲解”，观众的商品列表会立即高亮该商品；同一时间只有一个正在讲解的商品。"),
     ]),
    (CourseCategory.OFFICIAL, "看懂数据看板", "浏览、点击、订单、成交额和佣金，分渠道、分商品看清每一分收入从哪里来。",
     "官方讲师带你读懂数据看板的每一个指标。", [
         ("五个核心指标", "浏览次数、点击次数、订单数、成交额和预估佣金，可按近7天、30天、90天查看。"),
         ("分渠道分析", "橱窗、视频、直播、搜索和评论区入口各带来多少浏览和成交，一目了然；把精力放在转化最好的渠道上。"),
         ("导出明细", "点击右上角导出 CSV，可用 Excel 打开全部分日、分渠道、分商品明细。"),
     ]),
    (CourseCategory.OFFICIAL, "佣金与技术服务费说明", "精选联盟商品的佣金，平台抽取10%技术服务费（含代缴税费）；淘宝联盟商品的收入与抖音无关。",
     "", [
         ("精选联盟的佣金", "精选商品的佣金查看和提现在商品橱窗-佣金收入里；平台会抽取10%（包括帮你代缴税费）。"),
         ("淘宝联盟的佣金", "淘宝商品特指淘宝联盟的商品，其收入需要自行去淘宝联盟官网或淘宝联盟APP查看。"),
     ]),
    (CourseCategory.ACTIVITY, "双十二好物节报名指南", "活动时间、报名条件和流量扶持规则，一篇看懂。",
     "", [
         ("报名条件", "近30天无违规、信用分不低于9分、橱窗商品不少于10个的创作者均可报名。"),
         ("流量扶持", "活动期间带“好物节”标签的视频将获得额外推荐流量。"),
     ]),
    (CourseCategory.MERCHANTS, "小店商家如何与达人合作", "把商品加入精选联盟，设置佣金比例，让更多达人帮你带货。",
     "", [
         ("加入精选联盟", "在小店后台把商品加入精选联盟并设置佣金比例，达人就能在选品库里找到你的商品。"),
         ("找到合适的达人", "参考达人榜的销量和成交额，选择与商品品类匹配的达人合作。"),
     ]),
]

ANNOUNCEMENTS = [
    (AnnouncementKind.NOTICE, True, "【重要】规则中心信用分制度上线",
     "为维护良好的购物车生态，规则中心正式上线信用分制度：每位创作者初始信用分10分，上限12分。\n\n"
     "违规经确认后将扣除相应分数；信用分过低时将暂停相应的购物车权限。请在规则中心查看详细规则和违规公示。", "rules", 1),
    (AnnouncementKind.ACTIVITY, False, "双十二好物节招商报名开启",
     "双十二好物节报名已开启，符合条件的创作者可在活动页报名，活动期间带标签的视频将获得流量扶持。", "academy", 2),
    (AnnouncementKind.COURSE, False, "小店学院课程上新：看懂数据看板",
     "官方课程《看懂数据看板》已上线，带你读懂浏览、点击、订单、成交额和佣金。", "course", 3),
    (AnnouncementKind.SURVEY, False, "创作者满意度问卷",
     "花2分钟告诉我们你对商品橱窗和数据看板的使用感受，帮助我们做得更好。", "survey", 5),
    (AnnouncementKind.NOTICE, False, "系统维护通知",
     "为提升服务稳定性，平台将于本周日凌晨2:00-4:00进行系统维护，期间数据看板可能延迟更新，订单和佣金不受影响。", "", 8),
]


def seed(out) -> None:
    now = timezone.now()
    created = 0
    first_official = None
    for order, (category, title, summary, body, lessons) in enumerate(COURSES):
        course, was_created = Course.objects.get_or_create(title=title, defaults={
            "category": category, "summary": summary, "body": body, "order": order, "is_published": True,
            "published_at": now - datetime.timedelta(days=20 - order * 2),
        })
        if was_created:
            created += 1
            for n, (lesson_title, lesson_body) in enumerate(lessons, start=1):
                Lesson.objects.create(course=course, title=lesson_title, body=lesson_body, order=n,
                                      minutes=3 + len(lesson_body) // 80)
            if category == CourseCategory.OFFICIAL and first_official is None:
                first_official = course
            else:
                Course.objects.filter(pk=course.pk).update(notified_at=course.published_at)
    if first_official is not None:  # one course announced by the commerce assistant, as it happens
        course_notify(course_id=first_official.pk)
    links = {
        "rules": "/rules/", "academy": reverse("notices:academy"),
        "course": reverse("notices:course", args=[Course.objects.get(title="看懂数据看板").pk]),
    }
    for kind, pinned, title, body, link, days_ago in ANNOUNCEMENTS:
        Announcement.objects.get_or_create(title=title, defaults={
            "kind": kind, "pinned": pinned, "body": body, "link": links.get(link, ""),
            "published_at": now - datetime.timedelta(days=days_ago, hours=3),
        })
    _seed_quiz()
    out.write(f"Academy: {Course.objects.count()} courses ({created} new); "
              f"announcements: {Announcement.objects.count()}")


QUIZ = ("规则中心小测验", 3, 2, [
    ("挂车视频必须是什么类型的视频？", "本人原创的公开视频", ["转发他人的视频", "私密视频"]),
    ("一个视频最多可以添加几个商品？", "7个", ["3个", "不限"]),
    ("直播中引导观众添加微信私下交易会怎样？", "扣分，并可能暂停直播购物车权限", ["没有影响", "只会提醒一次"]),
])


def _seed_quiz() -> None:
    """One published academy quiz: passing it gives credit points back (issue 12 §4)."""
    title, pass_score, points, questions = QUIZ
    quiz, created = Quiz.objects.get_or_create(title=title, defaults={
        "pass_score": pass_score, "restores_points": points, "is_published": True,
        "course": Course.objects.filter(category=CourseCategory.OFFICIAL).first()})
    if not created:
        return
    for order, (text, right, wrong) in enumerate(questions):
        question = QuizQuestion.objects.create(quiz=quiz, text=text, order=order)
        QuizChoice.objects.create(question=question, text=right, is_correct=True)
        for answer in wrong:
            QuizChoice.objects.create(question=question, text=answer)
