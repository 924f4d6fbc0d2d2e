"""Orders: the tracked click every buy button goes through (attribution starts here)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from showcase.channels import Channel


class Click(models.Model):
    """One press of a buy button: who made the sale possible (creator, channel, content), for whom
    (shopper or anonymous visitor) and when. ``id`` is short and random: it rides in the source's
    sub-id field (Taobao ``external_id``, JD ``subUnionId``, ...) and comes back with the order report.

    ``channel`` is empty for a product page reached directly (a shared link); ``creator`` is empty
    when no creator brought the shopper (search) or the link named a product the creator no longer
    carries.
    """

    id = models.CharField(_("click id"), max_length=16, primary_key=True, editable=False)
    product = models.ForeignKey("affiliates.Product", models.CASCADE, related_name="clicks", verbose_name=_("product"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="buy_clicks", verbose_name=_("creator"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    video = models.ForeignKey("creators.Video", models.SET_NULL, null=True, blank=True, related_name="clicks",
                              verbose_name=_("video"))
    live = models.ForeignKey("showcase.LiveSession", models.SET_NULL, null=True, blank=True, related_name="clicks",
                             verbose_name=_("live session"))
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="shopping_clicks", verbose_name=_("shopper"))
    visitor_key = models.CharField(_("visitor key"), max_length=32, blank=True, db_index=True,
                                   help_text=_("An anonymous visitor's key, kept in their session."))
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    target_url = models.URLField(_("sent to"), max_length=2000, blank=True)
    commission_rate_bp = models.PositiveIntegerField(
        _("commission rate (bp)"), null=True, blank=True,
        help_text=_("The product's commission rate when the shopper clicked: the order this click wins earns it."))
    created_at = models.DateTimeField(_("clicked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["shopper", "product", "-created_at"], name="click_shopper_product"),
            models.Index(fields=["visitor_key", "product", "-created_at"], name="click_visitor_product"),
            models.Index(fields=["creator", "-created_at"], name="click_creator_recent"),
        ]

    def __str__(self) -> str:
        return self.id


# --- checkout, payment and the order lifecycle -------------------------------------------------

class Address(models.Model):
    """A shopper's saved delivery address; one may be the default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="addresses",
                             verbose_name=_("shopper"))
    recipient = models.CharField(_("recipient"), max_length=30)
    phone = models.CharField(_("phone"), max_length=11)
    region = models.CharField(_("region"), max_length=60, help_text=_("Province, city and district."))
    detail = models.CharField(_("street address"), max_length=120)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.phone} {self.region} {self.detail}"


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PAID = "paid", _("Paid, awaiting shipment")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Received")
    COMPLETED = "completed", _("Completed")
    REFUND_REQUESTED = "refund_requested", _("Refund requested")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")


class OrderAction(models.TextChoices):
    PLACE = "place", _("Placed")
    PAY = "pay", _("Paid")
    CANCEL = "cancel", _("Cancelled by the shopper")
    TIMEOUT = "timeout", _("Closed unpaid after the payment time limit")
    SHIP = "ship", _("Shipped by the merchant")
    CONFIRM = "confirm", _("Receipt confirmed by the shopper")
    AUTO_CONFIRM = "auto_confirm", _("Receipt confirmed automatically")
    COMPLETE = "complete", _("Completed after the after-sales period")
    REFUND_REQUEST = "refund_request", _("Refund requested by the shopper")
    REFUND_APPROVE = "refund_approve", _("Refund approved by the merchant")
    REFUND_APPROVE_PART = "refund_approve_part", _("Partial refund approved by the merchant")
    REFUND_REJECT = "refund_reject", _("Refund rejected by the merchant")


S, A = OrderStatus, OrderAction
# THE transitions table: (from status, action) → to status. Nothing else moves an order.
# A rejected refund request returns the order to where it was (``Order.refund_from``).
TRANSITIONS: dict[tuple[str, str], str] = {
    ("", A.PLACE): S.PENDING_PAYMENT,
    (S.PENDING_PAYMENT, A.PAY): S.PAID,
    (S.PENDING_PAYMENT, A.CANCEL): S.CLOSED,
    (S.PENDING_PAYMENT, A.TIMEOUT): S.CLOSED,
    (S.PAID, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.CONFIRM): S.RECEIVED,
    (S.SHIPPED, A.AUTO_CONFIRM): S.RECEIVED,
    (S.RECEIVED, A.COMPLETE): S.COMPLETED,
    (S.PAID, A.REFUND_REQUEST): S.REFUND_REQUESTED,
    (S.SHIPPED, A.REFUND_REQUEST): S.REFUND_REQUESTED,
    (S.RECEIVED, A.REFUND_REQUEST): S.REFUND_REQUESTED,
    (S.COMPLETED, A.REFUND_REQUEST): S.REFUND_REQUESTED,  # after-sale, within AFTER_SALE_DAYS
    (S.REFUND_REQUESTED, A.REFUND_APPROVE): S.REFUNDED,  # the refunds reach the paid amount
    (S.REFUND_REQUESTED, A.REFUND_APPROVE_PART): "",  # a partial refund: back to ``refund_from``
    (S.REFUND_REQUESTED, A.REFUND_REJECT): "",  # back to ``refund_from``
}
# Moves that return an order to where it was (its dates stay as they were).
BACK_ACTIONS = (A.REFUND_APPROVE_PART, A.REFUND_REJECT)
del S, A


