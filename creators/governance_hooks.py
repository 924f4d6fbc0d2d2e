"""What creators registers into lower rooms for governance (see ``apps.py``)."""
from __future__ import annotations


def rights_usable(user) -> set[str]:
    """The rights ``user`` may use now (announcements for right holders ask this)."""
    from .selectors import cart_rights_for

    return {state.kind for state in cart_rights_for(user) if state.usable}


def on_quiz_passed(sender, quiz, user, attempt, **kwargs) -> None:
    from .services.governance import credit_quiz_restore

    if quiz.restores_points:
        credit_quiz_restore(user=user, points=quiz.restores_points, quiz_title=quiz.title)
