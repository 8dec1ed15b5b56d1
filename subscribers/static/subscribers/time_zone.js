// Fills the subscribe form's hidden time_zone field with the zone this browser reports (e.g. "Asia/Beirut"), so
// digests sent at a local hour reach the reader at that hour. The server checks the name against its zone database;
// without script the field stays empty and the newsletter's own zone is used.
(function () {
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { zone = ""; }
  var fields = document.querySelectorAll("input[name=time_zone][data-browser-time-zone]");
  for (var i = 0; i < fields.length; i++) {
    if (!fields[i].value) { fields[i].value = zone; }
  }
})();