class Order(models.Model):
    """One native order (小店 / 精选联盟): one SKU in some quantity, bought by a shopper from a
    shop. Price, quantity and status are set only by ``orders.services``; the address is a copy."""

    number = models.CharField(_("order number"), max_length=20, unique=True, editable=False)
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="orders",
                                verbose_name=_("shopper"))
    shop = models.ForeignKey("affiliates.Shop", models.PROTECT, related_name="orders", verbose_name=_("shop"))
    product = models.ForeignKey("affiliates.Product", models.PROTECT, related_name="orders",
                                verbose_name=_("product"))
    sku = models.ForeignKey("affiliates.Sku", models.PROTECT, related_name="orders", verbose_name=_("SKU"))
    title = models.CharField(_("title"), max_length=60)
    sku_name = models.CharField(_("spec"), max_length=40)
    unit_price_fen = models.BigIntegerField(_("unit price (fen)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    total_fen = models.BigIntegerField(_("total (fen)"))
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices,
                              default=OrderStatus.PENDING_PAYMENT, db_index=True)
    refund_from = models.CharField(_("refund requested in status"), max_length=20, blank=True,
                                   choices=OrderStatus.choices)
    refund_reason = models.CharField(_("refund reason"), max_length=200, blank=True)
    # Delivery address, copied at placement (editing the saved address later changes nothing here).
    recipient = models.CharField(_("recipient"), max_length=30)
    phone = models.CharField(_("phone"), max_length=11)
    address = models.CharField(_("address"), max_length=200)
    carrier = models.CharField(_("carrier"), max_length=30, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    # Attribution (the rule: ``selectors.click_for_attribution``), fixed at placement.
    click = models.ForeignKey(Click, models.SET_NULL, null=True, blank=True, related_name="orders",
                              verbose_name=_("click"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="attributed_orders", verbose_name=_("creator"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    commission_rate_bp = models.PositiveIntegerField(_("commission rate (bp)"), default=0,
                                                     help_text=_("Locked on the winning click (else the product's)."))
    commission_fen = models.BigIntegerField(_("commission (fen)"), default=0)
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True, db_index=True)
    pay_deadline = models.DateTimeField(_("pay before"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True,
                                       help_text=_("Completed, refunded or closed."))

    class Meta:
        verbose_name = pgettext_lazy("purchase", "order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_quantity_positive"),
            models.CheckConstraint(condition=models.Q(total_fen=models.F("unit_price_fen") * models.F("quantity")),
                                   name="order_total_is_price_times_quantity"),
        ]
        indexes = [
            models.Index(fields=["shopper", "-created_at"], name="order_shopper_recent"),
            models.Index(fields=["shop", "status", "-created_at"], name="order_shop_status"),
            models.Index(fields=["pay_deadline"], condition=models.Q(status="pending_payment"),
                         name="order_unpaid_deadline"),
            models.Index(fields=["shipped_at"], condition=models.Q(status="shipped"), name="order_shipped_at"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderStatusChange(models.Model):
    """History: one row per status change, written by the same transaction that made it."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="history",
                              verbose_name=pgettext_lazy("purchase", "order"))
    from_status = models.CharField(_("from"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices)
    action = models.CharField(_("action"), max_length=20, choices=OrderAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"


class PlacementKey(models.Model):
    """An idempotency key of order placement (API ``Idempotency-Key`` header, or the checkout
    form's one-time token): the same key returns the same order; another body is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("shopper"))
    key = models.CharField(_("key"), max_length=64)
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    order = models.ForeignKey(Order, models.CASCADE, related_name="+", verbose_name=pgettext_lazy("purchase", "order"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement key")
        verbose_name_plural = _("placement keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="placement_key_once_per_user")]

    def __str__(self) -> str:
        return self.key


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    """One attempt to pay an order through a gateway; ``number`` is our trade number there."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="payments",
                              verbose_name=pgettext_lazy("purchase", "order"))
    gateway = models.CharField(_("gateway"), max_length=16)
    number = models.CharField(_("trade number"), max_length=32, unique=True, editable=False)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING)
    gateway_trade_no = models.CharField(_("gateway trade number"), max_length=64, null=True, blank=True,
                                        unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the merchant")
    REJECTED = "rejected", _("Rejected by the merchant")
    PENDING = "pending", _("Refunding")
    SUCCEEDED = "succeeded", _("Refunded to the payment account")
    FAILED = "failed", _("Refund failed, an operator is on it")


class Refund(models.Model):
    """Money going back through the gateway a payment came through: a shopper's request (the
    whole rest, an amount, or some units; several per order, never more than was paid) once the
    merchant approved it, or at once for money that arrived when the order no longer took it
    (``stray``). ``number`` is our refund number there (the gateway refunds a number once), so a
    retried call never pays twice."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="refunds",
                              verbose_name=pgettext_lazy("purchase", "order"))
    payment = models.ForeignKey(Payment, models.PROTECT, null=True, blank=True, related_name="refunds",
                                verbose_name=_("payment"))
    number = models.CharField(_("refund number"), max_length=32, unique=True, editable=False)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    quantity = models.PositiveIntegerField(_("units refunded"), default=0,
                                           help_text=_("0 when refunded by amount."))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    after_completion = models.BooleanField(_("after-sale (after completion)"), default=False)
    stray = models.BooleanField(_("money the order did not take"), default=False,
                                help_text=_("A payment that arrived after its order closed or was already paid."))
    restocked = models.PositiveIntegerField(_("units back in stock"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    gateway_refund_no = models.CharField(_("gateway refund number"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="refund_amount_positive"),
            # Money the order did not take goes back in full, once. An order's refunds may be
            # several; the service keeps their sum within the payment (under the order's lock).
            models.UniqueConstraint(fields=["payment"], condition=models.Q(stray=True),
                                    name="refund_stray_once_per_payment"),
        ]

    def __str__(self) -> str:
        return self.number


class NotifyOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REPLAYED = "replayed", _("Replayed (no change)")
    FORGED = "forged", _("Bad signature")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount does not match")
    UNKNOWN = "unknown", _("Unknown payment")
    LATE = "late", _("Order no longer payable")


class PaymentNotify(models.Model):
    """Every notify a gateway sent, with what we made of it (unique per gateway notify id)."""

    gateway = models.CharField(_("gateway"), max_length=16)
    notify_id = models.CharField(_("notify id"), max_length=64)
    payment = models.ForeignKey(Payment, models.SET_NULL, null=True, blank=True, related_name="notifies",
                                verbose_name=_("payment"))
    params = models.JSONField(_("parameters"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=16, choices=NotifyOutcome.choices)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment notify")
        verbose_name_plural = _("payment notifies")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["gateway", "notify_id"], name="payment_notify_id")]

    def __str__(self) -> str:
        return f"{self.gateway} {self.notify_id} {self.outcome}"


# --- external orders (JD, Kaola, Vipshop, Suning; Taobao stored, never shown) ------------------

class ExternalOrder(models.Model):
    """An outside source's order line from its order report, mapped to our lifecycle."""

    source = models.CharField(_("source"), max_length=16)
    order_id = models.CharField(_("order id"), max_length=64)
    line_id = models.CharField(_("line id"), max_length=64)
    report = models.OneToOneField("sync.OrderReport", models.SET_NULL, null=True, blank=True,
                                  related_name="external_order", verbose_name=_("order report"))
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="external_orders", verbose_name=_("shopper"))
    click = models.ForeignKey(Click, models.SET_NULL, null=True, blank=True, related_name="external_orders",
                              verbose_name=_("click"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="attributed_external_orders", verbose_name=_("creator"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    product = models.ForeignKey("affiliates.Product", models.SET_NULL, null=True, blank=True,
                                related_name="external_orders", verbose_name=_("product"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    paid_amount_fen = models.BigIntegerField(_("paid amount (fen)"))
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices)
    source_status = models.CharField(_("source status"), max_length=32, blank=True)
    ordered_at = models.DateTimeField(_("ordered at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("external order")
        verbose_name_plural = _("external orders")
        ordering = ["-ordered_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "order_id", "line_id"],
                                               name="external_order_line_once")]
        indexes = [models.Index(fields=["shopper", "-ordered_at"], name="external_order_shopper")]

    def __str__(self) -> str:
        return f"{self.source} {self.order_id}/{self.line_id}"


class ExternalOrderStatusChange(models.Model):
    """History of an external order's mapped status (one row per change the reports showed)."""

    order = models.ForeignKey(ExternalOrder, models.CASCADE, related_name="history",
                              verbose_name=pgettext_lazy("purchase", "order"))
    from_status = models.CharField(_("from"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external order status change")
        verbose_name_plural = _("external order status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"


class OrderDisplayConsent(models.Model):
    """授权管理: the shopper agreed that third-party orders (JD, Kaola, Vipshop, Suning) are shown
    in 我的-订单. Revoking keeps the row with ``revoked_at`` set."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="order_display_consent",
                                verbose_name=_("shopper"))
    granted_at = models.DateTimeField(_("granted at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("third-party order authorisation")
        verbose_name_plural = _("third-party order authorisations")

    def __str__(self) -> str:
        return f"{self.user_id} {'revoked' if self.revoked_at else 'granted'}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
