// Live progress of the digests being sent, on the editorial dashboard: asks the JSON endpoint every
// second and moves the bars without reloading the page. When a send starts or ends, or a digest is
// scheduled or unscheduled, the page reloads once so the other sections (scheduled, last sent) follow.
// A send that ended stays in the live view with its final account, so one shorter than a poll is seen too.
(function () {
  "use strict";
  var INTERVAL_MS = 1000;

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function update(row, send) {
    row.dataset.status = send.status;
    var fill = row.querySelector(".fill");
    if (fill) { fill.style.width = send.percent + "%"; }
    var bar = row.querySelector(".bar");
    if (bar) {
      bar.setAttribute("aria-valuemax", String(send.total));
      bar.setAttribute("aria-valuenow", String(send.done));
    }
    var fields = {
      summary: send.summary,
      percent: send.percent.toFixed(1) + " %",
      rate_text: send.rate_text,
      eta_text: send.eta_text,
      skipped_text: send.skipped_text || "",
      zones_text: send.zones_text || "",
      status_label: send.status_label
    };
    Object.keys(fields).forEach(function (name) {
      var el = row.querySelector('[data-field="' + name + '"]');
      if (el) { el.textContent = fields[name]; }
    });
    (send.zones || []).forEach(function (zone) {
      var item = row.querySelector('.send-zones li[data-zone="' + zone.zone + '"]');
      if (!item) { return; }
      item.dataset.state = zone.state;
      var label = item.querySelector('[data-field="state_label"]');
      if (label) { label.textContent = zone.state_label; }
    });
    var status = row.querySelector(".status");
    if (status) { status.className = "status status-" + send.status; }
    var controls = {pause: send.can_pause, resume: send.can_resume, cancel: send.can_cancel};
    Object.keys(controls).forEach(function (action) {
      var form = row.querySelector('form[data-action="' + action + '"]');
      if (form) { form.hidden = !controls[action]; }
    });
  }

  ready(function () {
    var section = document.getElementById("sending");
    if (!section || !section.dataset.url) { return; }
    var updated = section.querySelector('[data-field="updated"]');
    // What the page was drawn with: each live digest (and whether it had ended), and the scheduled ones.
    function signature(live, scheduled) {
      return live.slice().sort().join(",") + "|" + scheduled.slice().sort().join(",");
    }
    var shown = signature(
      Array.prototype.map.call(section.querySelectorAll(".send"), function (row) {
        return row.dataset.id + (row.classList.contains("finished") ? ":done" : "");
      }),
      (section.dataset.scheduled || "").split(",").filter(function (id) { return id !== ""; })
    );

    function poll() {
      fetch(section.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (body) {
          var live = body.digests.map(function (send) { return String(send.id) + (send.finished ? ":done" : ""); });
          if (signature(live, body.scheduled.map(String)) !== shown) {
            window.location.reload();
            return;
          }
          body.digests.forEach(function (send) {
            var row = section.querySelector('.send[data-id="' + send.id + '"]');
            if (row) { update(row, send); }
          });
          if (updated) {
            updated.textContent = body.updated_text;
          }
          var heading = section.querySelector('[data-field="heading"]');
          if (heading && body.heading) { heading.textContent = body.heading; }
          section.classList.remove("stale");
          window.setTimeout(poll, INTERVAL_MS);
        })
        .catch(function () {
          section.classList.add("stale");
          window.setTimeout(poll, INTERVAL_MS * 5);
        });
    }
    window.setTimeout(poll, INTERVAL_MS);
  });
})();
