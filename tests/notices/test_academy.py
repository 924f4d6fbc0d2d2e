"""Academy (小店学院): published courses by category with their lessons; publishing a course
makes the commerce assistant announce it to creators, once."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from creators.services.rights import cart_rights_grant
from notices.models import Course, CourseCategory, InboxMessage, Lesson
from notices.services import course_notify, course_publish
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _course(title="橱窗管理入门", category=CourseCategory.BASICS, published=True, **kwargs):
    values = dict(title=title, summary="从零开始搭建你的商品橱窗", category=category, is_published=published,
                  published_at=timezone.now() - datetime.timedelta(hours=1) if published else None)
    values.update(kwargs)
    return Course.objects.create(**values)


def test_url_names_are_stable():
    assert reverse("notices:academy") == "/academy/"
    assert reverse("notices:course", args=[5]) == "/academy/5/"


def test_the_academy_lists_published_courses_with_their_lesson_count(client):
    course = _course()
    Lesson.objects.create(course=course, title="添加商品", body="点击橱窗管理-添加商品", order=1)
    Lesson.objects.create(course=course, title="未发布", body="…", is_published=False)
    _course(title="草稿课程", published=False)
    _course(title="定时课程", published_at=timezone.now() + datetime.timedelta(days=1))
    body = client.get("/academy/").content.decode()
    assert "橱窗管理入门" in body
    assert "草稿课程" not in body and "定时课程" not in body
    assert client.get("/academy/").context["courses"][0].lesson_count == 1


def test_category_tabs_filter_the_courses(client):
    _course(title="基础课", category=CourseCategory.BASICS)
    _course(title="商家圈分享", category=CourseCategory.MERCHANTS)
    body = client.get("/academy/", {"category": "merchants"}).content.decode()
    assert "商家圈分享" in body and "基础课" not in body
    response = client.get("/academy/", {"category": "nope"})
    assert response.status_code == 400 and 'data-error-field="category"' in response.content.decode()


def test_a_course_page_shows_its_published_lessons_in_order(client):
    course = _course(body="本课程介绍橱窗的基本功能。")
    Lesson.objects.create(course=course, title="第二课", body="设置推荐", order=2)
    Lesson.objects.create(course=course, title="第一课", body="添加商品", order=1)
    Lesson.objects.create(course=course, title="隐藏课", body="…", order=3, is_published=False)
    response = client.get(f"/academy/{course.pk}/")
    assert [lesson.title for lesson in response.context["lessons"]] == ["第一课", "第二课"]
    assert "本课程介绍橱窗的基本功能。" in response.content.decode()


def test_draft_and_unknown_courses_are_404(client):
    draft = _course(published=False)
    assert client.get(f"/academy/{draft.pk}/").status_code == 404
    assert client.get("/academy/99999/").status_code == 404


def test_publishing_a_course_notifies_creators_once_from_the_commerce_assistant(django_capture_on_commit_callbacks):
    creator, shopper = UserFactory(), UserFactory()
    cart_rights_grant(user=creator, application=None, actor=None)
    InboxMessage.objects.all().delete()
    course = _course(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        course_publish(course=course)
    messages = InboxMessage.objects.filter(kind="academy.course")
    assert [m.recipient for m in messages] == [creator]
    assert messages[0].sender.handle == "dianshangxiaozhushou"
    assert course.title in messages[0].display_title
    assert messages[0].link == f"/academy/{course.pk}/"
    assert course_notify(course_id=course.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        course_publish(course=course)
    assert InboxMessage.objects.filter(kind="academy.course").count() == 1
    assert not InboxMessage.objects.filter(recipient=shopper).exists()


def test_a_scheduled_course_is_not_announced_before_its_time():
    creator = UserFactory()
    cart_rights_grant(user=creator, application=None, actor=None)
    course = _course(published_at=timezone.now() + datetime.timedelta(days=2))
    assert course_notify(course_id=course.pk) == 0
    course.refresh_from_db()
    assert course.notified_at is None


def test_followers_of_the_commerce_assistant_hear_about_courses_too():
    from creators.services import follow_create
    from notices.services import official_account

    fan = UserFactory()
    follow_create(follower=fan, followee=official_account("commerce_assistant"))
    course = _course()
    assert course_notify(course_id=course.pk) == 1
    assert InboxMessage.objects.filter(recipient=fan, kind="academy.course").exists()


def test_publishing_in_admin_notifies(client, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True, is_superuser=True)
    creator = UserFactory()
    cart_rights_grant(user=creator, application=None, actor=None)
    client.login(handle=staff.handle, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/notices/course/add/", {
            "title": "直播带货进阶", "category": "official", "summary": "官方讲师带你玩转直播购物车", "body": "",
            "order": 0, "is_published": "on",
            "lessons-TOTAL_FORMS": 1, "lessons-INITIAL_FORMS": 0, "lessons-MIN_NUM_FORMS": 0,
            "lessons-MAX_NUM_FORMS": 1000, "lessons-0-order": 1, "lessons-0-title": "开播前准备",
            "lessons-0-minutes": 5, "lessons-0-is_published": "on", "lessons-0-body": "检查商品来源于橱窗",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get(title="直播带货进阶")
    assert course.published_at is not None and course.notified_at is not None
    assert InboxMessage.objects.filter(recipient=creator, kind="academy.course").count() == 1


def test_courses_are_listed_in_their_admin_order(client):
    _course(title="第三", order=3)
    _course(title="第一", order=1)
    _course(title="第二", order=2)
    assert [c.title for c in client.get("/academy/").context["courses"]] == ["第一", "第二", "第三"]
