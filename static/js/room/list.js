// The message list: the one renderer of a message (a copy of the page's
// <template id="message-template"> filled from the JSON payload the page, the
// catch-up and the live events all carry), and its place in the room's order.
(function () {
  "use strict";
  var R = window.RoomPage;
  if (!R) { return; }
  var list = R.list;
  var template = document.getElementById("message-template");
  var text = R.text;

  // Message ids are opaque strings, only ever compared for equality. The room's
  // order (the database id order, the same for everyone) travels as order_key:
  // the send time in microseconds, which the server keeps increasing with the
  // id. The list is kept in that order whatever order live messages arrive in,
  // so its last message is the newest.
  R.items = function () { return list.querySelectorAll("li.message"); };
  R.lastId = function () {
    var items = R.items();
    return items.length ? items[items.length - 1].getAttribute("data-id") : null;
  };
  R.shown = function (id) {
    var items = R.items();
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute("data-id") === id) { return items[i]; }
    }
    return null;
  };

  // A shared resource's title is never in the broadcast: each viewer asks for the
  // card, and one who may not see the resource gets "resource unavailable".
  R.cards = {};
  function showCard(box, card) {
    box.textContent = "";
    if (card && card.available !== false) {
      var link = text("a", "", card.title);
      link.href = card.url || R.url(R.urls.resource, "RESOURCE", card.id);
      box.appendChild(link);
      box.appendChild(text("span", "muted", " " + t("shared from the library")));
    } else {
      box.appendChild(text("span", "muted", t("Resource unavailable")));
    }
  }
  function loadCard(box, resourceId) {
    if (R.cards[resourceId]) { return showCard(box, R.cards[resourceId]); }
    box.appendChild(text("span", "muted", t("Loading the shared resource…")));
    fetch(R.url(R.urls.card, "RESOURCE", resourceId), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { available: false }; })
      .catch(function () { return { available: false }; })
      .then(function (card) { showCard(box, card); });
  }

  R.deletedNote = function () { return text("p", "muted body", t("Message deleted.")); };
  R.hiddenNote = function (reason) {
    return text("p", "muted body", reason
      ? t("Your message was hidden by a moderator: {reason}", { reason: reason })
      : t("Message hidden by a moderator."));
  };

  function content(m) {
    if (m.deleted) { return R.deletedNote(); }
    if (m.hidden) { return R.hiddenNote(m.hidden_reason); }
    if (m.resource) {
      var box = document.createElement("div");
      box.className = "body resource-card";
      box.setAttribute("data-resource", m.resource);
      loadCard(box, m.resource);
      return box;
    }
    var body = document.createElement("div");
    body.className = "body";
    body.innerHTML = m.html;  // sanitized on the server by nh3; CSP forbids script
    if (!m.content_warning) { return body; }
    var details = document.createElement("details");
    details.className = "cw";
    var summary = document.createElement("summary");
    summary.appendChild(document.createTextNode(t("Content warning:") + " "));
    summary.appendChild(text("span", "cw-text", m.content_warning));
    summary.appendChild(document.createTextNode(" " + t("(show)")));
    details.appendChild(summary);
    details.appendChild(body);
    return details;
  }

  function fillMeta(item, m, moment) {
    item.querySelector(".author").appendChild(R.personNode("span", "", m.author).firstChild);
    item.querySelector(".org").textContent = R.labels[m.author.org] || (m.author.org ? t("partner organization") : "");
    var time = item.querySelector("time");
    time.textContent = R.clock(moment);
    time.setAttribute("datetime", m.created_at || "");
    time.title = R.fullTime(moment);
    var edited = item.querySelector(".edited");
    if (m.edited && !m.deleted) { edited.hidden = false; } else { edited.remove(); }
  }

  R.build = function (m) {
    var item = template.content.firstElementChild.cloneNode(true);
    var moment = R.parseTime(m.created_at);
    item.classList.toggle("deleted", !!m.deleted);
    item.classList.toggle("hidden-message", !!m.hidden && !m.deleted);
    item.setAttribute("data-id", String(m.id));
    item.setAttribute("data-author", m.author.id);
    item.setAttribute("data-author-name", R.displayName(m.author));
    item.setAttribute("data-order", m.order_key == null ? "" : String(m.order_key));
    item.setAttribute("data-day", R.day(moment));
    fillMeta(item, m, moment);
    item.querySelector(".content").appendChild(content(m));
    var report = item.querySelector(".report-link");
    if (!m.deleted && !m.hidden && m.author.id !== R.me) {
      report.hidden = false;
      report.href = R.urls.report + "?message=" + encodeURIComponent(m.id);
      report.setAttribute("aria-label", t("Report {name}’s message from {time}", { name: R.displayName(m.author), time: R.clock(moment) }));
    } else {
      report.remove();
    }
    R.addActions(item);
    return item;
  };

  // label: the button's word; mine / theirs: its accessible name for one's own
  // message and for someone else's ({name}, {time}), each a whole sentence so
  // the words can move in another language.
  function button(label, action, item, mine, theirs) {
    var node = text("button", "secondary", label);
    node.type = "button";
    node.setAttribute("data-action", action);
    var values = { name: item.getAttribute("data-author-name"), time: item.querySelector("time").textContent };
    node.setAttribute("aria-label", item.getAttribute("data-author") === R.me ? mine(values) : theirs(values));
    return node;
  }

  R.addActions = function (item) {
    if (item.classList.contains("deleted") || item.classList.contains("hidden-message")) { return; }
    if (item.querySelector(".actions") || !R.form) { return; }
    var actions = document.createElement("div");
    actions.className = "actions";
    if (item.getAttribute("data-author") === R.me) {
      actions.appendChild(button(t("Edit"), "edit", item,
        function (v) { return t("Edit your message from {time}", v); }, null));
      actions.appendChild(button(t("Delete"), "delete", item,
        function (v) { return t("Delete your message from {time}", v); }, null));
    }
    if (R.moderator) {
      actions.appendChild(button(t("Hide"), "hide", item,
        function (v) { return t("Hide your message from {time}", v); },
        function (v) { return t("Hide {name}’s message from {time}", v); }));
      actions.appendChild(button(t("Pin"), "pin", item,
        function (v) { return t("Pin your message from {time}", v); },
        function (v) { return t("Pin {name}’s message from {time}", v); }));
    }
    if (actions.childNodes.length) { item.appendChild(actions); }
  };

  // The date above the first message and wherever the day (in the member's
  // zone) changes from the message before.
  R.markDays = function () {
    var before = null;
    Array.prototype.forEach.call(R.items(), function (item) {
      var day = item.getAttribute("data-day");
      var divider = item.querySelector(".day-divider");
      divider.hidden = !day || day === before;
      divider.textContent = divider.hidden ? "" : day;
      before = day;
    });
  };

  // A message from before order keys (none on the page) is older than any with one.
  function orderOf(node) {
    var key = node.getAttribute("data-order");
    return key ? Number(key) : -Infinity;
  }

  R.replace = function (existing, node) {
    list.replaceChild(node, existing);
    document.dispatchEvent(new CustomEvent("room:replaced", { detail: node }));
  };

  // Replace a message already shown; a new live one goes right after the last
  // message before it in the room's order: across server processes a message
  // can arrive after one sent later.
  R.place = function (m) {
    var existing = R.shown(m.id);
    var node = R.build(m);
    if (existing) { R.replace(existing, node); return R.markDays(); }
    var key = m.order_key == null ? Infinity : m.order_key;
    var after = list.lastElementChild;
    while (after && after.matches("li.message") && orderOf(after) > key) {
      after = after.previousElementSibling;
    }
    if (after) { after.insertAdjacentElement("afterend", node); } else { list.insertBefore(node, list.firstChild); }
    R.markDays();
  };

  // A batch in server order (catch-up or history) is authoritative: each message
  // goes right after the one before it in the batch (moving it if it arrived
  // live out of order), or, at the start of a batch, before the first later one
  // already shown.
  R.placeAll = function (messages) {
    var previous = null;
    messages.forEach(function (m, index) {
      var existing = R.shown(m.id);
      var node = R.build(m);
      if (existing) {
        R.replace(existing, node);
        if (previous && previous.nextElementSibling !== node) {
          previous.insertAdjacentElement("afterend", node);
        }
      } else if (previous) {
        previous.insertAdjacentElement("afterend", node);
      } else {
        var later = null;
        for (var j = index + 1; j < messages.length && !later; j++) { later = R.shown(messages[j].id); }
        if (later) { list.insertBefore(node, later); } else { list.appendChild(node); }
      }
      previous = node;
    });
    R.markDays();
  };

  R.placeEarlier = function (messages) {
    var first = list.querySelector("li.message");
    messages.forEach(function (m) {
      if (R.shown(m.id)) { return; }
      if (first) { list.insertBefore(R.build(m), first); } else { list.appendChild(R.build(m)); }
    });
    R.markDays();
  };

  // What a deleted or hidden message keeps: no actions, "(edited)" or Report.
  function strip(item, note) {
    [".actions", ".edited", ".report-link"].forEach(function (selector) {
      var node = item.querySelector(selector);
      if (node) { node.remove(); }
    });
    var box = item.querySelector(".content");
    box.textContent = "";
    box.appendChild(note);
    document.dispatchEvent(new CustomEvent("room:replaced", { detail: item }));
  }
  R.markDeleted = function (id) {
    var item = R.shown(id);
    if (!item) { return; }
    item.classList.add("deleted");
    strip(item, R.deletedNote());
  };
  R.hideLocally = function (id, reason) {
    var item = R.shown(id);
    if (!item) { return; }
    item.classList.add("hidden-message");
    strip(item, R.hiddenNote(reason));
  };

  // The page's first messages and cards, as JSON (not executed: CSP allows it).
  var initial = document.getElementById("initial-messages");
  if (initial) {
    var first = JSON.parse(initial.textContent);
    Object.keys(first.cards || {}).forEach(function (id) { R.cards[id] = first.cards[id]; });
    R.placeAll(first.messages || []);
  }
})();
