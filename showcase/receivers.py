"""Reactions to what lower rooms announce: a creator's right or a video changed, so the
cached shopper views of that showcase or video get a new version."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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
