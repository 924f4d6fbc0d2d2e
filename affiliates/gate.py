"""The quality gate (the guide's 批注): which products may enter creators' carts.

Rules per source, from ``GateThreshold`` rows in admin or, without a row, from
``settings.AFFILIATES_GATE_DEFAULTS``:

* shop level: ``credit_level > credit_level_above`` (Taobao's 1–20 levels, 6 = one diamond 一钻,
  so the guide's "above one diamond" is ``credit_level_above = 6``);
* shop scores: description, service and logistics DSR each strictly above the industry
  average (equal is not above). JD gives no averages but ranks each score against its peers
  (高 high / 中 medium = on par / 低 low): there each must reach ``dsr_min_rank``. JD's default
  is "medium" — its 中 band spans the average, so "high" alone would be far stricter than
  Taobao's "0.01 above average" and shut out JD's ordinary good shops; operators can raise it
  to "high" in admin. Optionally each at least ``dsr_min_score``. A score the source did not
  report fails;
* JD's overall shop score (店铺评分 0–5): ``shop_score > shop_score_above`` (default 4.00);
* banned categories: ``BannedCategory`` rows for one source or every source (``source=""``). A
  rule on a node of a source's category tree covers its subtree: a product of that source is
  under it when its stored ancestor ids (``Product.category_path_ids``) start with the node's;
  other rules match the category id or the name of the category or of any ancestor in its
  stored path (``Product.category_path``, "医疗器械/家用医疗器械"). The refusal names the rule.

Failures are stored on the product as plain data (``Product.gate_failures``) and turned into
words only when shown, so a refusal reads in the viewer's language.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

DSR_METRICS = ("description", "service", "logistics")

# Categories Douyin does not let creators promote from outside sources (禁售类目; each covers
# its subtree): (category name, rule name). Added for every source by migration 0007 (and the
# demo); operators edit the rows in admin.
PLATFORM_BANS = (
    ("烟草", "烟草制品禁售"), ("电子烟", "电子烟禁售"),
    ("医疗器械", "医疗器械禁入"), ("药品", "药品禁入"), ("处方药", "药品禁入"), ("OTC药品", "药品禁入"),
    ("成人用品", "成人用品禁入"), ("情趣用品", "成人用品禁入"),
    ("彩票", "彩票禁售"), ("虚拟货币", "虚拟货币禁售"), ("网络游戏点卡", "虚拟商品禁入"),
    ("枪支弹药", "枪支弹药禁售"), ("管制刀具", "管制器具禁售"), ("活体动物", "活体动物禁售"),
)
RANKS = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Threshold:
    credit_level_above: int | None = None
    dsr_above_average: bool = False
    dsr_min_score: int | None = None
    shop_score_above: int | None = None
    dsr_min_rank: str = "high"


@dataclass(frozen=True)
class BannedRule:
    category_name: str
    category_id: str
    rule_name: str
    # A rule on a tree node: the node's source and ancestor ids ("/top/…/node/"). A product of
    # that source is under the node when its own ``category_path_ids`` starts with them; any
    # other product is matched by the node's name at any level of its category path.
    node_source: str = ""
    node_path_ids: str = ""


ANY_SOURCE = ""  # key of the rules that hold for every source


@dataclass
class GateRules:
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    banned: dict[str, list[BannedRule]] = field(default_factory=dict)

    def fingerprint(self, source: str) -> str:
        """Changes whenever this source's rules change, so unchanged products are re-checked."""
        data = [self.thresholds.get(source), [(b.category_name, b.category_id, b.rule_name, b.node_source,
                                                b.node_path_ids) for b in self.banned_for(source)]]
        return hashlib.blake2b(repr(data).encode(), digest_size=8).hexdigest()

    def banned_for(self, source: str) -> list[BannedRule]:
        return [*self.banned.get(source, []), *(self.banned.get(ANY_SOURCE, []) if source != ANY_SOURCE else [])]


def gate_rules_load() -> GateRules:
    """The rules in force now: admin rows over settings defaults (two small queries)."""
    from .models import BannedCategory, GateThreshold

    thresholds = {
        source: Threshold(**{k: v for k, v in values.items() if k in Threshold.__dataclass_fields__})
        for source, values in getattr(settings, "AFFILIATES_GATE_DEFAULTS", {}).items()
    }
    for row in GateThreshold.objects.all():
        thresholds[row.source] = (
            Threshold(row.credit_level_above, row.dsr_above_average, row.dsr_min_score, row.shop_score_above,
                      row.dsr_min_rank)
            if row.active else Threshold()
        )
    banned: dict[str, list[BannedRule]] = {}
    for row in BannedCategory.objects.filter(active=True).select_related("node").order_by("pk"):
        banned.setdefault(row.source, []).append(banned_rule_of(row))
    return GateRules(thresholds=thresholds, banned=banned)


