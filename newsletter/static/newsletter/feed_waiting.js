// The feed pages of the admin: while a feed waits for its first import (an element with data-feed-waiting),
// reload the page every few seconds until the import ends, so the editor sees what came in without pressing
// reload. Never while she is typing in a form (a reload would lose it), and not forever (a stuck worker).
(function () {
  "use strict";
  var EVERY_MS = 3000;
  var MOST_RELOADS = 60;
  var key = "feed-waiting-reloads:" + window.location.pathname;

  function start() {
    // A form sent back with errors holds what she typed: never throw it away.
    if (!document.querySelector("[data-feed-waiting]") || document.querySelector(".errornote, .errorlist")) {
      window.sessionStorage.removeItem(key);
      return;
    }
    var done = parseInt(window.sessionStorage.getItem(key) || "0", 10);
    if (done >= MOST_RELOADS) {
      return;
    }
    var edited = false;
    document.addEventListener("input", function () { edited = true; });
    document.addEventListener("change", function () { edited = true; });
    window.setTimeout(function () {
      if (edited) {
        return;
      }
      window.sessionStorage.setItem(key, String(done + 1));
      // A GET of the same address, never a form sent again (reload would re-send a POST).
      window.location.replace(window.location.href);
    }, EVERY_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
