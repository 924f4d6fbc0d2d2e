"""Reactions to what lower rooms announce: a creator's right or a video changed, so the
cached shopper views of that showcase or video get a new version."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from affiliates.signals import banned_rule_enforced, banned_rule_placements, products_availability_changed
from creators.models import CartRight, Video
from creators.signals import cart_right_changed, penalty_products_removed

from . import cache as vcache


@receiver(cart_right_changed, sender=CartRight, dispatch_uid="showcase.right_changed")
def _right_changed(sender, right, **kwargs):
    vcache.bump(vcache.SHOWCASE, right.user_id)  # the signal is sent after commit


@receiver(post_save, sender=Video, dispatch_uid="showcase.video_saved")
@receiver(post_delete, sender=Video, dispatch_uid="showcase.video_deleted")
def _video_changed(sender, instance, **kwargs):
    vcache.bump_on_commit(vcache.VIDEO, instance.pk)


@receiver(penalty_products_removed, dispatch_uid="showcase.penalty_products_removed")
def _penalty_takes_products_down(sender, violation, **kwargs):
    """A governance penalty names a product (or a video): take it off this creator's showcase
    and carts at once (sent after the violation's transaction commits)."""
    from .services.takedown import products_take_down

    related = violation.related_type
    if related is None or violation.related_id is None:
        return
    if (related.app_label, related.model) == ("affiliates", "product"):
        products_take_down(creator_id=violation.creator_id, product_id=violation.related_id)
    elif (related.app_label, related.model) == ("creators", "video"):
        products_take_down(creator_id=violation.creator_id, video_id=violation.related_id)


@receiver(banned_rule_placements, dispatch_uid="showcase.banned_rule_placements")
def _banned_rule_placements(sender, product_ids, **kwargs):
    """Answer where creators sell these products: showcases, video carts and live carts."""
    from .selectors import product_placements

    return product_placements(product_ids=product_ids)


@receiver(banned_rule_enforced, dispatch_uid="showcase.banned_rule_enforced")
def _banned_rule_takes_products_down(sender, rule, placements, **kwargs):
    """A banned-category rule was enforced (sent after commit): take each placement down."""
    from .services.takedown import products_take_down

    for creator_id, product_id in sorted({(p.creator_id, p.product_id) for p in placements}):
        products_take_down(creator_id=creator_id, product_id=product_id)


@receiver(products_availability_changed, dispatch_uid="showcase.products_availability_changed")
def _availability_changed(sender, product_ids, **kwargs):
    """A native product sold out or came back (sent after commit): the live rooms explaining it
    and the showcases holding it get a new version, so viewers see 已抢光 or the buy button at once."""
    from .models import LiveProduct, LiveSession, ShowcaseItem

    for session_id in set(LiveProduct.objects.filter(product_id__in=product_ids, session__status=LiveSession.Status.LIVE)
                          .values_list("session_id", flat=True)):
        vcache.bump(vcache.LIVE, session_id)
    for owner_id in set(ShowcaseItem.objects.filter(product_id__in=product_ids)
                        .values_list("showcase__owner_id", flat=True)):
        vcache.bump(vcache.SHOWCASE, owner_id)