def banned_rule_of(row) -> BannedRule:
    """The plain rule of one ``BannedCategory`` row."""
    node = row.node if row.node_id else None
    return BannedRule(
        (row.category_name.strip() or (node.name if node else "")), row.category_id.strip(), row.rule_name,
        node_source=node.source if node else "", node_path_ids=node.path_ids if node else "",
    )


def _get(obj, name):
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def _path_of(product) -> str:
    if isinstance(product, Mapping):
        return product.get("category_path") or ""
    return getattr(product, "category_path", "") or ""


def _category_levels(category: str) -> set[str]:
    parts = [p.strip().lower() for p in category.replace(">", "/").replace("／", "/").split("/")]
    return {p for p in parts if p} | ({category.strip().lower()} if category.strip() else set())


def gate_evaluate(product, rules: GateRules) -> tuple[bool, list[dict]]:
    """Check one product (a ``Product`` or a dict of its fields) against the rules.

    Returns ``(passed, failures)``; each failure is a small dict with a ``code``.
    """
    source = _get(product, "source")
    failures: list[dict] = []
    threshold = rules.thresholds.get(source)
    if threshold is not None:
        if threshold.credit_level_above is not None:
            level = _get(product, "shop_credit_level")
            if level is None:
                failures.append({"code": "level_unknown", "above": threshold.credit_level_above})
            elif level <= threshold.credit_level_above:
                failures.append({"code": "level_too_low", "level": level, "above": threshold.credit_level_above,
                                 "scale": "taobao" if source == "taobao" else ""})
        if threshold.shop_score_above is not None:
            shop_score = _get(product, "shop_score")
            if shop_score is None:
                failures.append({"code": "shop_score_unknown", "above": threshold.shop_score_above})
            elif shop_score <= threshold.shop_score_above:
                failures.append({"code": "shop_score_too_low", "score": shop_score,
                                 "above": threshold.shop_score_above})
        for metric in DSR_METRICS if threshold.dsr_above_average else ():
            score = _get(product, f"shop_dsr_{metric}")
            average = _get(product, f"industry_dsr_{metric}")
            grade = _get(product, f"shop_grade_{metric}") or ""
            if score is not None and average is not None:
                if score <= average:
                    failures.append({"code": "dsr_not_above_average", "metric": metric,
                                     "score": score, "average": average})
            elif grade:
                if RANKS.get(grade, -1) < RANKS.get(threshold.dsr_min_rank, 2):
                    failures.append({"code": "dsr_rank_too_low", "metric": metric, "grade": grade,
                                     "required": threshold.dsr_min_rank, "score": score})
            elif score is None:
                failures.append({"code": "dsr_unknown", "metric": metric})
            else:
                failures.append({"code": "dsr_average_unknown", "metric": metric})
        for metric in DSR_METRICS if threshold.dsr_min_score is not None else ():
            score = _get(product, f"shop_dsr_{metric}")
            if score is None:
                if not any(f.get("metric") == metric for f in failures):
                    failures.append({"code": "dsr_unknown", "metric": metric})
            elif score < threshold.dsr_min_score:
                failures.append({"code": "dsr_below_minimum", "metric": metric,
                                 "score": score, "minimum": threshold.dsr_min_score})
    banned = rules.banned_for(source)
    if banned:
        cat_id = (_get(product, "category_id") or "").strip()
        levels = _category_levels(_get(product, "category") or "") | _category_levels(_path_of(product))
        path_ids = (product.get("category_path_ids") if isinstance(product, Mapping)
                    else getattr(product, "category_path_ids", "")) or ""
        for rule in banned:
            if rule.node_path_ids and rule.node_source == source:
                hit = path_ids.startswith(rule.node_path_ids) if path_ids else (
                    bool(rule.category_name) and rule.category_name.lower() in levels)
            else:
                hit = (rule.category_id and rule.category_id == cat_id and (
                    not rule.node_source or rule.node_source == source)) or (
                    bool(rule.category_name) and rule.category_name.lower() in levels)
            if hit:
                failures.append({"code": "banned_category", "rule": rule.rule_name,
                                 "category": _get(product, "category") or cat_id})
                break
    return not failures, failures


