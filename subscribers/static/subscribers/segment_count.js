// Live audience count on the segment admin form: asks the admin's JSON endpoint as the filters change.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var filters = document.getElementById("id_filters");
    var list = document.getElementById("id_mailing_list");
    var out = document.getElementById("segment-live-count");
    if (!filters || !list || !out) { return; }
    var timer = null;
    function refresh() {
      if (!list.value) { out.textContent = "Choose a list to see the count."; return; }
      var url = out.dataset.url + "?list=" + encodeURIComponent(list.value) + "&filters=" + encodeURIComponent(filters.value || "{}");
      fetch(url, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (body) { out.textContent = body.error ? body.error : body.count + " subscriber(s) would receive it now."; })
        .catch(function () { out.textContent = "The count is not available right now."; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 400); }
    filters.addEventListener("input", later);
    list.addEventListener("change", refresh);
    refresh();
  });
})();
