// The composer: sending (kept pending, re-sent with the same client_msg_id
// until acknowledged), and editing one's own message as a visible mode that a
// new message never falls into: the message is highlighted, the composer says
// "Editing", and Cancel or Esc leaves the mode.
(function () {
  "use strict";
  var R = window.RoomPage;
  if (!R || !R.form) { return; }
  var socket = R.socket;
  var form = R.form;
  var bodyField = document.getElementById("body");
  var cwField = document.getElementById("content-warning");
  var errorLine = document.getElementById("composer-error");
  var modeLine = document.getElementById("composer-mode");
  var sendButton = document.getElementById("send");
  var pending = [];  // {client_msg_id, body, content_warning} not yet acknowledged
  var unconfirmed = [];  // pending items the server answered "unavailable"
  var editing = null;  // {id, draft: {body, content_warning}} while editing
  var lastTypingSent = 0;

  R.showError = function (message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  };

  var ERRORS = R.ERRORS = {
    rules: t("Accept the ground rules before your first message."),
    closed: t("The room is read-only until a session starts or a facilitator arrives."),
    locked: t("The room is locked (read-only)."),
    muted: t("You are muted in this room for now."),
    slow_mode: t("Slow mode is on: wait a little between messages."),
    rate_limited: t("You are sending quickly; wait a moment and try again."),
    too_long: t("That message is too long."),
    empty: t("Write something first."),
    forbidden: t("You cannot post in this room right now."),
    not_found: t("This room is not available."),
    unavailable: t("Not sent yet: the server is having trouble. Your message is kept and will be sent when it is back.")
  };

  // Send (or re-send after a reconnect) with the same client_msg_id: the server
  // stores it once, however many times it arrives.
  function sendPending(item) {
    socket.timeout(10000).emit("message:send", item, function (err, ack) {
      if (err) { return; }  // no answer: it stays pending and is retried on reconnect
      // Not confirmed while the server cannot reach the database or the other
      // processes: it stays pending, and is sent again (same client_msg_id, so
      // stored once) on the next join, which a room:resync or reconnect brings.
      if (!ack.ok && ack.error === "unavailable") {
        R.showError(ERRORS.unavailable);
        if (unconfirmed.indexOf(item) < 0) { unconfirmed.push(item); }
        setTimeout(function () {
          if (socket.connected && pending.indexOf(item) >= 0) { sendPending(item); }
        }, 5000);
        return;
      }
      if (ack.error === "paused" || ack.error === "removed" || ack.error === "conversation_closed") { R.shutOut(ack); return; }
      pending = pending.filter(function (p) { return p !== item; });
      if (ack.ok && unconfirmed.indexOf(item) >= 0) {
        unconfirmed = unconfirmed.filter(function (p) { return p !== item; });
        R.showError("");
      }
      if (!ack.ok) {
        R.showError(ack.error === "slow_mode" && ack.seconds ?
          (ack.seconds === 1 ? t("Slow mode is on: wait 1 second before your next message.")
            : t("Slow mode is on: wait {seconds} seconds before your next message.", { seconds: ack.seconds })) :
          ERRORS[ack.error] || t("The message was not sent."));
        if (!bodyField.value && !editing) { bodyField.value = item.body; }
      }
    });
  }
  R.flushPending = function () { pending.forEach(sendPending); };
  R.dropPending = function () { pending = []; unconfirmed = []; };

  function setFields(body, warning) {
    bodyField.value = body;
    cwField.value = warning;
  }

  // Enter the editing mode from the stored source and content warning; what
  // was being written is kept and comes back when the mode ends.
  function startEdit(item) {
    var id = item.getAttribute("data-id");
    socket.emit("message:source", { room_id: R.roomId, id: id }, function (ack) {
      if (!ack || !ack.ok) { R.showError(t("This message can no longer be edited.")); return; }
      var draft = editing ? editing.draft : { body: bodyField.value, content_warning: cwField.value };
      stopEdit(false);
      editing = { id: id, draft: draft };
      item.classList.add("editing");
      form.setAttribute("data-mode", "edit");
      modeLine.hidden = false;
      sendButton.textContent = t("Save edit");
      setFields(ack.body, ack.content_warning || "");
      R.showError("");
      bodyField.focus();
    });
  }

  function stopEdit(restore) {
    if (!editing) { return; }
    var item = R.shown(editing.id);
    if (item) { item.classList.remove("editing"); }
    if (restore) { setFields(editing.draft.body, editing.draft.content_warning); }
    editing = null;
    form.setAttribute("data-mode", "new");
    modeLine.hidden = true;
    sendButton.textContent = t("Send");
  }
  R.stopEdit = stopEdit;
  // The message being edited was replaced (a live update), deleted or hidden.
  document.addEventListener("room:replaced", function (event) {
    if (!editing || event.detail.getAttribute("data-id") !== editing.id) { return; }
    if (event.detail.querySelector(".actions")) { event.detail.classList.add("editing"); } else { stopEdit(true); }
  });

  // The mode ends once the edit is saved; refused, it stays with the text.
  function saveEdit(body) {
    var target = editing;
    socket.emit("message:edit", { room_id: R.roomId, id: target.id, body: body, content_warning: cwField.value }, function (ack) {
      if (ack && ack.ok) {
        if (editing === target) { stopEdit(true); }
        return;
      }
      R.showError(ERRORS[(ack || {}).error] || t("The edit was not saved."));
    });
  }

  function submit() {
    var body = bodyField.value;
    if (!body.trim()) { R.showError(ERRORS.empty); return; }
    R.showError("");
    if (editing) { return saveEdit(body); }
    var item = { room_id: R.roomId, body: body, content_warning: cwField.value, client_msg_id: newId() };
    pending.push(item);
    if (socket.connected) { sendPending(item); }
    setFields("", "");
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2, 12);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  // Esc in the composer leaves the editing mode and never exits the page.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    event.stopPropagation();
    if (editing) { event.preventDefault(); stopEdit(true); bodyField.focus(); }
  });
  document.getElementById("cancel-edit").addEventListener("click", function () {
    stopEdit(true);
    bodyField.focus();
  });
  bodyField.addEventListener("keydown", function (event) {
    // On a touch keyboard Enter makes a new line; the Send button sends.
    var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !touch) {
      event.preventDefault();
      submit();
    }
  });
  bodyField.addEventListener("input", function () {
    var now = Date.now();
    if (!editing && now - lastTypingSent > 3000 && bodyField.value) {
      lastTypingSent = now;
      socket.emit("typing", { room_id: R.roomId });
    }
  });

  var ACTIONS = {
    edit: startEdit,
    delete: function (item, id) {
      R.ask({ question: t("Delete this message? Everyone in the room sees “Message deleted.”"), action: t("Delete") }, function () {
        socket.emit("message:delete", { room_id: R.roomId, id: id });
      });
    },
    hide: function (item, id) {
      R.ask({ question: t("Why hide this message? Its author is told the reason (not who hid it)."), action: t("Hide"), reason: true }, function (reason) {
        socket.emit("message:hide", { room_id: R.roomId, id: id, reason: reason }, function (ack) {
          if (!ack || !ack.ok) { R.showError(t("The message was not hidden.")); }
        });
      });
    },
    pin: function (item, id) { socket.emit("message:pin", { room_id: R.roomId, id: id }); }
  };
  R.list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var item = button.closest("li.message");
    ACTIONS[button.getAttribute("data-action")](item, item.getAttribute("data-id"));
  });
})();
