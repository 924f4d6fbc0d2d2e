/* The home feed: plays the slide in view (muted until the viewer turns sound on), pauses on
   tap, slides the product card in once a video has played through, opens the product list
   and the comment area as bottom sheets, follows creators and loads more slides near the end.
   No dependencies; the page works without it (links lead to the comment and product pages). */
(function () {
  "use strict";
  var feed = document.getElementById("feed");
  if (!feed) return;
  var sheet = document.getElementById("sheet");
  var sheetBody = document.getElementById("sheet-body");
  var sheetTitle = document.getElementById("sheet-title");
  var text = document.getElementById("feed-i18n").dataset;
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var soundOn = false;
  var loading = false;
  var seen = new WeakSet();
  var active = null;

  function post(url, options) {
    options = options || {};
    return fetch(url, {
      method: options.method || "POST", credentials: "same-origin", body: options.body || null,
      headers: Object.assign({"X-CSRFToken": csrf, "X-Requested-With": "fetch"}, options.headers || {})
    });
  }

  function videoOf(slide) { return slide.querySelector("video"); }

  function play(slide) {
    var video = videoOf(slide);
    video.muted = !soundOn;
    var p = video.play();
    if (p && p.catch) {
      p.catch(function () {
        // Sound was refused without a gesture: play muted instead.
        video.muted = true; soundOn = false; syncSound();
        video.play().catch(function () { slide.classList.add("is-paused"); });
      });
    }
    slide.classList.remove("is-paused");
  }

  function syncSound() {
    feed.querySelectorAll("[data-sound]").forEach(function (b) {
      b.textContent = soundOn ? text.soundOn : text.soundOff;
      b.setAttribute("aria-pressed", soundOn ? "true" : "false");
    });
    if (active) videoOf(active).muted = !soundOn;
  }

  function markSeen(slide) {
    if (seen.has(slide)) return;
    seen.add(slide);
    post(slide.dataset.seenUrl).catch(function () {});
  }

  function setActive(slide) {
    if (active === slide) return;
    if (active) videoOf(active).pause();
    active = slide;
    play(slide);
    markSeen(slide);
    var slides = feed.querySelectorAll(".slide");
    if (Array.prototype.indexOf.call(slides, slide) >= slides.length - 2) loadMore();
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting && entry.intersectionRatio >= 0.6) setActive(entry.target);
      else if (entry.target === active && entry.intersectionRatio < 0.2) { videoOf(active).pause(); }
    });
  }, {root: feed, threshold: [0, 0.2, 0.6, 1]});

  function wire(slide) {
    if (slide.dataset.wired) return;
    slide.dataset.wired = "1";
    var video = videoOf(slide);
    // No `loop` attribute: `ended` must fire so that the product card can slide in after the
    // first play-through; the video then starts again by itself.
    video.addEventListener("ended", function () {
      var card = slide.querySelector(".slide-card");
      if (card && !card.classList.contains("is-in")) {
        card.classList.add("is-in");
        card.removeAttribute("aria-hidden");
        card.removeAttribute("tabindex");
        slide.dataset.playedOnce = "1";
      }
      if (slide === active) { video.currentTime = 0; play(slide); }
    });
    // A tap turns the sound on the first time (autoplay starts muted), then pauses and resumes.
    video.addEventListener("click", function () {
      if (!soundOn && !video.paused) { soundOn = true; syncSound(); return; }
      if (video.paused) { play(slide); } else { video.pause(); slide.classList.add("is-paused"); }
    });
    observer.observe(slide);
  }

  function openSheet(title, node) {
    sheetTitle.textContent = title;
    sheetBody.replaceChildren(node);
    sheet.hidden = false;
  }

  function closeSheet() {
    sheet.hidden = true;
    sheetBody.replaceChildren();
  }

  function openProducts(slide) {
    var tpl = slide.querySelector("template[data-products]");
    if (tpl) openSheet(text.products, tpl.content.cloneNode(true));
  }

  function fragment(html) {
    return document.createRange().createContextualFragment(html);
  }

  function showComments(url, slide) {
    var wait = document.createElement("p");
    wait.className = "muted";
    wait.textContent = text.loading;
    openSheet(text.comments, wait);
    sheet.dataset.commentsUrl = url;
    fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) { fillComments(html, slide); }).catch(function () { wait.textContent = text.error; });
  }

  function fillComments(html, slide) {
    sheetBody.replaceChildren(fragment(html));
    var area = sheetBody.querySelector("[data-comment-area]");
    if (area && slide) {
      var count = slide.querySelector("[data-comment-count]");
      if (count) count.textContent = area.dataset.count;
    }
  }

  function submitComment(form) {
    var slide = feed.querySelector('.slide[data-video="' + form.dataset.video + '"]');
    post(sheet.dataset.commentsUrl, {body: new FormData(form)}).then(function (r) {
      if (r.redirected) { window.location.href = r.url; return null; }
      return r.text();
    }).then(function (html) { if (html !== null) fillComments(html, slide); })
      .catch(function () { window.location.href = form.action; });
  }

  function loadMore() {
    var marker = feed.querySelectorAll("[data-next]");
    marker = marker[marker.length - 1];
    if (loading || !marker || !marker.dataset.next) return;
    loading = true;
    var url = feed.dataset.moreUrl + "?cursor=" + encodeURIComponent(marker.dataset.next);
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (html) {
      marker.remove();
      var end = document.getElementById("feed-end");
      var nodes = fragment(html);
      var fresh = nodes.querySelectorAll(".slide");
      feed.insertBefore(nodes, end);
      fresh.forEach(wire);
      var next = feed.querySelectorAll("[data-next]");
      if (!next.length || !next[next.length - 1].dataset.next) end.hidden = false;
    }).catch(function () {}).finally(function () { loading = false; });
  }

  function toggleFollow(button) {
    var following = button.dataset.following === "1";
    button.disabled = true;
    post(button.dataset.follow, {method: following ? "DELETE" : "POST"}).then(function (r) {
      if (!r.ok && r.status !== 409) throw new Error(r.status);
      following = !following;
      var handle = button.dataset.follow;
      feed.querySelectorAll('[data-follow="' + handle + '"]').forEach(function (b) {
        b.dataset.following = following ? "1" : "0";
        b.classList.toggle("is-following", following);
        b.textContent = following ? "✓" : "+";
        b.setAttribute("aria-label", following ? text.following : text.follow);
      });
    }).catch(function () {}).finally(function () { button.disabled = false; });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var slide = target.closest && target.closest(".slide");
    if (target.closest("[data-close]")) { closeSheet(); return; }
    if (slide && target.closest("[data-open-products]")) { event.preventDefault(); openProducts(slide); return; }
    var comments = target.closest("[data-comments]");
    if (slide && comments) { event.preventDefault(); showComments(comments.dataset.comments, slide); return; }
    var sound = target.closest("[data-sound]");
    if (sound) { soundOn = !soundOn; syncSound(); return; }
    var follow = target.closest("button[data-follow]");
    if (follow) { event.preventDefault(); toggleFollow(follow); return; }
    var reply = target.closest("#sheet [data-reply]");
    if (reply) {
      event.preventDefault();
      var form = sheetBody.querySelector("form[data-comment-form]");
      if (!form) { window.location.href = reply.href; return; }
      form.querySelector("input[name=parent]").value = reply.dataset.reply;
      var hint = form.querySelector("[data-replying]");
      hint.hidden = false;
      hint.querySelector("span").textContent = reply.dataset.replyName;
      form.querySelector("textarea").focus();
      return;
    }
    var cancel = target.closest("#sheet [data-cancel-reply]");
    if (cancel) {
      event.preventDefault();
      var f = sheetBody.querySelector("form[data-comment-form]");
      f.querySelector("input[name=parent]").value = "";
      f.querySelector("[data-replying]").hidden = true;
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("#sheet form[data-comment-form]")) { event.preventDefault(); submitComment(form); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !sheet.hidden) closeSheet();
  });

  document.addEventListener("visibilitychange", function () {
    if (!active) return;
    if (document.hidden) videoOf(active).pause(); else if (!active.classList.contains("is-paused")) play(active);
  });

  feed.querySelectorAll(".slide").forEach(wire);
})();