def failures_json(failures: list[dict]) -> str:
    return json.dumps(failures, ensure_ascii=False, sort_keys=True)


# --- words -------------------------------------------------------------------------------------
def score_text(value: int) -> str:
    """A score ×100 as the source shows it: 462 → "4.62"."""
    return f"{value // 100}.{value % 100:02d}"


def metric_label(metric: str) -> str:
    return {
        "description": pgettext("shop score", "Description"),
        "service": pgettext("shop score", "Service"),
        "logistics": pgettext("shop score", "Logistics"),
    }.get(metric, metric)


def grade_label(grade: str) -> str:
    return {"high": pgettext("industry rank", "high"), "medium": pgettext("industry rank", "medium"),
            "low": pgettext("industry rank", "low")}.get(grade, grade)


def taobao_level_label(level: int) -> str:
    """Taobao seller levels: 1–5 hearts, 6–10 diamonds, 11–15 crowns, 16–20 gold crowns."""
    if level <= 0:
        return str(level)
    tier, count = divmod(level - 1, 5)
    n = count + 1
    names = [
        ngettext("%(n)s heart", "%(n)s hearts", n), ngettext("%(n)s diamond", "%(n)s diamonds", n),
        ngettext("%(n)s crown", "%(n)s crowns", n), ngettext("%(n)s gold crown", "%(n)s gold crowns", n),
    ]
    return names[min(tier, 3)] % {"n": n}


def failure_message(failure: dict) -> str:
    code = failure.get("code")
    if code == "dsr_not_above_average":
        params = {"metric": metric_label(failure["metric"]), "score": score_text(failure["score"]),
                  "average": score_text(failure["average"]),
                  "gap": score_text(failure["average"] - failure["score"])}
        if failure["score"] == failure["average"]:
            return _("%(metric)s %(score)s equals the industry average %(average)s; it must be above it") % params
        return _("%(metric)s %(score)s is below the industry average %(average)s (short by %(gap)s)") % params
    if code == "dsr_below_minimum":
        return _("%(metric)s %(score)s is below the minimum %(minimum)s (short by %(gap)s)") % {
            "metric": metric_label(failure["metric"]), "score": score_text(failure["score"]),
            "minimum": score_text(failure["minimum"]), "gap": score_text(failure["minimum"] - failure["score"])}
    if code == "dsr_rank_too_low":
        params = {"metric": metric_label(failure["metric"]), "grade": grade_label(failure["grade"]),
                  "score": score_text(failure["score"]) if failure.get("score") is not None else ""}
        if failure.get("required") == "medium":
            return _("%(metric)s %(score)s ranks %(grade)s against its peers; it must rank medium or high") % params
        return _("%(metric)s %(score)s ranks %(grade)s against its peers; it must rank high") % params
    if code == "shop_score_too_low":
        return _("Shop score %(score)s must be above %(above)s") % {
            "score": score_text(failure["score"]), "above": score_text(failure["above"])}
    if code == "shop_score_unknown":
        return _("The shop score is unknown; it must be above %(above)s") % {"above": score_text(failure["above"])}
    if code == "dsr_unknown":
        return _("The shop's %(metric)s score is unknown") % {"metric": metric_label(failure["metric"])}
    if code == "dsr_average_unknown":
        return _("The industry average for %(metric)s is unknown") % {"metric": metric_label(failure["metric"])}
    if code == "level_too_low":
        if failure.get("scale") == "taobao":
            return _("Shop level %(level)s (%(label)s) must be above level %(above)s (%(above_label)s)") % {
                "level": failure["level"], "label": taobao_level_label(failure["level"]),
                "above": failure["above"], "above_label": taobao_level_label(failure["above"])}
        return _("Shop level %(level)s must be above %(above)s") % failure
    if code == "level_unknown":
        return _("The shop's level is unknown; it must be above level %(above)s") % {"above": failure["above"]}
    if code == "banned_category":
        return _("Category “%(category)s” is not allowed (rule: %(rule)s)") % {
            "category": failure.get("category", ""), "rule": failure.get("rule", "")}
    return str(failure)


def failure_messages(failures: list[dict]) -> list[str]:
    return [failure_message(f) for f in failures or []]


def refusal_message(failures: list[dict]) -> str:
    return _("This product does not meet the quality rules: %(reasons)s") % {
        "reasons": _("; ").join(failure_messages(failures))}
