// The room page's scrolling, beside static/js/room/ (which draws the messages): open at
// the latest message, mark where new messages begin while the member reads
// older ones, and offer "Jump to latest". It only watches #messages, so it works
// whatever draws the list. On touch screens the composer hint says Enter makes
// a new line. Stores nothing in the browser.
(function () {
  "use strict";
  var root = document.getElementById("room");
  var list = document.getElementById("messages");
  var dock = document.querySelector(".composer-dock");
  if (!root || !list || !dock) { return; }
  var me = root.getAttribute("data-me");
  var seen = {};
  var atLatest = true;
  var unread = 0;
  var divider = null;
  // Opened at a search result: one's own messages the catch-up brings do not
  // pull the page to the latest, until one sends or jumps there.
  var holding = false;

  var jump = document.createElement("button");
  jump.type = "button";
  jump.className = "jump-latest";
  jump.hidden = true;
  dock.appendChild(jump);

  function messages() { return list.querySelectorAll("li.message"); }
  function remember() {
    messages().forEach(function (item) { seen[item.getAttribute("data-id")] = true; });
  }
  // Whether the last message's end is above the pinned composer.
  function nearLatest() {
    var all = messages();
    if (!all.length) { return true; }
    var last = all[all.length - 1].getBoundingClientRect();
    return last.bottom <= dock.getBoundingClientRect().top + 48;
  }
  function toLatest() {
    holding = false;
    window.scrollTo(0, document.documentElement.scrollHeight);
    atLatest = true;
    unread = 0;
    jump.hidden = true;
  }
  function showJump() {
    jump.textContent = holding ? t("Later messages ↓") :
      unread === 1 ? t("1 new message ↓") : t("{count} new messages ↓", { count: unread });
    jump.setAttribute("aria-label", holding ? t("Jump to latest (later messages)") :
      unread === 1 ? t("Jump to latest (1 new message)") : t("Jump to latest ({count} new messages)", { count: unread }));
    jump.hidden = false;
  }
  // Messages added after every message seen so far (fresh.mine: one's own).
  function arrived(records) {
    var fresh = [];
    fresh.mine = false;
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1 || !node.matches("li.message")) { return; }
        var id = node.getAttribute("data-id");
        if (seen[id]) { return; }
        var later = node.nextElementSibling;
        while (later && !(later.matches("li.message") && seen[later.getAttribute("data-id")])) {
          later = later.nextElementSibling;
        }
        if (later) { return; }
        if (node.getAttribute("data-author") === me && !holding) { fresh.mine = true; } else { fresh.push(node); }
      });
    });
    remember();
    return fresh;
  }
  function markNew(first) {
    if (!divider) {
      divider = document.createElement("li");
      divider.className = "new-divider";
      divider.setAttribute("role", "separator");
      divider.textContent = t("New messages");
    }
    list.insertBefore(divider, first);
  }

  new MutationObserver(function (records) {
    var fresh = arrived(records);
    if (fresh.mine || (fresh.length && atLatest)) { toLatest(); return; }
    if (!fresh.length) { return; }
    if (jump.hidden && !holding) { markNew(fresh[0]); }
    unread += fresh.length;
    showJump();
  }).observe(list, { childList: true });

  window.addEventListener("scroll", function () {
    atLatest = nearLatest();
    if (atLatest && !jump.hidden) { unread = 0; jump.hidden = true; }
  }, { passive: true });
  jump.addEventListener("click", function () {
    toLatest();
    document.getElementById("body").focus({ preventScroll: true });
  });

  remember();
  // Opened from a search result (?at=<message id>): show that message, marked,
  // in the middle of the screen; messages arriving meanwhile wait below it.
  var at = root.getAttribute("data-at");
  function markFound() {
    var item = at ? list.querySelector('li.message[data-id="' + CSS.escape(at) + '"]') : null;
    if (item && !item.classList.contains("found")) {
      item.classList.add("found");
      item.setAttribute("tabindex", "-1");
    }
    return item;
  }
  var found = markFound();
  if (found) {
    // The catch-up after joining redraws the messages it replays: mark it again.
    new MutationObserver(markFound).observe(list, { childList: true });
    holding = true;
    var composer = document.getElementById("composer");
    if (composer) {
      // Sending (the button, or Enter in the message box) ends the hold.
      composer.addEventListener("submit", function () { holding = false; });
      composer.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) { holding = false; }
      });
    }
    found.scrollIntoView({ block: "center" });
    found.focus({ preventScroll: true });
    atLatest = nearLatest();
  // Open at the latest message, unless the ground rules wait to be read first.
  } else if (!document.querySelector("details.rules[open]")) { toLatest(); }
})();

// The composer's hint, and why one cannot write yet: a touch keyboard's Enter
// makes a new line (room/composer.js), and the calm note gives way to a refused send's error.
(function () {
  "use strict";
  var hint = document.getElementById("composer-hint");
  if (hint && window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
    hint.textContent = hint.getAttribute("data-touch") || hint.textContent;
  }
  var note = document.getElementById("composer-note");
  var error = document.getElementById("composer-error");
  var state = document.getElementById("room-state");
  if (!note) { return; }
  if (error) {
    new MutationObserver(function () {
      if (!error.hidden) { note.hidden = true; }
    }).observe(error, { attributes: true, attributeFilter: ["hidden"] });
  }
  if (state && note.getAttribute("data-refusal") === "closed") {
    new MutationObserver(function () {
      note.hidden = state.getAttribute("data-open") === "1";
    }).observe(state, { attributes: true, attributeFilter: ["data-open"] });
  }
})();
