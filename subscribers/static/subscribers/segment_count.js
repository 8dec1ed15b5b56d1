// Live audience count on the segment admin form: sends the form's fields to the admin's JSON endpoint
// whenever they change, and shows the count (or what is wrong with the filters).
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var out = document.getElementById("segment-live-count");
    var list = document.getElementById("id_mailing_list");
    if (!out || !list || !list.form) { return; }
    var form = list.form;
    var timer = null;
    function refresh() {
      if (!list.value) { out.textContent = out.dataset.choose; return; }
      var params = new URLSearchParams(new FormData(form));
      params.delete("csrfmiddlewaretoken");
      params.delete("name");
      fetch(out.dataset.url + "?" + params.toString(), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (body) { out.textContent = body.error ? body.error : out.dataset.would.replace("%(count)s", body.count); })
        .catch(function () { out.textContent = out.dataset.unavailable; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    refresh();
  });
})();
