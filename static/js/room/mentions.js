// Mentions in the composer: typing "@" asks the server (mention:suggest) for
// the people this writer may mention in the room, shown as a small listbox
// above the message field. Arrow keys move, Enter or Tab picks, Esc closes; a
// tap picks too. Picking inserts @**Name** (@**Name|TAG** when two people here
// share the name). Loaded before composer.js so that, while the list is open,
// its Enter picks a person instead of sending.
// Also: the bell's live count from this page's socket, a notification's link
// to a message (#message-ID) scrolled to and outlined, and the reader's own
// mentions highlighted.
(function () {
  "use strict";
  var R = window.RoomPage;
  if (!R) { return; }
  var socket = R.socket;

  socket.on("notification:count", function (event) {
    document.dispatchEvent(new CustomEvent("bell:count", { detail: event && event.count }));
  });

  var linked = /^#message-([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (linked) {
    window.addEventListener("load", function () {
      var item = R.list && R.list.querySelector('li.message[data-id="' + linked[1] + '"]');
      if (!item) { return; }
      item.classList.add("target");
      item.scrollIntoView({ block: "center" });
    });
    // The join's catch-up redraws the message: it stays outlined.
    document.addEventListener("room:replaced", function (event) {
      if (event.detail.getAttribute("data-id") === linked[1]) { event.detail.classList.add("target"); }
    });
  }

  // Mentions of oneself are highlighted here, in this reader's page only: the
  // stored HTML marks every @**Name** alike, resolved or not (no oracle).
  var root = document.getElementById("room");
  var mine = [root.getAttribute("data-my-name") || ""];
  if (root.getAttribute("data-my-tag")) { mine.push(mine[0] + " · " + root.getAttribute("data-my-tag")); }
  mine = mine.map(function (name) { return ("@" + name).toLowerCase(); });
  function markMine(node) {
    if (node.nodeType !== 1) { return; }
    node.querySelectorAll("span.mention").forEach(function (span) {
      if (mine.indexOf(span.textContent.toLowerCase()) >= 0) { span.classList.add("mine"); }
    });
  }
  if (R.list) {
    markMine(R.list);
    new MutationObserver(function (records) {
      records.forEach(function (record) { record.addedNodes.forEach(markMine); });
    }).observe(R.list, { childList: true });
  }

  var field = document.getElementById("body");
  if (!R.form || !field) { return; }
  var box = document.createElement("ul");
  box.id = "mention-box";
  box.className = "mention-box";
  box.setAttribute("role", "listbox");
  box.setAttribute("aria-label", t("People to mention"));
  box.hidden = true;
  var status = R.text("p", "visually-hidden", "");
  status.setAttribute("role", "status");
  var row = field.closest(".composer-row") || field;
  row.parentNode.insertBefore(box, row);
  row.parentNode.insertBefore(status, row);
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", box.id);

  var people = [];
  var active = -1;
  var start = -1;  // where the "@" being completed is in the field
  var timer = null;
  var asked = 0;

  // The "@..." just before the caret: at the start or after a space, without a
  // line break, at most 40 characters. null when the caret is not in one.
  function token() {
    var caret = field.selectionStart;
    if (caret !== field.selectionEnd) { return null; }
    var before = field.value.slice(0, caret);
    var at = before.lastIndexOf("@");
    if (at < 0 || (at > 0 && !/[\s(]/.test(before.charAt(at - 1)))) { return null; }
    var typed = before.slice(at + 1).replace(/^\*\*/, "");
    if (typed.length > 40 || /[\n*@|]/.test(typed)) { return null; }
    return { at: at, prefix: typed };
  }

  function close() {
    box.hidden = true;
    box.textContent = "";
    people = [];
    active = -1;
    start = -1;
    field.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(box.children, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      field.setAttribute("aria-activedescendant", box.children[index].id);
      box.children[index].scrollIntoView({ block: "nearest" });
    }
  }

  function show(list) {
    box.textContent = "";
    people = list;
    list.forEach(function (p, i) {
      var li = R.personNode("li", "", { pseudonym: p.name, tag: p.tag });
      li.id = "mention-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      box.appendChild(li);
    });
    box.hidden = !list.length;
    status.textContent = !list.length ? "" : list.length === 1
      ? t("1 person to mention; arrow keys to choose, Enter to pick.")
      : t("{count} people to mention; arrow keys to choose, Enter to pick.", { count: list.length });
    highlight(list.length ? 0 : -1);
  }

  function ask() {
    var found = token();
    if (!found) { close(); return; }
    var mine = ++asked;
    socket.emit("mention:suggest", { room_id: R.roomId, prefix: found.prefix }, function (ack) {
      if (mine !== asked) { return; }  // a newer keystroke asked again
      var still = token();
      if (!ack || !ack.ok || !still || still.at !== found.at) { close(); return; }
      start = found.at;
      show(ack.people || []);
    });
  }

  function pick(index) {
    var p = people[index];
    if (!p || start < 0) { return; }
    var caret = field.selectionStart;
    var text = p.insert + " ";
    field.value = field.value.slice(0, start) + text + field.value.slice(caret);
    var place = start + text.length;
    field.setSelectionRange(place, place);
    close();
    field.focus();
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  field.addEventListener("blur", function () { setTimeout(close, 150); });
  field.addEventListener("keydown", function (event) {
    if (box.hidden || !people.length) { return; }
    var handled = true;
    if (event.key === "ArrowDown") { highlight((active + 1) % people.length); }
    else if (event.key === "ArrowUp") { highlight((active - 1 + people.length) % people.length); }
    else if ((event.key === "Enter" || event.key === "Tab") && !event.isComposing) { pick(Math.max(active, 0)); }
    else if (event.key === "Escape") { close(); }
    else { handled = false; }
    if (handled) {
      event.preventDefault();
      event.stopImmediatePropagation();  // not a send, not the editing mode's Esc
    }
  });
  // A tap or click picks; pointerdown keeps the focus (and the keyboard) in the field.
  box.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  box.addEventListener("click", function (event) {
    var li = event.target.closest("li[role=option]");
    if (li) { pick(Array.prototype.indexOf.call(box.children, li)); }
  });
})();
