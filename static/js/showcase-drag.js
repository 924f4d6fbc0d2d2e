/* 橱窗管理: drag a product to reorder (HTML5 drag and drop). The new order is sent to the API;
   the up/down buttons keep working without JavaScript. */
(function () {
  "use strict";
  var list = document.getElementById("manage-list");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  document.addEventListener("submit", function (event) {
    var text = event.target.getAttribute("data-confirm");
    if (text && !window.confirm(text)) event.preventDefault();
  });
  if (!list || !window.fetch || !csrf) return;

  var dragged = null;
  var before = "";

  function ids() {
    return Array.prototype.map.call(list.querySelectorAll(".manage-item"), function (li) {
      return parseInt(li.getAttribute("data-item-id"), 10);
    });
  }

  function refreshArrows() {
    var items = list.querySelectorAll(".manage-item");
    for (var i = 0; i < items.length; i++) {
      var up = items[i].querySelector("button[value=up]");
      var down = items[i].querySelector("button[value=down]");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === items.length - 1;
    }
  }

  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".manage-item");
    if (!dragged) return;
    before = ids().join(",");
    dragged.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.getAttribute("data-item-id"));
  });

  list.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var over = event.target.closest(".manage-item");
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });

  list.addEventListener("drop", function (event) { event.preventDefault(); });

  list.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("is-dragging");
    dragged = null;
    var order = ids();
    if (order.join(",") === before) return;
    refreshArrows();
    list.setAttribute("aria-busy", "true");
    fetch(list.getAttribute("data-order-url"), {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf.value},
      body: JSON.stringify({item_ids: order})
    }).then(function (response) {
      list.removeAttribute("aria-busy");
      if (!response.ok) throw new Error(String(response.status));
      list.setAttribute("data-saved", order.join(","));
    }).catch(function () { window.location.reload(); });
  });
})();
