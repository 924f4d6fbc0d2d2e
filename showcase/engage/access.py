"""Who may open the creator back office (E后台): a creator with a usable cart right, any of
the three (guide: 开通购物车权限的用户，还可以登录抖音E后台，管理自己的评论、私信等)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import Forbidden
from creators.models import CartRight, User
from creators.services import require_cart_right


def require_backoffice(user: User) -> CartRight:
    """The first usable right of ``user``, or :class:`Forbidden` saying why not."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Log in first."), field="kind", code="login_required")
    refusals = []
    for kind in CartRight.Kind.values:
        try:
            return require_cart_right(user, kind)
        except Forbidden as refusal:
            refusals.append(refusal)
    held = [r for r in refusals if r.code != "no_right"]
    if not held:
        raise Forbidden(_("The creator back office (E后台) is for creators with product sharing: apply for it first."),
                        field="kind", code="no_right")
    raise Forbidden(" ".join(str(r.message) for r in held), field="kind", code=held[0].code)
