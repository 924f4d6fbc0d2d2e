"""Academy quizzes (小店学院测验): a creator answers the questions; passing a quiz once gives
credit points back through the hook a higher app (creators) connects to ``quiz_passed``."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, InvalidInput, NotFound

from .models import Quiz, QuizAttempt, QuizChoice

# sender=Quiz, quiz=..., user=..., attempt=... ; sent inside the transaction of the attempt,
# so the receiver's write (points back) commits or rolls back with it.
quiz_passed = Signal()


def quizzes_published():
    return Quiz.objects.filter(is_published=True).prefetch_related("questions__choices")


def quiz_published(pk: int) -> Quiz | None:
    return quizzes_published().filter(pk=pk).first()


def quiz_passed_by(*, quiz: Quiz, user) -> bool:
    return getattr(user, "is_authenticated", False) and QuizAttempt.objects.filter(
        quiz=quiz, user=user, passed=True).exists()


@transaction.atomic
def quiz_attempt_submit(*, user, quiz_id: int, answers: dict[int, int | str | None]) -> QuizAttempt:
    """Score ``answers`` ({question id: chosen answer id}); every question needs an answer.
    A quiz already passed is not taken again."""
    quiz = quiz_published(quiz_id)
    if quiz is None:
        raise NotFound(_("No such quiz."), field="quiz")
    if quiz_passed_by(quiz=quiz, user=user):
        raise Conflict(_("You have already passed this quiz."), field="quiz", code="passed")
    score = 0
    for question in quiz.questions.all():
        raw = answers.get(question.pk)
        try:
            choice_id = int(raw)
        except (TypeError, ValueError):
            raise InvalidInput(_("Answer every question."), field=f"q{question.pk}", code="required") from None
        choice = QuizChoice.objects.filter(pk=choice_id, question=question).first()
        if choice is None:
            raise InvalidInput(_("Choose one of the answers given."), field=f"q{question.pk}", code="invalid")
        if choice.is_correct:
            score += question.points
    passed = score >= quiz.pass_score
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(quiz=quiz, user=user, score=score, passed=passed)
    except IntegrityError:
        raise Conflict(_("You have already passed this quiz."), field="quiz", code="passed") from None
    if passed:
        quiz_passed.send(sender=Quiz, quiz=quiz, user=user, attempt=attempt)
    return attempt
