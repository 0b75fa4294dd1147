// When an htmx request cannot reach the server (network cut, server down), say so in the
// page's own words (the hidden #connection-lost notice, translated by the template) instead of
// leaving a button that silently does nothing; a later answer hides the notice again.
(function () {
  "use strict";
  function notice(shown) {
    var element = document.getElementById("connection-lost");
    if (element) { element.hidden = !shown; }
    if (shown && element) { element.scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("htmx:sendError", function () { notice(true); });
  document.addEventListener("htmx:timeout", function () { notice(true); });
  document.addEventListener("htmx:afterOnLoad", function () { notice(false); });
  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "retry") { location.reload(); }
  });
}());
