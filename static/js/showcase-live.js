/* Live room: keep "now explaining" (正在讲解) and the product list current without reloading.
   Polls the tiny JSON endpoint with If-None-Match; an unchanged room answers 304 with no body. */
(function () {
  "use strict";
  var box = document.getElementById("live-cart");
  if (!box || !window.fetch) return;
  var pollUrl = box.getAttribute("data-poll-url");
  var listUrl = box.getAttribute("data-list-url");
  var every = parseInt(box.getAttribute("data-poll-ms"), 10) || 2500;
  var etag = null;
  var live = box.getAttribute("data-live") === "1";

  function shownIds() {
    var list = box.querySelector("[data-products]");
    return list ? list.getAttribute("data-products") : "";
  }

  function highlight(id) {
    var items = box.querySelectorAll(".live-item");
    for (var i = 0; i < items.length; i++) {
      var on = String(id) === items[i].getAttribute("data-product-id");
      items[i].classList.toggle("is-explaining", on);
      if (on && items[i].scrollIntoView && box.getAttribute("data-explaining") !== String(id)) {
        items[i].scrollIntoView({block: "nearest", behavior: "smooth"});
      }
    }
    box.setAttribute("data-explaining", id == null ? "" : String(id));
  }

  function apply(state) {
    var refresh = state.products.join(",") === shownIds() ? Promise.resolve() :
      fetch(listUrl, {credentials: "same-origin", cache: "no-store"})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null) document.getElementById("live-products").innerHTML = html; });
    return refresh.then(function () {
      highlight(state.explaining);
      box.setAttribute("data-version", state.version);
      if (state.status !== "live") {
        live = false;
        var badge = document.getElementById("live-status");
        if (badge) { badge.textContent = badge.getAttribute("data-ended-label"); badge.classList.remove("is-live"); }
      }
    });
  }

  function poll() {
    var headers = {};
    if (etag) headers["If-None-Match"] = etag;
    fetch(pollUrl, {headers: headers, cache: "no-store", credentials: "omit"})
      .then(function (r) {
        if (r.status === 304 || !r.ok) return null;
        etag = r.headers.get("ETag");
        return r.json();
      })
      .then(function (state) { return state ? apply(state) : null; })
      .catch(function () { /* a missed poll is retried at the next tick */ })
      .then(schedule);
  }

  function schedule() {
    if (live) setTimeout(poll, document.hidden ? every * 4 : every);
  }

  schedule();
})();
