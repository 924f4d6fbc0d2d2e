/* Private message threads open at the latest message, like a chat. */
(function () {
  "use strict";
  var thread = document.getElementById("pm-thread");
  if (!thread) return;
  thread.scrollTop = thread.scrollHeight;
  var form = document.getElementById("pm-form");
  if (form && thread.scrollHeight <= thread.clientHeight + 4) form.scrollIntoView({block: "end"});
  var box = form && form.querySelector("textarea");
  if (box) {
    box.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter makes a new line (as in the app).
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && box.value.trim()) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  }
})();
