"""Announcements get an unpublish time and an audience; passing an academy quiz once gives
credit points back (issue 12 §4, §6)."""
import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, InvalidInput
from creators.models import CreditAccount
from creators.selectors import credit_score_of
from creators.services.rights import cart_right_suspend, cart_rights_grant
from notices.models import Announcement, Quiz, QuizChoice, QuizQuestion
from notices.quizzes import quiz_attempt_submit
from notices.selectors import announcements_for
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _announcement(title, **extra):
    return Announcement.objects.create(title=title, body="正文", published_at=timezone.now(), **extra)


def test_an_announcement_disappears_at_its_unpublish_time():
    _announcement("双十二活动", unpublish_at=timezone.now() - datetime.timedelta(minutes=1))
    _announcement("新课上线", unpublish_at=timezone.now() + datetime.timedelta(days=1))
    titles = [a.title for a in announcements_for(UserFactory())]
    assert titles == ["新课上线"]


def test_an_announcement_for_a_right_reaches_only_creators_holding_it():
    _announcement("直播带货新规", audience_right="live")
    _announcement("全体公告")
    holder, suspended, other = UserFactory(), UserFactory(), UserFactory()
    cart_rights_grant(user=holder, application=None, actor=None)
    cart_rights_grant(user=suspended, application=None, actor=None)
    cart_right_suspend(user=suspended, kind="live", until=timezone.now() + datetime.timedelta(days=3), reason="违规")
    assert {a.title for a in announcements_for(holder)} == {"直播带货新规", "全体公告"}
    assert {a.title for a in announcements_for(suspended)} == {"全体公告"}
    assert {a.title for a in announcements_for(other)} == {"全体公告"}


def test_the_announcement_page_of_another_audience_is_404(client):
    hidden = _announcement("直播带货新规", audience_right="live")
    user = UserFactory()
    client.login(handle=user.handle, password=PASSWORD)
    assert client.get(f"/announcements/{hidden.pk}/").status_code == 404


@pytest.fixture
def quiz():
    quiz = Quiz.objects.create(title="规则中心测验", pass_score=2, restores_points=2, is_published=True)
    for text, right in [("挂车视频须为原创吗？", "是"), ("一个视频最多挂几个商品？", "7个")]:
        question = QuizQuestion.objects.create(quiz=quiz, text=text, points=1)
        QuizChoice.objects.create(question=question, text=right, is_correct=True)
        QuizChoice.objects.create(question=question, text="不知道", is_correct=False)
    return quiz


def _answers(quiz, correct=True):
    return {q.pk: q.choices.get(is_correct=correct).pk for q in quiz.questions.all()}


def test_passing_a_quiz_gives_points_back_once_and_never_above_twelve(quiz):
    creator = UserFactory()
    CreditAccount.objects.create(user=creator, score=9)
    attempt = quiz_attempt_submit(user=creator, quiz_id=quiz.pk, answers=_answers(quiz))
    assert attempt.passed and credit_score_of(creator) == 11
    with pytest.raises(Conflict):
        quiz_attempt_submit(user=creator, quiz_id=quiz.pk, answers=_answers(quiz))
    assert credit_score_of(creator) == 11
    second = Quiz.objects.create(title="第二套", pass_score=0, restores_points=5, is_published=True)
    quiz_attempt_submit(user=creator, quiz_id=second.pk, answers={})
    assert credit_score_of(creator) == 12


def test_failing_a_quiz_gives_nothing_and_can_be_retried(quiz):
    creator = UserFactory()
    CreditAccount.objects.create(user=creator, score=9)
    assert not quiz_attempt_submit(user=creator, quiz_id=quiz.pk, answers=_answers(quiz, correct=False)).passed
    assert credit_score_of(creator) == 9
    assert quiz_attempt_submit(user=creator, quiz_id=quiz.pk, answers=_answers(quiz)).passed


def test_every_question_needs_an_answer_of_its_own(quiz):
    creator = UserFactory()
    first, second = quiz.questions.all()
    with pytest.raises(InvalidInput) as exc:
        quiz_attempt_submit(user=creator, quiz_id=quiz.pk, answers={first.pk: first.choices.first().pk})
    assert exc.value.field == f"q{second.pk}"
    with pytest.raises(InvalidInput):
        quiz_attempt_submit(user=creator, quiz_id=quiz.pk,
                            answers={first.pk: second.choices.first().pk, second.pk: second.choices.first().pk})


def test_the_quiz_page_scores_answers_and_names_the_missing_one(client, quiz):
    creator = UserFactory()
    CreditAccount.objects.create(user=creator, score=8)
    client.login(handle=creator.handle, password=PASSWORD)
    assert "规则中心测验" in client.get("/academy/quizzes/").content.decode()
    bad = client.post(f"/academy/quizzes/{quiz.pk}/", {})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    ok = client.post(f"/academy/quizzes/{quiz.pk}/", {f"q{k}": v for k, v in _answers(quiz).items()})
    assert ok.status_code == 302 and credit_score_of(creator) == 10


def test_announcement_admin_actions_write_the_admin_history(client):
    from django.contrib.admin.models import LogEntry

    operator = UserFactory(is_staff=True, is_superuser=True)
    client.login(handle=operator.handle, password=PASSWORD)
    draft = Announcement.objects.create(title="双十二活动", body="正文")
    client.post("/admin/notices/announcement/", {"action": "publish_now", "_selected_action": [draft.pk]})
    client.post("/admin/notices/announcement/", {"action": "pin", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.pinned
    assert LogEntry.objects.filter(object_id=str(draft.pk), user=operator).count() == 2
