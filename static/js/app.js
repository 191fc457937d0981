// Quick exit: the button and the Escape key leave for a neutral site with
// location.replace, so this page is not left in the tab's history.
// This file stores nothing in the browser (no localStorage, no sessionStorage).
(function () {
  "use strict";
  var exitUrl = document.body.getAttribute("data-exit-url") || "about:blank";

  function quickExit(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;  // hide at once, before the next page loads
    window.location.replace(exitUrl);
  }

  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", quickExit); }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { quickExit(event); }
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
