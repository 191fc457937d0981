// Quick exit: the button, or Escape pressed twice within a second outside a
// text field, leaves for a neutral site with location.replace. Before leaving,
// the page sets a marker cookie and sends a beacon that ends the session on the
// server; while the marker lasts, the server answers every page of the network
// with a redirect to the neutral site, so Back shows nothing of it
// (docs/security.md, "Quick exit"). Esc inside a text field is left to the field
// (it cancels editing there), so a draft is never thrown away.
// This file stores nothing in the browser (no localStorage, no sessionStorage).
(function () {
  "use strict";
  var body = document.body;
  var exitUrl = body.getAttribute("data-exit-url") || "about:blank";
  var beaconUrl = body.getAttribute("data-exit-beacon");
  var hold = Number(body.getAttribute("data-exit-hold")) || 600;
  var MARKER = "pn_exit";
  var TWICE_MS = 1000;
  var lastEscape = 0;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("quick-exit") : null;

  function markGone() {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = MARKER + "=1; Max-Age=" + hold + "; Path=/; SameSite=Lax" + secure;
  }

  function endSession() {
    if (!beaconUrl) { return; }
    var data = new FormData();
    data.append("csrf_token", body.getAttribute("data-csrf") || "");
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(beaconUrl, data)) { return; }
      fetch(beaconUrl, { method: "POST", body: data, keepalive: true,
                         credentials: "same-origin" });
    } catch (error) { /* leaving matters more than the answer */ }
  }

  function leave() {
    body.hidden = true;  // hide at once, before the next page loads
    window.location.replace(exitUrl);
  }

  function quickExit(event) {
    if (event) { event.preventDefault(); }
    markGone();
    endSession();
    if (channel) { channel.postMessage("exit"); }  // the network's other tabs leave too
    leave();
  }

  function inTextField(target) {
    if (!target || !target.tagName) { return false; }
    if (target.isContentEditable) { return true; }
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    if (tag !== "INPUT") { return false; }
    var notText = ["button", "submit", "reset", "checkbox", "radio", "range",
                   "color", "file", "image"];
    return notText.indexOf((target.type || "text").toLowerCase()) === -1;
  }

  function onEscape(event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    // A field, a dialog or the page's own handler (leaving edit mode) owns this Esc.
    if (event.defaultPrevented || inTextField(event.target) ||
        document.querySelector("dialog[open]")) {
      lastEscape = 0;
      return;
    }
    var now = Date.now();
    if (now - lastEscape <= TWICE_MS) { quickExit(event); return; }
    lastEscape = now;
  }

  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", quickExit); }
  document.addEventListener("keydown", onEscape);
  if (channel) { channel.addEventListener("message", leave); }
  // A page the back/forward cache restores after a quick exit leaves again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.cookie.split("; ").indexOf(MARKER + "=1") !== -1) {
      leave();
    }
  });
})();

// The main menu on narrow screens: a disclosure button that shows and hides
// the navigation (without JavaScript, css/nojs.css keeps the links shown).
(function () {
  "use strict";
  var button = document.getElementById("menu-button");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) { return; }
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
})();

// The bell: its count and accessible name ("Notifications, 3 unread"). A room
// page's socket pushes the count (room/mentions.js sends a "bell:count" event);
// other pages open no socket and ask a tiny JSON endpoint once a minute while
// visible, and when the page becomes visible again (docs/security.md,
// "Notifications").
(function () {
  "use strict";
  var bell = document.getElementById("bell");
  if (!bell) { return; }
  var badge = document.getElementById("bell-count");
  var url = bell.getAttribute("data-count-url");
  var POLL_MS = 60000;

  function setCount(count) {
    count = Math.max(0, Number(count) || 0);
    bell.setAttribute("data-count", String(count));
    bell.setAttribute("aria-label", t("Notifications, {count} unread", {count: count}));
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
  }
  document.addEventListener("bell:count", function (event) { setCount(event.detail); });

  if (document.getElementById("room")) { return; }  // the room's socket keeps it live
  function poll() {
    if (document.visibilityState !== "visible") { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && typeof data.count === "number") { setCount(data.count); } })
      .catch(function () { /* offline: the next poll tries again */ });
  }
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
})();

// The language switch comes back to this page (the server checks it is ours).
document.querySelectorAll("form.language-switch").forEach(function (form) {
  form.addEventListener("submit", function () {
    var field = form.querySelector("input[name=next]");
    if (field) { field.value = location.pathname + location.search; }
  });
});
