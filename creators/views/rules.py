"""Rules center (规则中心): rules, the public violations board (违规公示), FAQ and, for a
signed-in creator, their credit score (信用分)."""
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidInput

from ..selectors import (
    credit_history,
    credit_score_of,
    faq_entries,
    rule_published,
    rules_by_category,
    violations_board,
)
from ..services.credit import credit_settings

TABS = {
    "rules": gettext_lazy("Rules"),
    "violations": gettext_lazy("Violations board"),
    "faq": gettext_lazy("FAQ"),
    "credit": gettext_lazy("My credit score"),
}


def rules(request):
    tab = request.GET.get("tab") or "rules"
    if tab not in TABS:
        error = InvalidInput(_("Unknown tab: choose rules, violations, faq or credit."), field="tab")
        return render(request, "creators/rules_error.html", {"error": error}, status=400)
    context = {"tab": tab, "tabs": list(TABS.items()), "credit": credit_settings()}
    if request.user.is_authenticated:
        context["score"] = credit_score_of(request.user)
    if tab == "rules":
        context["groups"] = rules_by_category()
    elif tab == "violations":
        context["board"] = violations_board()
    elif tab == "faq":
        context["faq"] = list(faq_entries())
    elif request.user.is_authenticated:
        context["history"] = list(credit_history(request.user))
    return render(request, "creators/rules.html", context)


def rule(request, pk: int):
    found = rule_published(pk)
    if found is None:
        raise Http404
    return render(request, "creators/rule.html", {"rule": found})
