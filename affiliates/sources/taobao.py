"""Taobao / Tmall through Taobao Union (淘宝联盟) on the TOP gateway (``/router/rest``).

Wire facts (SOURCES.md): system params ``method, app_key, timestamp (GMT+8), v=2.0,
format=json, sign_method`` (+ optional ``session``); the sign is over every other param,
sorted, ``k1v1k2v2…``. Answers are ``{"<method>_response": {...}}`` (TOP drops the leading
``taobao.``) or ``{"error_response": {code, msg, sub_code, sub_msg}}``.

Choices where the facts run out (each *unverified*, each in one place below):
- ``_product`` reads ``taobao.tbk.item.info.get`` records with the same shape as
  ``taobao.tbk.dg.material.optional``'s (commission, coupon, click ``url``, shop fields);
- ``_shop`` reads the three DSR scores, their industry averages and the seller credit level;
- the click id rides on the union click URL as ``external_id`` and comes back in the order
  rows' ``external_id`` (``CLICK_ID_PARAM``);
- no-keyword search asks ``material.optional`` for the hot-seller pool ``material_id``.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import requests

from .base import (
    ORDER_TIME_ORDERED,
    ORDER_TIME_UPDATED,
    BadSignature,
    CategoryInfo,
    NotFound,
    NotPromotable,
    OrderPage,
    OrderReportRow,
    OrderStatus,
    PasteMatch,
    ProductInfo,
    PromotionLink,
    RateLimited,
    SearchPage,
    ShopInfo,
    Source,
    SourceError,
    Transient,
    category_path,
)
from .client import HttpSourceClient, page_has_more
from .values import bp_from_percent, cn_time, cn_time_str, fen, integer, loads, x100

# --- signing -----------------------------------------------------------------------------------
SIGN_METHODS = ("md5", "hmac", "hmac-sha256")


def top_sign(params: dict[str, str], secret: str, sign_method: str = "md5") -> str:
    """TOP signature: sort every param but ``sign``, join ``k1v1k2v2…``; upper-hex of
    MD5(secret + s + secret), HMAC-MD5(secret, s) or HMAC-SHA256(secret, s)."""
    s = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k != "sign" and v is not None)
    if sign_method == "md5":
        # The source's signing protocol fixes MD5; it is not our choice of hash.
        digest = hashlib.md5((secret + s + secret).encode()).hexdigest()  # nosec B324
    elif sign_method == "hmac":
        digest = hmac.new(secret.encode(), s.encode(), hashlib.md5).hexdigest()
    elif sign_method == "hmac-sha256":
        digest = hmac.new(secret.encode(), s.encode(), hashlib.sha256).hexdigest()
    else:
        raise ValueError(f"unknown TOP sign_method {sign_method!r}")
    return digest.upper()


def response_key(method: str) -> str:
    """``taobao.tbk.item.info.get`` → ``tbk_item_info_get_response``."""
    name = method[len("taobao."):] if method.startswith("taobao.") else method
    return name.replace(".", "_") + "_response"


# --- statuses and paste formats ---------------------------------------------------------------------
TK_STATUS = {  # tk_status → OrderStatus
    "12": OrderStatus.PAID,
    "13": OrderStatus.INVALID,
    "14": OrderStatus.CONFIRMED,
    "3": OrderStatus.SETTLED,
}
CLICK_ID_PARAM = "external_id"  # *unverified*: where our click id rides and returns
TOKEN_RE = re.compile(r"[￥¥$€()#@!！]([0-9A-Za-z]{10,14})[￥¥$€()#@!！]")
_ITEM_URL_RES = [
    (re.compile(r"^(?:https?://)?(?:[\w-]+\.)*(?:taobao|tmall)\.com/.*?[?&](?:itemId|item_id|id)=(\d{6,15})", re.I), "id"),
    (re.compile(r"^(?:https?://)?m\.tb\.cn/(h\.[0-9A-Za-z]+)", re.I), "short_link"),
]
_ID_IN_TEXT = [re.compile(r"(?:taobao|tmall)\.com/[^\s\"'<>]*?[?&](?:id|itemId|item_id)=(\d{6,15})", re.I)]


class TaobaoClient(HttpSourceClient):
    source = Source.TAOBAO
    max_order_window = timedelta(hours=3)  # 20 minutes during big sales; the caller may ask less
    max_page_size = 100
    max_order_page_size = 100

    # --- the gateway ------------------------------------------------------------------------
    def call(self, method: str, **params) -> dict:
        sign_method = self.option("sign_method", "md5")
        payload = {k: str(v) for k, v in params.items() if v is not None}
        payload.update({
            "method": method, "app_key": self.config.app_key, "timestamp": cn_time_str(self.now()),
            "v": "2.0", "format": "json", "sign_method": sign_method,
        })
        if self.option("session"):
            payload["session"] = self.option("session")
        payload["sign"] = top_sign(payload, self.config.app_secret, sign_method)

        def send(session: requests.Session, timeout):
            return session.post(self.config.base_url, data=payload, timeout=timeout)

        return self.transport.call(method, send, lambda r: self._read(method, r))

    def _read(self, method: str, response: requests.Response) -> dict:
        body = loads(response.content)
        error = body.get("error_response")
        if error is not None:
            raise _error(error)
        answer = body.get(response_key(method))
        if answer is None:
            raise ValueError(f"no {response_key(method)} in the answer")
        return answer

    # --- the interface -------------------------------------------------------------------------
    def match_paste(self, text: str) -> PasteMatch | None:
        found = self.match_urls(text, _ITEM_URL_RES)
        if found and found.kind == "id":
            return found
        m = TOKEN_RE.search(text or "")
        if m:
            return PasteMatch(source=self.source.value, kind="token", value=m.group(1))
        return found

    def resolve(self, match: PasteMatch) -> ProductInfo:
        if match.kind == "id":
            return self.product_detail(match.value)
        if match.kind == "short_link":
            return self.product_detail(self.follow_short_link(
                f"https://m.tb.cn/{match.value}", host="m.tb.cn", id_patterns=_ID_IN_TEXT))
        answer = self.call("taobao.wireless.share.tpwd.query", password_content=f"￥{match.value}￥")
        if not answer.get("suc", True) or not answer.get("url"):
            raise NotFound(self.source.value, "the Taobao token (淘口令) is unknown or expired", code="tpwd")
        for pattern in _ID_IN_TEXT:
            m = pattern.search(answer["url"])
            if m:
                return self.product_detail(m.group(1))
        raise NotFound(self.source.value, "the Taobao token does not point at an item", code="tpwd")

    def missing_item(self) -> SourceError:
        # Taobao Union answers only for its own items: an unknown id is an item outside the union.
        return NotPromotable(
            self.source.value,
            "This item is not in Taobao Union (淘宝客联盟). If it is your own shop's item, add it "
            "to Taobao Union first, then paste it again.",
            code="not_in_union",
        )

    def categories(self, parent_id: str = "") -> list[CategoryInfo]:
        """``taobao.itemcats.get``: the children of ``parent_cid`` (0 = the top level)."""
        parent = str(parent_id) if str(parent_id).isdigit() else "0"
        answer = self.call("taobao.itemcats.get", parent_cid=parent, fields="cid,parent_cid,name,is_parent")
        rows = (answer.get("item_cats") or {}).get("item_cat") or []
        level = self._levels.get(parent, 0) + 1
        out = []
        for row in rows:
            cid = str(row.get("cid", ""))
            self._levels[cid] = level
            out.append(CategoryInfo(category_id=cid, name=str(row.get("name", "")).strip(),
                                    parent_id="" if parent == "0" else parent, level=level,
                                    is_leaf=str(row.get("is_parent")).lower() not in ("true", "1")))
        return out

    @property
    def _levels(self) -> dict[str, int]:
        if not hasattr(self, "_level_of"):
            self._level_of: dict[str, int] = {"0": 0}
        return self._level_of

    def products_detail(self, external_ids: list[str]) -> list[ProductInfo]:
        ids = [str(i) for i in external_ids if str(i).isdigit()]
        out: list[ProductInfo] = []
        for start in range(0, len(ids), 40):  # num_iids: at most 40 per call
            answer = self.call("taobao.tbk.item.info.get", num_iids=",".join(ids[start:start + 40]))
            out.extend(self._product(r) for r in (answer.get("results") or {}).get("n_tbk_item", []))
        return out

    def search(self, *, keyword: str = "", page: int = 1, page_size: int = 20,
               sort: str | None = None) -> SearchPage:
        page_size = min(max(1, page_size), self.max_page_size)
        sorts = {"sales": "total_sales_des", "price_asc": "price_asc", "price_desc": "price_des",
                 "commission": "tk_rate_des"}
        answer = self.call(
            "taobao.tbk.dg.material.optional", adzone_id=self.option("adzone_id"), q=keyword or None,
            material_id=None if keyword else self.option("hot_material_id", "28026"),
            page_no=page, page_size=page_size, sort=sorts.get(sort or ""),
        )
        items = [self._product(r) for r in (answer.get("result_list") or {}).get("map_data", [])]
        total = integer(answer.get("total_results"), 0)
        return SearchPage(items=items, page=page, has_more=page_has_more(page, page_size, total, len(items)), total=total)

    def promotion_link(self, *, external_id: str, click_id: str) -> PromotionLink:
        answer = self.call("taobao.tbk.item.info.get", num_iids=str(external_id))
        records = (answer.get("results") or {}).get("n_tbk_item", [])
        if not records or not records[0].get("url"):
            self.product_detail(external_id)  # raises the Taobao Union refusal
        record = records[0]
        url = _with_param(record["url"], CLICK_ID_PARAM, click_id)
        made = self.call("taobao.tbk.tpwd.create", text=record.get("title", "")[:50], url=url,
                         logo=record.get("pict_url"))
        data = made.get("data") or {}
        return PromotionLink(url=url, token=data.get("model") or data.get("password_simple"))

    def order_reports(self, *, start: datetime, end: datetime, page: int = 1,
                      page_size: int | None = None, cursor: str | None = None,
                      by: str = ORDER_TIME_UPDATED) -> OrderPage:
        if end - start > self.max_order_window or end <= start:
            raise ValueError("a Taobao order window is at most 3 hours and not empty")
        size = min(page_size or self.max_order_page_size, self.max_order_page_size)
        answer = self.call(
            "taobao.tbk.order.details.get", query_type=1 if by == ORDER_TIME_ORDERED else 4,  # created / updated
            start_time=cn_time_str(start),
            end_time=cn_time_str(end), page_no=page, page_size=size, jump_type=1 if page > 1 else None,
            position_index=cursor, order_scene=1,
        )
        data = answer.get("data") or {}
        rows = [self._order_row(r) for r in (data.get("results") or {}).get("publisher_order_dto", [])]
        return OrderPage(rows=rows, has_more=bool(data.get("has_next")), page=page,
                         cursor=data.get("position_index") or None)

    # --- records → plain data ------------------------------------------------------------------
    def _product(self, r: dict) -> ProductInfo:
        images = [r["pict_url"]] if r.get("pict_url") else []
        images += [u for u in (r.get("small_images") or {}).get("string", []) if u not in images]
        price = fen(r.get("zk_final_price") or r.get("reserve_price"))
        return ProductInfo(
            source=self.source.value, external_id=str(r["num_iid"]), title=r.get("title", ""),
            price_fen=price, original_price_fen=fen(r.get("reserve_price")) or None,
            commission_rate_bp=integer(r.get("commission_rate"), 0),  # "1550" = 15.50 %
            image_urls=images, category=r.get("cat_leaf_name") or r.get("category_name") or r.get("cat_name", ""),
            category_id=str(r.get("category_id") or r.get("level_one_category_id") or ""),
            category_path=category_path(r.get("level_one_category_name") or r.get("cat_name"),
                                        r.get("cat_leaf_name") or r.get("category_name")),
            shop=self._shop(r), sales_volume=integer(r.get("volume"), 0),
            item_url=r.get("item_url", ""),
            coupon_fen=fen(r.get("coupon_amount")),
        )

    def _shop(self, r: dict) -> ShopInfo:
        # *unverified* field names: shop_dsr_info{desc,serv,post score + industry avg}, seller_credit_level
        dsr = r.get("shop_dsr_info") or {}
        return ShopInfo(
            shop_id=str(r.get("seller_id", "")), name=r.get("shop_title") or r.get("nick", ""),
            credit_level=integer(r.get("seller_credit_level"), 0) or None,
            dsr_description=x100(dsr.get("desc_score")), dsr_service=x100(dsr.get("serv_score")),
            dsr_logistics=x100(dsr.get("post_score")),
            industry_description=x100(dsr.get("desc_industry_avg")),
            industry_service=x100(dsr.get("serv_industry_avg")),
            industry_logistics=x100(dsr.get("post_industry_avg")),
            shop_type="tmall" if integer(r.get("user_type"), 0) == 1 else "taobao",
        )

    def _order_row(self, r: dict) -> OrderReportRow:
        raw = str(r.get("tk_status", ""))
        return OrderReportRow(
            source=self.source.value, order_id=str(r["trade_parent_id"]), line_id=str(r["trade_id"]),
            product_external_id=str(r.get("item_id", "")), title=r.get("item_title", ""),
            quantity=integer(r.get("item_num"), 1), paid_amount_fen=fen(r.get("alipay_total_price")),
            commission_rate_bp=bp_from_percent(r.get("total_commission_rate")),
            estimated_commission_fen=fen(r.get("pub_share_pre_fee")),
            settled_commission_fen=fen(r.get("pub_share_fee")),
            status=TK_STATUS.get(raw, OrderStatus.INVALID), raw_status=raw,
            click_id=str(r.get(CLICK_ID_PARAM) or ""), ordered_at=cn_time(r.get("tk_create_time")),
            paid_at=cn_time(r.get("tk_paid_time")), finished_at=cn_time(r.get("tk_earning_time")),
            updated_at=cn_time(r.get("modified_time")),
        )


def _with_param(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}"


def _error(error: dict) -> SourceError:
    code = str(error.get("code", ""))
    sub_code = str(error.get("sub_code") or "")
    message = error.get("sub_msg") or error.get("msg") or "TOP error"
    shown = f"{message} ({sub_code or code})"
    if code in ("25", "29"):  # invalid signature / invalid app key
        return BadSignature("taobao", shown, code=code)
    if code == "7" or sub_code.startswith("accesscontrol."):
        m = re.search(r"(\d+)\s*more\s*seconds", str(error.get("sub_msg") or ""))
        return RateLimited("taobao", shown, code=sub_code or code, retry_after=float(m.group(1)) if m else None)
    if sub_code.startswith("isp.") or code in ("520", "530"):
        return Transient("taobao", shown, code=sub_code or code)
    if sub_code in ("isv.item-not-exist", "isv.invalid-parameter:item"):
        return NotFound("taobao", shown, code=sub_code)
    return SourceError("taobao", shown, code=sub_code or code)
