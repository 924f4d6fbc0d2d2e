/* The Taobao interstitial: copy the 淘口令 with one tap. */
(function () {
  "use strict";
  var button = document.getElementById("copy-token");
  var field = document.getElementById("taobao-token");
  if (!button || !field) return;
  button.addEventListener("click", function () {
    field.select();
    var done = function () { button.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
