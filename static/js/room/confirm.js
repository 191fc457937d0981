// In-page confirmation (instead of window.confirm/prompt): one <dialog> asks
// once before a destructive action, with an optional reason field. Esc or
// "Keep it" closes it and nothing happens.
(function () {
  "use strict";
  var R = window.RoomPage;
  var dialog = document.getElementById("room-confirm");
  if (!R || !dialog) { return; }
  var question = document.getElementById("room-confirm-q");
  var yes = document.getElementById("room-confirm-yes");
  var reasonBox = document.getElementById("room-confirm-reason-box");
  var reason = document.getElementById("room-confirm-reason");
  var error = document.getElementById("room-confirm-error");
  var pending = null;
  var returnTo = null;

  // ask({question, action, reason: bool}, onYes(reasonText))
  R.ask = function (options, onYes) {
    question.textContent = options.question;
    yes.textContent = options.action;
    reasonBox.hidden = !options.reason;
    reason.value = "";
    error.hidden = true;
    pending = { onYes: onYes, needsReason: !!options.reason };
    returnTo = document.activeElement;
    dialog.showModal();
    (options.reason ? reason : yes).focus();
  };

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.stopPropagation(); }  // closes this, never quick exit
  });
  dialog.querySelector("form").addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (pending && submitter === yes && pending.needsReason && !reason.value.trim()) {
      event.preventDefault();
      error.textContent = t("Write a reason first.");
      error.hidden = false;
      reason.focus();
      return;
    }
    var chosen = submitter === yes ? pending : null;
    pending = null;
    if (chosen) { chosen.onYes(reason.value.trim()); }
  });
  dialog.addEventListener("close", function () {
    pending = null;
    if (returnTo && document.contains(returnTo)) { returnTo.focus(); }
  });
})();
