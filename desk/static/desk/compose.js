/* The compose page: language tabs, item search, reordering cards by drag or by their arrows. Without this script
   the page still works: all three languages are shown one after the other and the cards keep their order. */
(function () {
  "use strict";
  var form = document.getElementById("compose-form");
  if (!form) { return; }

  function reordered() {
    // The ticked checkboxes' order in the page is the digest's order; the preview follows it.
    form.dispatchEvent(new Event("compose-reordered", { bubbles: true }));
  }

  /* Language tabs (the list's language first, as the server ordered them). */
  var tabs = form.querySelector(".language-tabs");
  function showLanguage(code) {
    form.querySelectorAll(".language-panel").forEach(function (panel) {
      panel.hidden = panel.dataset.language !== code;
    });
    form.querySelectorAll(".language-tab").forEach(function (tab) {
      var active = tab.dataset.language === code;
      tab.setAttribute("aria-selected", active ? "true" : "false");
      tab.classList.toggle("active", active);
    });
    document.querySelectorAll(".preview-language").forEach(function (section) {
      section.hidden = section.dataset.language !== code;
    });
    form.dataset.language = code;
  }
  if (tabs) {
    tabs.hidden = false;
    tabs.addEventListener("click", function (event) {
      var tab = event.target.closest(".language-tab");
      if (tab) { showLanguage(tab.dataset.language); }
    });
    var withError = form.querySelector(".language-panel .errorlist");
    var first = withError ? withError.closest(".language-panel") : form.querySelector(".language-panel");
    if (first) { showLanguage(first.dataset.language); }
  }
  document.body.addEventListener("htmx:afterSwap", function () {
    if (form.dataset.language) { showLanguage(form.dataset.language); }
  });

  /* Search: hide the cards whose title and source do not hold every word typed. */
  var search = document.getElementById("item-search");
  if (search) {
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      form.querySelectorAll(".item-card").forEach(function (card) {
        var text = card.dataset.search || "";
        card.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // a search never submits the digest
    });
  }

  /* Arrows: move a card one place up or down, keeping the keyboard focus on the same arrow. */
  form.addEventListener("click", function (event) {
    var button = event.target.closest(".move-up, .move-down");
    if (!button) { return; }
    var card = button.closest(".item-card");
    if (button.classList.contains("move-up") && card.previousElementSibling) {
      card.parentNode.insertBefore(card, card.previousElementSibling);
    } else if (button.classList.contains("move-down") && card.nextElementSibling) {
      card.parentNode.insertBefore(card.nextElementSibling, card);
    } else {
      return;
    }
    button.focus();
    reordered();
  });

  /* Drag and drop (mouse); touch and keyboard use the arrows. */
  var dragged = null;
  form.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".item-card");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.item);
  });
  form.addEventListener("dragover", function (event) {
    var over = event.target.closest && event.target.closest(".item-card");
    if (!dragged || !over || over === dragged) { return; }
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  form.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); }
  });
  form.addEventListener("dragend", function () {
    if (!dragged) { return; }
    dragged.classList.remove("dragging");
    dragged = null;
    reordered();
  });
})();
