"""A video's comment area (/videos/<id>/comments/): the product entry pinned at its top
(guide: 在视频的评论区顶部，有商品购买入口), the creator's pinned comment first, replies.
Anyone reads; posting needs a login. ``?partial=1`` returns the area alone for the feed's
bottom sheet."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from showcase import selectors as showcase_selectors
from showcase.tracking import visitor_id

from .. import selectors, services
from ..forms import CommentForm, add_domain_error
from ..stats import comment_entry_shown


def _video(request, video_id):
    video = selectors.video_for_viewer(video_id=video_id, viewer=request.user)
    if video is None:
        raise Http404
    return video


def _context(request, video, form) -> dict:
    products = showcase_selectors.video_cart_products(video_ids=[video.pk]).get(video.pk, [])
    page = selectors.comment_page(video=video, page=request.GET.get("page", 1))
    reply_to = None
    parent_id = form["parent"].value() if form.is_bound else request.GET.get("reply")
    if parent_id and str(parent_id).isdigit():
        reply_to = next((c for c in page.object_list if c.pk == int(parent_id)), None) or (
            selectors.comment_threads(video=video).filter(pk=int(parent_id)).first())
        if reply_to is not None and not form.is_bound:
            form = CommentForm(initial={"parent": reply_to.pk})
    return {
        "video": video, "products": products, "page": page, "form": form, "reply_to": reply_to,
        "comment_count": selectors.visible_comment_count(video=video),
        "partial": request.GET.get("partial") == "1",
    }


def comments(request, video_id):
    video = _video(request, video_id)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                comment = services.comment_post(video_id=video.pk, author=request.user, body=form.cleaned_data["body"],
                                                parent_id=form.cleaned_data["parent"])
            except DomainError as e:
                add_domain_error(form, e)
            else:
                if request.GET.get("partial") == "1":
                    form = CommentForm()
                else:
                    messages.success(request, _("Comment posted."))
                    return redirect(f"{reverse('engage_comments', args=[video.pk])}#c{comment.pk}")
        if form.errors:
            status = 400
    context = _context(request, video, form)
    if request.method == "GET" and context["page"].number == 1:
        comment_entry_shown(video, product_ids=[p.pk for p in context["products"]], visitor=visitor_id(request))
    template = "engage/_comment_area.html" if context["partial"] else "engage/comments.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def comment_delete(request, video_id, comment_id):
    """An author deletes their own comment (the creator deletes any in E后台)."""
    video = _video(request, video_id)
    try:
        services.comment_delete(actor=request.user, comment_id=comment_id, video_id=video.pk)
    except NotFound:
        raise Http404
    messages.success(request, _("Comment deleted."))
    return redirect("engage_comments", video_id=video.pk)
