"""Academy quiz pages: the list of quizzes and one quiz to answer (passing once gives credit
points back)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError

from .quizzes import quiz_attempt_submit, quiz_passed_by, quiz_published, quizzes_published


def quiz_list(request):
    quizzes = list(quizzes_published())
    for quiz in quizzes:
        quiz.passed_by_me = quiz_passed_by(quiz=quiz, user=request.user)
    return render(request, "notices/quizzes.html", {"quizzes": quizzes})


@login_required
def quiz(request, pk: int):
    found = quiz_published(pk)
    if found is None:
        raise Http404
    passed = quiz_passed_by(quiz=found, user=request.user)
    error, status, chosen = None, 200, {}
    if request.method == "POST" and not passed:
        chosen = {q.pk: request.POST.get(f"q{q.pk}") for q in found.questions.all()}
        try:
            attempt = quiz_attempt_submit(user=request.user, quiz_id=found.pk, answers=chosen)
        except DomainError as exc:
            error, status = exc, exc.status_code
        else:
            if attempt.passed:
                messages.success(request, _("Passed with %(score)s points: %(n)s credit points are back.")
                                 % {"score": attempt.score, "n": found.restores_points})
            else:
                messages.error(request, _("%(score)s points: %(need)s are needed to pass. Try again.")
                               % {"score": attempt.score, "need": found.pass_score})
            return redirect("notices:quiz", pk=found.pk)
    field = getattr(error, "field", None) or ""
    error_qid = int(field[1:]) if field.startswith("q") and field[1:].isdigit() else None
    return render(request, "notices/quiz.html", {"quiz": found, "passed": passed, "error": error, "error_qid": error_qid,
                                                 "chosen": {k: str(v) for k, v in chosen.items()}}, status=status)
